"""police.uk, reading: the inputs in a file, folder, glob or archive zip, their header, the
published values (forces, outcomes) and the file-name conventions (``YYYY-MM-force-street``)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

from ...errors import SourceError
from ..base import InputFile

KIND = "police-uk"

#: Header names (lower case, trimmed) → our names. Anything else is read but ignored.
HEADER = {
    "crime id": "crime_id",
    "month": "month",
    "reported by": "reported_by",
    "falls within": "falls_within",
    "longitude": "longitude",
    "latitude": "latitude",
    "easting": "easting",      # early files (2010-2012)
    "northing": "northing",
    "location": "location",    # free text: never stored
    "lsoa code": "lsoa_code",
    "lsoa name": "lsoa_name",  # never stored
    "crime type": "crime_type",
    "last outcome category": "outcome",
    "context": "context",
}
REQUIRED = ("month", "crime_type")
#: Columns kept in rejects files (as supplied); free text stays out.
REJECT_COLUMNS = ("crime_id", "month", "falls_within", "longitude", "latitude", "easting",
                  "northing", "lsoa_code", "crime_type", "outcome")
#: The 'Falls within' and 'Last outcome category' values police.uk publishes. They only make
#: loading faster (known values are stored as one-byte ENUMs): any other value is stored as
#: supplied.
FORCES = (
    "Avon and Somerset Constabulary", "Bedfordshire Police", "British Transport Police",
    "Cambridgeshire Constabulary", "Cheshire Constabulary", "City of London Police",
    "Cleveland Police", "Cumbria Constabulary", "Derbyshire Constabulary",
    "Devon & Cornwall Police", "Dorset Police", "Durham Constabulary", "Dyfed-Powys Police",
    "Essex Police", "Gloucestershire Constabulary", "Greater Manchester Police", "Gwent Police",
    "Hampshire Constabulary", "Hertfordshire Constabulary", "Humberside Police", "Kent Police",
    "Lancashire Constabulary", "Leicestershire Police", "Lincolnshire Police",
    "Merseyside Police", "Metropolitan Police Service", "Norfolk Constabulary",
    "North Wales Police", "North Yorkshire Police", "Northamptonshire Police",
    "Northumbria Police", "Nottinghamshire Police", "Police Service of Northern Ireland",
    "South Wales Police", "South Yorkshire Police", "Staffordshire Police",
    "Suffolk Constabulary", "Surrey Police", "Sussex Police", "Thames Valley Police",
    "Warwickshire Police", "West Mercia Police", "West Midlands Police",
    "West Yorkshire Police", "Wiltshire Police",
)
OUTCOMES = (
    "Action to be taken by another organisation", "Awaiting court outcome",
    "Court case unable to proceed", "Court result unavailable", "Defendant found not guilty",
    "Defendant sent to Crown Court", "Formal action is not in the public interest",
    "Further action is not in the public interest",
    "Further investigation is not in the public interest",
    "Investigation complete; no suspect identified", "Local resolution",
    "Offender deprived of property", "Offender fined", "Offender given a caution",
    "Offender given a drugs possession warning", "Offender given absolute discharge",
    "Offender given community sentence", "Offender given conditional discharge",
    "Offender given penalty notice", "Offender given suspended prison sentence",
    "Offender ordered to pay compensation", "Offender otherwise dealt with",
    "Offender sent to prison", "Status update unavailable", "Suspect charged as part of "
    "another case", "Unable to prosecute suspect", "Under investigation",
)

_STREET = re.compile(r"^(?P<month>\d{4}-\d{2})-(?P<force>.+)-street\.csv(\.gz)?$", re.I)
_OTHER = re.compile(r"-(outcomes|stop-and-search)\.csv(\.gz)?$", re.I)
_DATA_SUFFIXES = (".csv", ".csv.gz", ".zip")


def sniff(header: list[str]) -> bool:
    """True for a street-level header: Month, Crime type and Falls within/Reported by."""
    names = {h.strip().lower().lstrip("\ufeff") for h in header}
    return {"month", "crime type"} <= names and bool({"falls within", "reported by"} & names)


def force_from_name(name: str) -> str | None:
    """The force slug in a police.uk file name ('2019-01-hampshire-street.csv' → 'hampshire')."""
    match = _STREET.match(Path(name).name)
    return match["force"].lower() if match else None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def expand(path: Path) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """(street inputs, [(name, why skipped)]) for a file, a folder (recursive) or a zip."""
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "there is no such file or folder.",
                          fix="Check the path and try again.")
    if path.is_dir():
        items: list[InputFile] = []
        skipped: list[tuple[str, str]] = []
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if not child.name.lower().endswith(_DATA_SUFFIXES):
                continue
            sub_items, sub_skipped = expand(child)
            items += sub_items
            skipped += sub_skipped
        if not items and not skipped:
            raise SourceError(path, "the folder holds no .csv, .csv.gz or .zip files.",
                              fix="Point at the folder you unpacked the police.uk download "
                                  "into.")
        return items, skipped
    if zipfile.is_zipfile(path):
        return _expand_zip(path)
    if _OTHER.search(path.name):
        return [], [(str(path), _skip_note(path.name))]
    return [InputFile(path=path, name=str(path), size=path.stat().st_size)], []



def _skip_note(name: str) -> str:
    what = "an outcomes file" if "outcomes" in name.lower() else "a stop-and-search file"
    return f"{what}, not street-level crime: skipped"


def _expand_zip(path: Path) -> tuple[list[InputFile], list[tuple[str, str]]]:
    items: list[InputFile] = []
    skipped: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.is_dir() or not info.filename.lower().endswith((".csv", ".csv.gz")):
                    continue
                name = f"{path}:{info.filename}"
                if _OTHER.search(info.filename):
                    skipped.append((name, _skip_note(info.filename)))
                    continue
                digest = hashlib.sha256()
                with archive.open(info) as fh:
                    while block := fh.read(1 << 20):
                        digest.update(block)
                items.append(InputFile(path=path, name=name, member=info.filename,
                                       sha256=digest.hexdigest(), size=info.file_size))
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(path, f"the zip archive cannot be read ({exc}).",
                          fix="Download it again from data.police.uk.") from None
    if not items and not skipped:
        raise SourceError(path, "the zip archive holds no CSV files.",
                          fix="Use the monthly archive from data.police.uk/data/archive.")
    return items, skipped


def materialise(item: InputFile, staging: Path) -> Path:
    """A path DuckDB can read: the file itself, or a zip member copied out (streamed)."""
    if item.member is None:
        return item.path
    target = staging / Path(item.member).name
    with zipfile.ZipFile(item.path) as archive, archive.open(item.member) as src, \
            open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return target


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def read_header(path: Path, display: str) -> list[str]:
    """The header row, or a SourceError saying why the file is not a police.uk CSV."""
    try:
        opener = gzip.open if is_gzip(path) else open
        with opener(path, "rb") as fh:
            head = fh.read(1 << 16)
    except (OSError, EOFError) as exc:
        raise SourceError(display, f"the file cannot be read ({exc}).",
                          fix="Download it again from data.police.uk.") from None
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise SourceError(display, "the file is empty.",
                          fix="Download it again from data.police.uk; a street file has a header "
                              "and one row per crime.")
    if b"\x00" in head[:4096]:  # text files never hold NUL bytes
        raise SourceError(display, "this is not a CSV file (it holds binary data).",
                          fix="Give the street-level CSV, the folder of months or the archive zip.")
    first = head.splitlines()[0] if head.splitlines() else head
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(display, "the header is not UTF-8 text.",
                          fix="data.police.uk files are UTF-8; download the file again.") from None
    return next(csv.reader(io.StringIO(text)), [])


def map_header(header: list[str], display: str) -> dict[str, int]:
    """Our column name → position in the file, checking the required columns are there."""
    names = [h.strip().lower() for h in header]
    if len(names) == 1:
        for delim, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|' characters")):
            if delim in header[0]:
                raise SourceError(display, f"the header is separated by {label}, not commas.",
                                  line=1, fix="Save the file as comma-separated CSV, as "
                                              "data.police.uk publishes it.")
    columns: dict[str, int] = {}
    for pos, name in enumerate(names):
        if name in HEADER and HEADER[name] not in columns:
            columns[HEADER[name]] = pos
    missing = [h for h, ours in HEADER.items() if ours in REQUIRED and ours not in columns]
    if missing:
        wanted = ", ".join(f"'{m.capitalize()}'" for m in missing)
        raise SourceError(display, f"the header has no {wanted} column "
                          f"(found: {', '.join(header)}).", line=1,
                          fix="Give a data.police.uk street-level file; outcomes and "
                              "stop-and-search files are not crime records.")
    return columns


