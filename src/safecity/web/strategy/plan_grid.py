"""Read a plan file (DOCX, XLSX or CSV) into plain grids of cell text, one grid per table.

This layer only knows file formats; what the rows *mean* (headers, continuations, lead agencies)
is decided in ``importing.py``. Merged cells are normalised here so that every format looks the
same to the interpreter:

- a cell continuing a vertical merge reads as ``""`` (like Excel, where only the top-left cell of
  a merge holds the value), so "blank means same as above" covers both;
- a cell covered by a horizontal merge reads as ``SPAN``, so a full-width heading row is visible.

No Django here: the parser must run in plain unit tests and from the command line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from safecity.engine.errors import SourceError

# A grid position covered by a horizontal merge with the cell to its left.
SPAN = "\x00span"

MAX_ROWS = 20_000  # an action plan has tens of rows; this only stops a pathological upload early


@dataclass(frozen=True)
class Grid:
    """One table: ``label`` names it in messages ("table 2", "sheet 'Plan'"), ``rows`` hold
    ``(row_label, cells)`` where ``row_label`` is what a person finds in their file ("row 4",
    "line 7")."""

    label: str
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Document:
    """The tables of a file in reading order, plus any text before the first table (a title)."""

    preamble: tuple[str, ...]
    grids: tuple[Grid, ...]


def read_document(source: str | Path | BinaryIO, filename: str) -> Document:
    """Dispatch on the file name's extension, checking the content agrees with it."""
    data = _read_bytes(source, filename)
    suffix = Path(filename).suffix.lower()
    if not data:
        raise SourceError(filename, "the file is empty.", fix="Upload the saved plan again.")
    if suffix == ".docx":
        _expect_zip_member(data, filename, "word/document.xml", "Word (.docx)")
        return _read_docx(data)
    if suffix == ".xlsx":
        _expect_zip_member(data, filename, "xl/workbook.xml", "Excel (.xlsx)")
        return _read_xlsx(data, filename)
    if suffix == ".csv":
        return _read_csv(data, filename)
    if suffix in {".doc", ".xls"}:
        raise SourceError(filename, f"{suffix} is the old Office format, which cannot be read.",
                          fix=f"Open it in Word or Excel and save it as {suffix}x, then upload that.")
    raise SourceError(filename, f"files ending {suffix or '(no extension)'} cannot be imported.",
                      fix="Upload the plan as .docx, .xlsx or .csv.")


def _read_bytes(source: str | Path | BinaryIO, filename: str) -> bytes:
    if isinstance(source, (str, Path)):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise SourceError(source, f"the file cannot be read ({exc.strerror}).") from None
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def _expect_zip_member(data: bytes, filename: str, member: str, kind: str) -> None:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        names = []
    if member not in names:
        raise SourceError(filename, f"the file is not a {kind} document, or it is damaged.",
                          fix=f"Open it and save it again as {kind}, then upload that.")


def _clean(text: object) -> str:
    """Cell text with each line's spacing tidied; line breaks inside a cell are kept."""
    if text is None:
        return ""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip("\n").strip()


def _read_docx(data: bytes) -> Document:
    import docx  # imported here: only DOCX uploads pay for it
    from docx.table import _Cell

    document = docx.Document(io.BytesIO(data))
    preamble: list[str] = []
    grids: list[Grid] = []
    # Body order matters (a title paragraph, then tables), so walk the body's children directly.
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p" and not grids:
            text = _clean("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            if text:
                preamble.append(text)
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            rows = []
            for number, tr in enumerate(child.tr_lst, start=1):
                cells: list[str] = [""] * tr.grid_before
                for tc in tr.tc_lst:
                    if tc.vMerge == "continue":
                        # Continues the cell above: blank, like Excel's merged cells.
                        cells.extend([""] * tc.grid_span)
                    else:
                        cells.append(_clean(_Cell(tc, table).text))
                        cells.extend([SPAN] * (tc.grid_span - 1))
                rows.append((f"row {number}", tuple(cells)))
                if number > MAX_ROWS:
                    break
            grids.append(Grid(f"table {len(grids) + 1}", tuple(rows)))
    return Document(tuple(preamble), tuple(grids))


def _read_xlsx(data: bytes, filename: str) -> Document:
    import openpyxl

    try:
        # Not read_only: merged ranges are only available on a fully loaded sheet.
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged file
        raise SourceError(filename, f"the workbook cannot be opened ({exc}).",
                          fix="Open it in Excel and save it again as .xlsx.") from None
    grids = []
    for sheet in book.worksheets:
        covered: dict[tuple[int, int], str] = {}
        for merged in sheet.merged_cells.ranges:
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        covered[(row, col)] = SPAN if row == merged.min_row else ""
        rows = []
        for r, values in enumerate(sheet.iter_rows(values_only=True, max_row=MAX_ROWS), start=1):
            cells = tuple(covered.get((r, c), _clean(v)) for c, v in enumerate(values, start=1))
            rows.append((f"row {r}", cells))
        grids.append(Grid(f"sheet '{sheet.title}'", tuple(rows)))
    return Document((), tuple(grids))


def _read_csv(data: bytes, filename: str) -> Document:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page unless told otherwise.
        text = data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for values in reader:
            rows.append((f"line {reader.line_num}", tuple(_clean(v) for v in values)))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        raise SourceError(filename, f"the CSV cannot be read ({exc}).", line=reader.line_num,
                          fix="Check the quotes on that line, or save the file again from Excel.") from None
    return Document((), (Grid("the file", tuple(rows)),))
