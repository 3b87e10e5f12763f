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
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from safecity.engine.errors import SourceError

from .office_files import MAX_COLUMNS, MAX_ROWS, open_office_zip, sheet_extent

# A grid position covered by a horizontal merge with the cell to its left.
SPAN = "\x00span"


@dataclass(frozen=True)
class Grid:
    """One table: ``label`` names it in messages ("table 2", "sheet 'Plan'"), ``rows`` hold
    ``(row_label, cells)`` where ``row_label`` is what a person finds in their file ("row 4",
    "line 7"). ``vmerges`` are the vertically merged cells as ``(column, first, last)`` indexes
    into ``rows``: one cell on the page however many rows it spans."""

    label: str
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    vmerges: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True)
class Document:
    """The tables of a file in reading order, plus any text before the first table (a title)."""

    preamble: tuple[str, ...]
    grids: tuple[Grid, ...]


def read_document(source: str | Path | BinaryIO, filename: str) -> Document:
    """Dispatch on the file name's extension, checking the content agrees with it. Every
    reader works within the limits of ``office_files`` and refuses, never truncates, a file
    beyond them."""
    data = _read_bytes(source, filename)
    suffix = Path(filename).suffix.lower()
    if not data:
        raise SourceError(filename, "the file is empty.", fix="Upload the saved plan again.")
    if suffix == ".docx":
        archive = open_office_zip(data, filename, "Word (.docx)",
                                  ("[Content_Types].xml", "_rels/.rels", "word/document.xml"))
        return _read_docx(data, archive, filename)
    if suffix == ".xlsx":
        archive = open_office_zip(data, filename, "Excel (.xlsx)",
                                  ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"))
        return _read_xlsx(data, archive, filename)
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


def _too_many_rows(filename: str, where: str) -> SourceError:
    return SourceError(filename, f"{where} has more than {MAX_ROWS:,} rows; an action plan has "
                       "tens or hundreds, and no rows are left out silently.",
                       fix="Split the file into several plans, or delete the rows that are "
                           "not part of the table, and upload it again.")


def _too_wide(filename: str, where: str) -> SourceError:
    return SourceError(filename, f"{where} is more than {MAX_COLUMNS} columns wide; an action "
                       "plan has a few.", fix="Delete the columns that are not part of the "
                       "table, save the file and upload it again.")


def _damaged(filename: str, kind: str, exc: Exception) -> SourceError:
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return SourceError(filename, f"the file is not a {kind} document, or it is damaged "
                       f"({detail}).", fix=f"Open it and save it again as {kind}, then upload "
                       "that.")


def _clean(text: object) -> str:
    """Cell text with each line's spacing tidied; line breaks inside a cell are kept."""
    if text is None:
        return ""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip("\n").strip()


def _read_docx(data: bytes, archive, filename: str) -> Document:
    import docx  # imported here: only DOCX uploads pay for it

    try:
        document = docx.Document(io.BytesIO(data))
        return _docx_tables(document, filename)
    except SourceError:
        raise
    except Exception as exc:  # python-docx raises many unrelated types for a damaged package
        raise _damaged(filename, "Word (.docx)", exc) from None


def _docx_tables(document, filename: str) -> Document:
    from docx.table import Table, _Cell

    preamble: list[str] = []
    grids: list[Grid] = []
    total_rows = 0
    # Body order matters (a title paragraph, then tables), so walk the body's children directly.
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p" and not grids:
            text = _clean("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            if text:
                preamble.append(text)
        elif tag == "tbl":
            table = Table(child, document)
            label = f"table {len(grids) + 1}"
            total_rows += len(child.tr_lst)  # counted before any cell is read
            if total_rows > MAX_ROWS:
                raise _too_many_rows(filename, "the document")
            rows = []
            open_merges: dict[int, list[int]] = {}  # column -> [first row, last row]
            merges: list[tuple[int, int, int]] = []
            for number, tr in enumerate(child.tr_lst, start=1):
                index = number - 1
                if tr.grid_before > MAX_COLUMNS or len(tr.tc_lst) > MAX_COLUMNS:
                    raise _too_wide(filename, f"{label}, row {number}")
                cells: list[str] = [""] * tr.grid_before
                for tc in tr.tc_lst:
                    column, span = len(cells), tc.grid_span
                    if column + span > MAX_COLUMNS:
                        raise _too_wide(filename, f"{label}, row {number}")
                    if tc.vMerge == "continue":
                        # Continues the cell above: blank, like Excel's merged cells.
                        cells.extend([""] * span)
                        if column in open_merges:
                            open_merges[column][1] = index
                        continue
                    if column in open_merges:
                        first, last = open_merges.pop(column)
                        if last > first:
                            merges.append((column, first, last))
                    if tc.vMerge == "restart":
                        open_merges[column] = [index, index]
                    cells.append(_clean(_Cell(tc, table).text))
                    cells.extend([SPAN] * (span - 1))
                rows.append((f"row {number}", tuple(cells)))
            merges.extend((c, first, last) for c, (first, last) in open_merges.items()
                          if last > first)
            grids.append(Grid(label, tuple(rows), tuple(sorted(merges))))
    return Document(tuple(preamble), tuple(grids))


def _read_xlsx(data: bytes, archive, filename: str) -> Document:
    import openpyxl

    try:
        # Read-only: cells stream from the XML instead of being built all at once. Merged
        # ranges and the sheet's real extent come from ``office_files.sheet_extent``.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged file
        raise SourceError(filename, f"the workbook cannot be opened ({_first_line(exc)}).",
                          fix="Open it in Excel and save it again as .xlsx.") from None
    grids = []
    try:
        for sheet in book.worksheets:
            # openpyxl keeps the part name privately; there is no public way to reach it.
            extent = sheet_extent(archive, sheet._worksheet_path.lstrip("/"), filename,
                                  sheet.title)
            covered: dict[tuple[int, int], str] = {}
            vmerges = []
            for top, left, bottom, right in extent.merges:
                for row in range(top, bottom + 1):
                    for col in range(left, right + 1):
                        if (row, col) != (top, left):
                            covered[(row, col)] = SPAN if row == top else ""
                if bottom > top:
                    vmerges.append((left - 1, top - 1, bottom - 1))
            rows = []
            height = max([extent.rows] + [m[2] for m in extent.merges])
            width = max([extent.columns] + [m[3] for m in extent.merges])
            if height and width:
                sheet.reset_dimensions()  # the declared size may lie; the checked one does not
                for r, values in enumerate(sheet.iter_rows(max_row=height, max_col=width,
                                                           values_only=True), start=1):
                    cells = tuple(covered.get((r, c), _clean(v))
                                  for c, v in enumerate(values, start=1))
                    rows.append((f"row {r}", cells))
            grids.append(Grid(f"sheet '{sheet.title}'", tuple(rows), tuple(vmerges)))
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(filename, f"the workbook cannot be read ({_first_line(exc)}).",
                          fix="Open it in Excel and save it again as .xlsx.") from None
    finally:
        book.close()
    return Document((), tuple(grids))


def _first_line(exc: Exception) -> str:
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return text or type(exc).__name__


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
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows(filename, "the file")
            if len(values) > MAX_COLUMNS:
                raise _too_wide(filename, f"line {reader.line_num}")
            rows.append((f"line {reader.line_num}", tuple(_clean(v) for v in values)))
    except csv.Error as exc:
        raise SourceError(filename, f"the CSV cannot be read ({exc}).", line=reader.line_num,
                          fix="Check the quotes on that line, or save the file again from Excel.") from None
    return Document((), (Grid("the file", tuple(rows)),))
