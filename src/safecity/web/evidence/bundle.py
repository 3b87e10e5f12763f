"""Read an assessment run or monthly pack (the folder ``safecity assess`` writes, or a zip of
it) within limits, before anything of it is stored. No Django here.

The folder is taken as it is: assessment.json (required: it says what the run is), the report,
the CSVs and whatever else the engine writes beside them, as long as each file is of a kind a
partner can open (:data:`EXTENSIONS`). The limits are read from the zip's directory or the
folder's listing before any file is read (``office_files.open_bounded_zip``, shared with the
action-plan import), and every refusal is one sentence naming the file and what to do.

CSV files are rewritten cell by cell through ``safe_text.csv_cell``, so a file edited by hand
after the engine wrote it cannot carry a spreadsheet formula to a partner; the engine's own
CSVs come through unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ...engine.assessment.output import SCHEMA
from ...engine.errors import SourceError
from ...engine.safe_text import csv_cell
from ..strategy.office_files import open_bounded_zip

MAX_FILES = 500  # a run writes about 40 (one CSV per table); maps and slides add a few
MAX_FILE_BYTES = 50 * 2**20
MAX_TOTAL_BYTES = 200 * 2**20  # the demo's 2019/20 run is 1.4 MB; a national one far less
EXTENSIONS = {".json", ".csv", ".html", ".pdf", ".docx", ".pptx", ".xlsx", ".svg", ".png",
              ".md", ".txt", ".geojson"}
KINDS = {"annual", "monthly"}


@dataclass(frozen=True)
class Bundle:
    """What a run is (from its assessment.json) and its files, by path in the run folder."""

    kind: str  # "annual" or "monthly"
    area_code: str
    area_name: str
    period_label: str
    period_start: dt.date
    period_end: dt.date
    generated_at: str
    headlines: dict
    files: dict[str, bytes]

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()


def _refuse(source: str, problem: str, fix: str) -> SourceError:
    return SourceError(source, problem, fix=fix)


def _skipped(name: str) -> bool:
    """Files an operating system adds to a folder or zip (never part of a run)."""
    parts = PurePosixPath(name).parts
    return any((p.startswith(".") and p not in (".", "..")) or p == "__MACOSX"
               for p in parts) or name.endswith("/")


def _clean_name(source: str, name: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise _refuse(source, f"the file {name!r} is outside the run folder.",
                      "Zip the folder safecity assess wrote, and nothing else.")
    if path.suffix.lower() not in EXTENSIONS:
        raise _refuse(source, f"{name} is not a kind of file a run holds (it holds "
                      f"{', '.join(sorted(EXTENSIONS))}).",
                      "Remove it from the folder and try again.")
    return str(path)


def read_directory(folder: str | Path) -> Bundle:
    """The run written to ``folder`` by ``safecity assess``."""
    root = Path(folder)
    source = str(root)
    if not (root / "assessment.json").is_file():
        raise _refuse(source, "the folder holds no assessment.json, so it is not an assessment "
                      "run or monthly pack.", "Give the folder safecity assess wrote (its "
                      "--out folder, or $SAFECITY_HOME/assessments/<area>-<period>).")
    paths = [p for p in sorted(root.rglob("*")) if p.is_file()
             and not _skipped(p.relative_to(root).as_posix())]
    if len(paths) > MAX_FILES:
        raise _refuse(source, f"the folder holds {len(paths):,} files; a run holds far fewer "
                      f"(at most {MAX_FILES:,} are read).", "Give the run's own folder.")
    total = 0
    for path in paths:
        size = path.stat().st_size
        total += size
        if size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise _refuse(source, f"{path.relative_to(root)} takes the run beyond "
                          f"{(MAX_FILE_BYTES if size > MAX_FILE_BYTES else MAX_TOTAL_BYTES) // 2**20}"
                          " MB, far more than a run needs.", "Give the run's own folder.")
    files = {_clean_name(source, p.relative_to(root).as_posix()): p.read_bytes() for p in paths}
    return _bundle(source, files)


def read_zip(data: bytes, filename: str, *, max_unzipped_bytes: int = MAX_TOTAL_BYTES
             ) -> Bundle:
    """The run in a zip of its folder (the folder itself may be the zip's one top folder)."""
    resave = "Zip the folder safecity assess wrote and upload that zip."
    archive = open_bounded_zip(
        data, filename, max_parts=MAX_FILES, max_part_bytes=MAX_FILE_BYTES,
        max_unzipped_bytes=max_unzipped_bytes, resave=resave, what="an assessment run",
        not_a_zip="the file is not a zip file, or it is damaged.", too_big_fix=resave)
    names = [i.filename for i in archive.infolist() if not _skipped(i.filename)]
    tops = {PurePosixPath(n).parts[0] for n in names}
    prefix = ""
    if "assessment.json" not in names and len(tops) == 1:
        prefix = next(iter(tops)) + "/"  # the folder was zipped, not its contents
    files = {}
    for name in names:
        try:
            data_ = archive.read(name)
        except (OSError, RuntimeError, NotImplementedError, EOFError, ValueError) as exc:
            raise _refuse(filename, f"{name} cannot be read from the zip ({exc}).",
                          resave) from None
        files[_clean_name(filename, name.removeprefix(prefix))] = data_
    if "assessment.json" not in files:
        raise _refuse(filename, "the zip holds no assessment.json, so it is not an assessment "
                      "run or monthly pack.", resave)
    return _bundle(filename, files)


def _date(source: str, value) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _refuse(source, f"assessment.json gives the period date {value!r}, which is not a "
                      "date.", "Publish the folder as safecity assess wrote it.") from None


def _bundle(source: str, files: dict[str, bytes]) -> Bundle:
    fix = "Publish the folder as safecity assess wrote it, without editing assessment.json."
    try:
        data = json.loads(files["assessment.json"].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refuse(source, f"assessment.json is not valid JSON ({exc}).", fix) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise _refuse(source, f"assessment.json is not a safecity assessment (its schema is not "
                      f"{SCHEMA}).", fix)
    period = data.get("period") or {}
    kind = data.get("kind", "annual")
    if kind not in KINDS or not isinstance(period, dict) or not data.get("area_code"):
        raise _refuse(source, "assessment.json does not say which area, period and kind of "
                      "run it is.", fix)
    headlines = data.get("headlines")
    for name, content in list(files.items()):
        if name.lower().endswith(".csv"):
            files[name] = _safe_csv(source, name, content)
    return Bundle(kind=kind, area_code=str(data["area_code"])[:12],
                  area_name=str(data.get("area_name") or data["area_code"])[:200],
                  period_label=str(period.get("label", ""))[:120],
                  period_start=_date(source, period.get("start")),
                  period_end=_date(source, period.get("end")),
                  generated_at=str(data.get("generated_at", ""))[:40],
                  headlines=headlines if isinstance(headlines, dict) else {}, files=files)


def _safe_csv(source: str, name: str, content: bytes) -> bytes:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(source, f"{name} is not UTF-8 text.", "Publish the CSV files as safecity "
                      "assess wrote them.") from None
    out = io.StringIO()
    writer = csv.writer(out)  # the engine writes CSVs with the csv module's own line ends
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([csv_cell(cell) for cell in row])
    rewritten = out.getvalue().encode("utf-8")
    return content if rewritten == content else rewritten
