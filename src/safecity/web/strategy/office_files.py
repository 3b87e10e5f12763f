"""Open an uploaded Word or Excel file only within limits, before any library parses it.

A .docx or .xlsx is a zip of XML parts. A few kilobytes of zip can expand to gigabytes of XML, an
XML part can define entities that expand exponentially ("billion laughs"), and a sheet can claim
a million rows or a merged range covering most of the grid. python-docx and openpyxl trust what
they are given, so each upload is checked here first, from the zip's directory and a streaming
pass over the parts, and refused with one sentence when it is outside the limits:

- at most ``MAX_PARTS`` parts, each at most ``MAX_PART_BYTES`` and ``MAX_UNZIPPED_BYTES`` in all
  once decompressed (sizes come from the zip directory; ``zipfile`` never decompresses more than
  the size a part declares, and fails on a part that lies about it);
- no document type declaration in any part (Office never writes one; it is how entity bombs
  and external entities get in). python-docx's parser also leaves entities unresolved, and
  openpyxl uses defusedxml when it is installed (it is a dependency for that reason);
- the parts a reader needs are present (a zip holding only ``word/document.xml`` is not a
  Word document);
- for a sheet, the cells and merged ranges lie within ``MAX_ROWS`` x ``MAX_COLUMNS`` and the
  merged ranges cover at most ``MAX_MERGED_CELLS`` cells. openpyxl's read-only mode (the only one
  that does not build every cell in memory) does not report merged ranges and pads rows to the
  sheet's declared size, so the sheet's XML is read here once with lxml's iterparse (entities
  off, no huge trees) for the cell references and merged ranges.

No Django here.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from safecity.engine.errors import SourceError

MAX_PARTS = 300  # a Word plan has 10-40 parts; images add one each
MAX_PART_BYTES = 10 * 1024 * 1024  # a 100-page table's document.xml is about 3 MB
MAX_UNZIPPED_BYTES = 30 * 1024 * 1024
MAX_ROWS = 20_000  # rows in one table or sheet; an action plan has tens or hundreds
MAX_COLUMNS = 60  # an action plan has 3-10 columns
MAX_MERGED_CELLS = 100_000

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_IMAGE = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg"}
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


def _refuse(filename: str, problem: str, fix: str) -> SourceError:
    return SourceError(filename, problem, fix=fix)


def open_bounded_zip(data: bytes, filename: str, *, max_parts: int, max_part_bytes: int,
                     max_unzipped_bytes: int, not_a_zip: str, resave: str, what: str,
                     too_big_fix: str) -> zipfile.ZipFile:
    """A zip whose directory is within the limits (the parts' count, each part's size and
    their total once decompressed), read from the directory before any part is opened;
    otherwise one sentence. ``what`` names the upload in messages ("a Word action plan")."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _refuse(filename, not_a_zip, resave) from None
    if len(infos) > max_parts:
        raise _refuse(filename, f"the file holds {len(infos):,} parts; {what} holds far fewer "
                      f"(at most {max_parts:,} are read).", resave)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > max_part_bytes or total > max_unzipped_bytes:
            limit = max_unzipped_bytes if total > max_unzipped_bytes else max_part_bytes
            raise _refuse(filename, f"the file expands to more than {limit // 2**20} MB when "
                          f"opened, far more than {what} needs, so it was not read.",
                          too_big_fix)
    return archive


