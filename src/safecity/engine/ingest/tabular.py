"""Read a CSV or XLSX file into numbered rows, robustly, for the record-level adapters.

What this handles, so that adapters only see ``(line_number, values)`` rows:

* **What the file is**: CSV (optionally gzipped) or XLSX, told by content, not only by name. An
  old ``.xls``, a PDF, a zip that is not a workbook or any other binary file is a ``SourceError``.
* **Encoding** (CSV): UTF-8 (with or without BOM) and UTF-16 with a BOM; otherwise Windows-1252,
  with a note (Excel's "CSV" on Windows). Bytes that fit neither are a ``SourceError``.
* **Delimiter** (CSV): the header line is sniffed for comma, semicolon, tab and pipe. The contract
  is comma-separated; a file separated by anything else is a ``SourceError`` that says how to fix it.
* **Title rows** (XLSX): the header is the first row, within the first 20, that contains the
  expected headers, so a title or notes block above the table is skipped.
* **Line numbers**: physical lines of the CSV (1-based, the header is line 1; a quoted value
  spanning lines numbers the row by its first line), or sheet row numbers for XLSX.
* **Row shape**: a row with the wrong number of values is handed over as it is; the caller rejects
  it (``TabularFile.check_shape`` gives the reason, including a truncated last line).

Streaming: rows are produced lazily, so memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from ..errors import SourceError
from .base import InputFile, sha256_file

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tabs", "|": "'|'"}
TITLE_ROWS_SEARCHED = 20
TABULAR_SUFFIXES = (".csv", ".csv.gz", ".txt", ".xlsx", ".xlsm")

csv.field_size_limit(1 << 24)  # a long free-text cell must not abort the file


def normalise_header(text: object) -> str:
    """Header comparison key: case, surrounding and repeated spaces, and a BOM do not matter."""
    return " ".join(str(text or "").replace("\ufeff", "").split()).casefold()


@dataclass
class TabularFile:
    """An opened table: its header, lazily produced rows and notes for the user."""

    name: str
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str]]]
    notes: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    ends_with_newline: bool = True  # CSV only: False when the last line has no line end

    def index(self) -> dict[str, int]:
        """Normalised header → column position (first occurrence)."""
        out: dict[str, int] = {}
        for i, h in enumerate(self.header):
            out.setdefault(normalise_header(h), i)
        return out

    def duplicated_headers(self) -> list[str]:
        seen: set[str] = set()
        dups = []
        for h in self.header:
            key = normalise_header(h)
            if key and key in seen:
                dups.append(h)
            seen.add(key)
        return dups

    def check_shape(self, line: int, values: list[str], is_last: bool) -> str | None:
        """Why a row with the wrong number of values is rejected, or None if its shape is fine."""
        n, m = len(values), len(self.header)
        if n == m:
            return None
        if n < m and is_last and not self.ends_with_newline:
            return (f"the last line is incomplete ({n} of {m} values): the file looks truncated; "
                    "export it again")
        if n < m:
            return f"has {n} values where the header has {m}"
        if any(v.strip() for v in values[m:]):
            return f"has {n} values where the header has {m} (an unquoted comma inside a value?)"
        return None  # only empty trailing cells, as spreadsheets often write


def require_columns(tab: TabularFile, path: str, required: dict[str, str]) -> None:
    """Raise a SourceError naming what is missing and what was found.

    ``required`` maps each expected header to the contract column it feeds (for the message).
    """
    found = tab.index()
    missing = [h for h in required if normalise_header(h) not in found]
    if missing:
        shown = ", ".join(repr(h) for h in tab.header if h.strip()) or "no headers"
        raise SourceError(
            path, f"missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}; the header row has {shown}.",
            fix="Rename the columns, or give a mapping file (--mapping) that names them.",
            line=tab.header_line,
        )


# -- what kind of file ------------------------------------------------------------------------

def _sniff_bytes(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .xls / .doc
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"%PDF"):
        return "pdf"
    return "text"


def _read_head(item: InputFile, n: int = 65536) -> bytes:
    with _open_binary(item) as fh:
        return fh.read(n)


def _open_binary(item: InputFile) -> IO[bytes]:
    if item.member is not None:
        zf = zipfile.ZipFile(item.path)
        return zf.open(item.member)
    return open(item.path, "rb")


def open_table(item: InputFile, *, expected: Iterable[str] = (),
               header_test: Callable[[list[str]], bool] | None = None) -> TabularFile:
    """Open a CSV or XLSX input and return its header and lazy rows.

    ``expected`` are headers the caller looks for: in a workbook the header row is the first that
    contains them all (or, failing that, the first that ``header_test`` accepts, or the first
    non-empty row). Raises ``SourceError`` for anything that is not a readable table.
    """
    path = item.name
    try:
        head = _read_head(item)
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise SourceError(path, f"cannot be read ({exc}).",
                          fix="Check the path and that the file is not open elsewhere.") from None
    kind = _sniff_bytes(head)
    if kind == "zip":
        return _open_xlsx(item, expected, header_test)
    if kind == "ole":
        raise SourceError(path, "is an old-format Excel workbook (.xls), which safecity does not "
                          "read.", fix="Open it in Excel and save it as .xlsx or as CSV (UTF-8).")
    if kind == "pdf":
        raise SourceError(path, "is a PDF, not a CSV or XLSX table.",
                          fix="Export the data from its system as CSV or XLSX.")
    if item.name.lower().endswith((".xlsx", ".xlsm")):
        raise SourceError(path, "is named like an Excel workbook but is not one.",
                          fix="Save it from Excel again as .xlsx, or as CSV (UTF-8).")
    return _open_csv(item, gz=(kind == "gzip"))


# -- CSV --------------------------------------------------------------------------------------

def _text_stream(item: InputFile, gz: bool) -> IO[bytes]:
    raw = _open_binary(item)
    return gzip.GzipFile(fileobj=raw) if gz else raw  # type: ignore[return-value]


def _detect_encoding(item: InputFile, gz: bool) -> tuple[str, list[str], bool]:
    """(encoding, notes, ends_with_newline), validating the whole file in one streamed pass."""
    with _text_stream(item, gz) as fh:
        try:
            first = fh.read(1 << 20)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise SourceError(item.name, f"is a damaged gzip file ({exc}).",
                              fix="Compress it again, or give the plain CSV.") from None
        if first.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = "utf-8"
        if not first.strip(b"\r\n\t \x00" if encoding != "utf-16" else b""):
            raise SourceError(item.name, "is empty.", fix="Export the data again; the file has no "
                              "header row and no data.")
        if encoding == "utf-8" and b"\x00" in first[:8192]:
            raise SourceError(item.name, "is not a CSV or XLSX file (it contains binary data).",
                              fix="Export the data from its system as CSV (UTF-8) or XLSX.")
        decoder = codecs.getincrementaldecoder(encoding)()
        block, last = first, b""
        try:
            while block:
                decoder.decode(block)
                last = block
                block = fh.read(1 << 20)
            ends = last.endswith(b"\n") or last.endswith(b"\r")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                # Only the last character is cut short: a truncated UTF-8 file, not another
                # encoding. Its last line is rejected as truncated anyway.
                return encoding, ["the file ends part-way through a character (truncated?)"], ends
            return encoding, [], ends
        except UnicodeDecodeError:
            if encoding != "utf-8":
                raise SourceError(item.name, f"is not valid {encoding.upper()} text.",
                                  fix="Save it again as CSV (UTF-8).") from None
    # Not UTF-8: Excel on Windows writes Windows-1252 ("ANSI"), a superset of Latin-1's printable
    # range (it has £ at the same byte). Five bytes are undefined in cp1252; those mean the file
    # is in some other encoding we cannot guess.
    with _text_stream(item, gz) as fh:
        decoder = codecs.getincrementaldecoder("cp1252")()
        last = b""
        try:
            while block := fh.read(1 << 20):
                decoder.decode(block)
                last = block
        except UnicodeDecodeError as exc:
            raise SourceError(item.name, f"is in an unknown text encoding (byte 0x{exc.object[exc.start]:02x} "
                              "is neither UTF-8 nor Windows-1252).",
                              fix="Save it as CSV (UTF-8) and ingest it again.") from None
    ends = last.endswith(b"\n") or last.endswith(b"\r")
    note = ("read as Windows-1252 (Latin-1) text because it is not UTF-8; check that accented "
            "letters and '£' look right, or save it as CSV (UTF-8)")
    return "cp1252", [note], ends


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def _sniff_delimiter(item: InputFile, header_line: str) -> str:
    counts = {d: _count_outside_quotes(header_line, d) for d in CANDIDATE_DELIMITERS}
    best = max(CANDIDATE_DELIMITERS, key=lambda d: (counts[d], d == ","))
    if best != "," and counts[best] > counts[","]:
        raise SourceError(
            item.name, f"the file is separated by {_DELIMITER_NAMES[best]}, not commas.",
            fix="Open it in a spreadsheet and save it as comma-separated CSV (UTF-8), or export "
                "it again choosing comma as the separator.", line=1)
    return ","


def _open_csv(item: InputFile, gz: bool) -> TabularFile:
    encoding, notes, ends = _detect_encoding(item, gz)
    raw = _text_stream(item, gz)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="replace")
    # Find the header: the first non-blank physical line.
    header_line_no = 0
    first_line = ""
    for line in text:
        header_line_no += 1
        if line.strip():
            first_line = line
            break
    if not first_line:
        text.close()
        raise SourceError(item.name, "is empty.", fix="Export the data again; the file has no "
                          "header row and no data.")
    delimiter = _sniff_delimiter(item, first_line)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter))
    except csv.Error as exc:
        text.close()
        raise SourceError(item.name, f"has an unreadable header row ({exc}).",
                          fix="Check the first line of the file.", line=header_line_no) from None
    header = [h.replace("\ufeff", "").strip() for h in header]

    def rows() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(text, delimiter=delimiter, strict=False)
        previous_end = header_line_no
        try:
            for values in reader:
                start = previous_end + 1
                previous_end = header_line_no + reader.line_num
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue  # blank line: not a record
                yield start, values
        except csv.Error as exc:  # e.g. a NUL byte mid-file
            raise SourceError(item.name, f"cannot be parsed as CSV ({exc}).",
                              fix="Export it again as CSV (UTF-8).", line=previous_end + 1) from None
        finally:
            text.close()

    if encoding.startswith("utf-16"):
        notes.append("read as UTF-16 text")
    return TabularFile(item.name, header, header_line_no, rows(), notes, encoding, ends)


# -- XLSX -------------------------------------------------------------------------------------

def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _open_xlsx(item: InputFile, expected: Iterable[str],
               header_test: Callable[[list[str]], bool] | None) -> TabularFile:
    import openpyxl  # imported here: only workbooks need it

    try:
        source = io.BytesIO(_open_binary(item).read()) if item.member else item.path
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a zip that is not a workbook
        raise SourceError(item.name, f"is a zip file but not a readable Excel workbook ({exc}).",
                          fix="Give the CSV or XLSX file itself (unzip it first).") from None
    wanted = {normalise_header(h) for h in expected}
    fallback = None
    for sheet in book.worksheets:
        probe = list(sheet.iter_rows(min_row=1, max_row=TITLE_ROWS_SEARCHED, values_only=True))
        texts = [[_cell_text(v) for v in row] for row in probe]
        chosen = None
        for i, row in enumerate(texts):
            keys = {normalise_header(v) for v in row if v}
            if wanted and wanted <= keys:
                chosen = i
                break
        if chosen is None and header_test is not None:
            chosen = next((i for i, row in enumerate(texts) if header_test(row)), None)
        if chosen is not None:
            return _xlsx_table(item, book, sheet, chosen, texts[chosen])
        if fallback is None:
            first = next((i for i, row in enumerate(texts) if any(row)), None)
            if first is not None:
                fallback = (sheet, first, texts[first])
    if fallback is None:
        book.close()
        raise SourceError(item.name, "is an empty workbook (no sheet has any values).",
                          fix="Export the data again.")
    # No row has every expected header: use the first non-empty row, so the caller's
    # missing-column message shows what the sheet does have.
    return _xlsx_table(item, book, *fallback)


def _xlsx_table(item: InputFile, book, sheet, chosen: int, header: list[str]) -> TabularFile:
    header_row = chosen + 1
    header = list(header)
    while header and not header[-1]:
        header.pop()
    notes = []
    if chosen > 0:
        notes.append(f"header found on sheet {sheet.title!r} row {header_row}; "
                     f"{chosen} title row(s) above it were skipped")
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for n, row in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True),
                                    start=header_row + 1):
                values = [_cell_text(v) for v in row]
                if not any(values):
                    continue
                if len(values) < width:
                    values += [""] * (width - len(values))
                yield n, values
        finally:
            book.close()

    return TabularFile(item.name, header, header_row, rows(), notes, "xlsx", True)


# -- inputs -----------------------------------------------------------------------------------

def input_files(path: Path) -> list[InputFile]:
    """A file, or every CSV/XLSX file in a folder (sorted), as InputFiles with content hashes."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file()
                       and p.name.lower().endswith(TABULAR_SUFFIXES) and not p.name.startswith("."))
        if not files:
            raise SourceError(path, "is a folder with no CSV or XLSX files in it.",
                              fix="Give the files themselves, or the folder that holds them.")
    elif path.exists():
        files = [path]
    else:
        raise SourceError(path, "does not exist.", fix="Check the path.")
    return [InputFile(path=p, name=p.name if not path.is_dir() else str(p.relative_to(path.parent)),
                      sha256=sha256_file(p), size=p.stat().st_size) for p in files]


def peek_header(item: InputFile) -> list[str]:
    """The header row of a file (first non-blank CSV line, or first non-empty sheet row)."""
    tab = open_table(item)
    try:
        return list(tab.header)
    finally:
        close = getattr(tab.rows, "close", None)
        if close:
            close()