def open_office_zip(data: bytes, filename: str, kind: str, required: tuple[str, ...]
                    ) -> zipfile.ZipFile:
    """The upload as a checked zip. ``kind`` names the format in messages ("Word (.docx)")."""
    resave = f"Open it and save it again as {kind}, then upload that."
    archive = open_bounded_zip(
        data, filename, max_parts=MAX_PARTS, max_part_bytes=MAX_PART_BYTES,
        max_unzipped_bytes=MAX_UNZIPPED_BYTES, resave=resave, what=f"a {kind} action plan",
        not_a_zip=f"the file is not a {kind} document, or it is damaged.",
        too_big_fix="Save the plan again without embedded objects, or paste the table into a "
                    "new document, and upload that.")
    infos = archive.infolist()
    names = {info.filename for info in infos}
    missing = [name for name in required if name not in names]
    if missing:
        raise _refuse(filename, f"the file is not a {kind} document, or it is damaged (it has "
                      f"no {missing[0]}).", resave)
    for info in infos:
        if PurePosixPath(info.filename).suffix.lower() in _IMAGE or info.is_dir():
            continue
        if _declares_dtd(archive, info, filename, kind):
            raise _refuse(filename, f"the part {info.filename} declares an XML document type, "
                          f"which {kind} never writes, so the file was not read.", resave)
    return archive


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str,
                  kind: str) -> bool:
    tail = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(1 << 20):
                if _DTD.search(tail + chunk):
                    return True
                tail = chunk[-16:]
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise _refuse(filename, f"the file is not a {kind} document, or it is damaged "
                      f"({info.filename}: {exc}).",
                      f"Open it and save it again as {kind}, then upload that.") from None
    return False


# -- sheets ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetExtent:
    rows: int  # the last row holding a cell (0 for an empty sheet)
    columns: int  # the last column holding a cell
    merges: tuple[tuple[int, int, int, int], ...]  # (min_row, min_col, max_row, max_col)


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str) -> tuple[int, int] | None:
    match = _CELL_REF.match(ref.strip().upper().replace("$", ""))
    return (int(match[2]), column_number(match[1])) if match else None


def sheet_extent(archive: zipfile.ZipFile, part: str, filename: str, sheet: str) -> SheetExtent:
    """Where a sheet's cells and merged ranges reach, refusing a sheet beyond the limits."""
    from lxml import etree

    fix = ("Copy the table into a new workbook (only the cells it uses) and save that as "
           ".xlsx, then upload it.")
    rows = columns = row = merged_cells = 0
    merges: list[tuple[int, int, int, int]] = []

    def check(r: int, c: int) -> None:
        if c > MAX_COLUMNS:
            raise _refuse(filename, f"sheet '{sheet}' has cells out to column {column_letters(c)}; "
                          f"an action plan is read from columns A to {column_letters(MAX_COLUMNS)}.",
                          fix)
        if r > MAX_ROWS:
            raise _refuse(filename, f"sheet '{sheet}' has cells down to row {r:,}; at most "
                          f"{MAX_ROWS:,} rows are read, and no rows are left out silently.", fix)

    try:
        with archive.open(part) as stream:
            for _event, element in etree.iterparse(
                    stream, events=("end",), resolve_entities=False, huge_tree=False,
                    no_network=True, load_dtd=False):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "row":
                    row = int(element.get("r") or row + 1)
                    column = 0
                    for cell in element:
                        if cell.tag.rsplit("}", 1)[-1] != "c":
                            continue
                        where = _cell(cell.get("r") or "")
                        column = where[1] if where else column + 1
                        check(row, column)
                        columns = max(columns, column)
                    check(row, 1)
                    rows = max(rows, row)
                    element.clear()
                elif tag == "mergeCell":
                    first, _, last = (element.get("ref") or "").partition(":")
                    top, bottom = _cell(first), _cell(last or first)
                    if top and bottom:
                        check(bottom[0], bottom[1])
                        merged_cells += (bottom[0] - top[0] + 1) * (bottom[1] - top[1] + 1)
                        if merged_cells > MAX_MERGED_CELLS:
                            raise _refuse(filename, f"sheet '{sheet}' merges more than "
                                          f"{MAX_MERGED_CELLS:,} cells; an action plan merges a "
                                          "few.", fix)
                        merges.append((top[0], top[1], bottom[0], bottom[1]))
                    element.clear()
    except etree.XMLSyntaxError as exc:
        raise _refuse(filename, f"sheet '{sheet}' cannot be read ({exc.msg}).",
                      "Open it in Excel and save it again as .xlsx.") from None
    except KeyError:
        raise _refuse(filename, f"sheet '{sheet}' is missing from the file, which is damaged.",
                      "Open it in Excel and save it again as .xlsx.") from None
    return SheetExtent(rows, columns, tuple(merges))
