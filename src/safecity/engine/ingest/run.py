"""The ingest dispatcher: paths in, one atomic warehouse transaction, an ``IngestReport`` out.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "2019-01-hampshire-street.csv").write_text(
...     "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
...     "LSOA name,Crime type,Last outcome category,Context\\n"
...     "abc,2019-01,Hampshire Constabulary,Hampshire Constabulary,-1.40,50.91,On or near X,"
...     "E01017140,Southampton 001A,Burglary,Under investigation,\\n")
>>> report = ingest_paths([folder], warehouse=folder / "w")
>>> [(f.read, f.stored, f.rejected) for f in report.files]
[(1, 1, 0)]
>>> ingest_paths([folder], warehouse=folder / "w").files[0].skipped
True
"""

from __future__ import annotations

import csv
import glob
import gzip
import importlib
import io
import os
import re
import shutil
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence


from .. import contract, settings
from ..errors import ConfigError, SourceError
from ..governance.register import require_registration
from ..progress import NULL, Progress
from ..warehouse import Batch, Transaction, Warehouse
from ..yamlfile import read_yaml
from . import anomalies, pseudonymise
from .base import FileReport, IngestReport, InputFile, LoadContext, sha256_file

#: Source kind → module in this package exposing ``ADAPTER`` (imported only when needed).
REGISTRY: dict[str, str] = {
    "police-uk": "police_uk",
    "police-extract": "police_extract",
    "asb": "asb",
    "hate": "hate",
    "hate-third-party": "hate_third_party",
    "youth-justice": "youth_justice",
    "referrals": "referrals",
    "geography": "geography",
    "intelligence": "intelligence",
    "action-groups": "action_groups",
    # one adapter for every partner source, parameterised by engine/partners.py
    "fire": "partners", "health": "partners", "ambulance": "partners",
    "childrens-services": "partners", "treatment": "partners",
}
ALREADY_LOADED = "already loaded, nothing changed"
#: A file named for one month: ``2019-03-hampshire-street.csv``, ``2019-03_crimes.xlsx``.
_NAMED_MONTH = re.compile(r"^(\d{4}-(?:0[1-9]|1[0-2]))(?=[-_. ])")
#: Tables holding pseudonymised person keys (their batches record the key epoch).
_PERSONAL = {name for name, t in contract.TABLES.items() if any(c.personal for c in t.columns)}
_POLICE_UK_NAME = re.compile(r"^\d{4}-\d{2}-.+-(street|outcomes|stop-and-search)\.csv(\.gz)?$",
                             re.I)


def adapter_for(kind: str) -> Any:
    """The adapter for a source kind, or a SourceError listing the known kinds."""
    if kind not in REGISTRY:
        raise SourceError(kind, "is not a source kind safecity knows.",
                          fix=f"Use --source with one of: {', '.join(REGISTRY)}.")
    try:
        module = importlib.import_module(f"{__package__}.{REGISTRY[kind]}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{REGISTRY[kind]}":
            raise
        raise SourceError(kind, "has no reader in this version of safecity.",
                          fix=f"Readers available: {', '.join(available_kinds())}.") from None
    adapters = getattr(module, "ADAPTERS", None)
    return adapters[kind] if adapters is not None else module.ADAPTER


def available_kinds() -> list[str]:
    kinds = []
    for kind, module in REGISTRY.items():
        try:
            importlib.import_module(f"{__package__}.{module}")
        except ModuleNotFoundError:
            continue
        kinds.append(kind)
    return kinds


def load_mapping(path: Path | None) -> dict[str, Any] | None:
    """Parse a mapping YAML file (format in docs/data-contract.md); None when not given."""
    if path is None:
        return None
    data = read_yaml(path, "mapping file",
                     "Check its indentation and quoting against docs/data-contract.md.")
    if not isinstance(data, dict):
        raise ConfigError(f"The mapping file {path} does not hold a mapping (kind, tables…).",
                          fix="Start from the example mapping in docs/data-contract.md.")
    return data


def _header_rows(path: Path, limit: int = 5) -> list[list[str]]:
    """The first few non-empty rows of a CSV(.gz) or XLSX file, for sniffing its kind."""
    name = path.name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        try:
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
            rows = []
            for row in book.worksheets[0].iter_rows(values_only=True):
                cells = ["" if v is None else str(v) for v in row]
                if any(c.strip() for c in cells):
                    rows.append(cells)
                if len(rows) >= limit:
                    break
            book.close()
            return rows
        except Exception:  # not a workbook: let the adapter chosen by --source say why
            return []
    try:
        with open(path, "rb") as fh:
            gz = fh.read(2) == b"\x1f\x8b"
        opener = gzip.open if gz else open
        with opener(path, "rb") as fh:
            head = fh.read(1 << 16).decode("utf-8-sig", errors="replace")
    except (OSError, EOFError):
        return []
    lines = [line for line in head.splitlines()[:limit * 2] if line.strip()][:limit]
    return [next(csv.reader(io.StringIO(line)), []) for line in lines]


def guess_kind(path: Path) -> str:
    """The source kind of ``path`` from its contents; SourceError when not unmistakable."""
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "there is no such file or folder.",
                          fix="Check the path and try again.")
    probe = path
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file()
                       and p.name.lower().endswith((".csv", ".csv.gz", ".xlsx", ".zip")))
        if any(_POLICE_UK_NAME.search(p.name) for p in files):
            return "police-uk"
        if files and all(p.name.lower().endswith((".csv", ".csv.gz", ".zip")) for p in files):
            kinds = {guess_kind(p) for p in files[:3]}
            if len(kinds) == 1:
                return kinds.pop()
        raise SourceError(path, "safecity cannot tell which source this folder holds.",
                          fix=f"Add --source KIND ({', '.join(REGISTRY)}).")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            if any(n.lower().endswith("-street.csv") for n in archive.namelist()):
                return "police-uk"
        raise SourceError(path, "safecity cannot tell which source this archive holds.",
                          fix="Add --source KIND, or unpack it and ingest the files.")
    if _POLICE_UK_NAME.search(path.name):
        return "police-uk"  # data.police.uk's own file name; the reader checks the content
    rows = _header_rows(probe)
    if not rows:
        raise SourceError(path, "the file is empty or cannot be read as text.",
                          fix="Check it is the file you meant; a source file has a header row "
                              "and one row per record.")
    matches: list[str] = []
    for kind in available_kinds():
        sniff = getattr(adapter_for(kind), "sniff", None)
        if sniff is None:
            sniff = getattr(importlib.import_module(f"{__package__}.{REGISTRY[kind]}"),
                            "sniff", None)
        if sniff is not None and any(sniff(row) for row in rows):
            matches.append(kind)
    if len(matches) == 1:
        return matches[0]
    if "police-uk" in matches:  # the street header is unmistakable
        return "police-uk"
    problem = ("could be more than one source (" + ", ".join(matches) + ")." if matches
               else "does not look like any source safecity knows.")
    raise SourceError(path, problem, fix=f"Add --source KIND ({', '.join(REGISTRY)}).")


def _expand(adapter: Any, path: Path) -> tuple[list[InputFile], list[tuple[str, str]]]:
    if hasattr(adapter, "expand_with_notes"):
        return adapter.expand_with_notes(path)
    return adapter.expand(path), []


def _sized(item: InputFile) -> InputFile:
    return item if item.size else replace(item, size=item.path.stat().st_size)


def _hashed(item: InputFile) -> InputFile:
    if item.sha256:
        return item
    size = item.size or item.path.stat().st_size
    return InputFile(path=item.path, name=item.name, member=item.member,
                     sha256=sha256_file(item.path), size=size)


def _globbed(paths: Sequence[Path]) -> list[Path]:
    """``paths`` with glob patterns (``*``, ``?``, ``[``) that name no file expanded, sorted."""
    out: list[Path] = []
    for path in paths:
        text = str(path)
        if Path(path).exists() or not any(ch in text for ch in "*?["):
            out.append(Path(path))
            continue
        matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
        if not matches:
            raise SourceError(text, "the pattern matches no files.",
                              fix="Check the folder and the pattern, e.g. 'DIR/*.csv.gz'.")
        out += [Path(m) for m in matches]
    return out


def _of_forces(items: list[InputFile], forces: Sequence[str]) -> list[InputFile]:
    """The police.uk files of the named forces (by the force in the file name); a SourceError
    when a name matches no file."""
    from .police_uk import force_from_name, slug

    def short(name: str) -> str:
        return re.sub(r"-(constabulary|police|police-service)$", "", slug(name))

    wanted = {short(f): f for f in forces}
    kept = [item for item in items
            if short(force_from_name(item.member or item.path.name) or "") in wanted]
    found = {short(force_from_name(item.member or item.path.name) or "") for item in kept}
    missing = [name for key, name in wanted.items() if key not in found]
    if missing:
        raise SourceError(", ".join(missing), "no police.uk file of this force was found.",
                          fix="Use the force as it appears in the file names, e.g. "
                              "'--force hampshire' for 2019-01-hampshire-street.csv.")
    return kept


def _load_together(hashed: list[tuple[str, InputFile]], later: dict[int, Any],
                   loaded: dict[str, str], tx: Any, ctx: LoadContext,
                   progress: Progress) -> dict[int, Any]:
    """Batches of the files an adapter loads many at a time (``load_many``: police.uk), keyed
    by ``id(item)``: each run of consecutive files of one such kind that will load (not already
    loaded, not a repeat within the command) goes to the adapter in one call, which pays its
    per-file costs once per run. The caller adds the batches in order, as if loaded one by
    one."""
    out: dict[int, Any] = {}
    seen: set[str] = set()
    run: list[InputFile] = []
    run_kind = None

    def flush() -> None:
        if run:
            def done(item: InputFile) -> None:
                progress.advance(item.size or 0)
            batches = adapter_for(run_kind).load_many(list(run), tx, ctx, done)
            out.update((id(item), batch) for item, batch in zip(run, batches))
            run.clear()

    for kind, item in hashed:
        will_load = id(item) in later or (item.sha256 not in loaded and item.sha256 not in seen)
        seen.add(item.sha256)
        if not will_load or not hasattr(adapter_for(kind), "load_many"):
            flush()
            continue
        if kind != run_kind:
            flush()
            run_kind = kind
        run.append(item)
    flush()
    return out


def ingest_paths(paths: Sequence[Path], *, source: str | None = None,
                 warehouse: Warehouse | Path | None = None, mapping: Path | None = None,
                 progress: Progress = NULL, supplier: str | None = None,
                 forces: Sequence[str] = (), replace_loaded: bool = False) -> IngestReport:
    """Load ``paths`` into the warehouse in one transaction and report what happened.

    A path may be a file, a folder, an archive zip or a glob pattern (``DIR/*.csv.gz``, for a
    pattern the shell did not expand). ``forces``: load only the police.uk files of these forces
    (``hampshire``, or ``Hampshire Constabulary``), e.g. from the monthly archive of all forces.

    Files whose content (sha256) is already loaded are skipped. A structural error in any file
    raises ``SourceError`` and leaves the warehouse exactly as it was. A record-level source
    with no current information sharing agreement in the register is refused before anything
    is read (``governance.require_registration``); ``supplier`` names the register entry when
    a source kind has more than one (a mapping file's ``supplier:`` key does the same). A
    replacement that would shrink loaded months (``replacement_guard``) is refused unless
    ``replace_loaded`` confirms it, and so is a pseudonymisation key that is not the one the
    warehouse recorded.
    """
    wh = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    small_files = settings.get("compact_small_files")  # a bad value stops before any load
    key_record = pseudonymise.check_key(wh.manifest())
    parsed_mapping = load_mapping(mapping)
    if source is None and parsed_mapping and parsed_mapping.get("kind") in REGISTRY:
        source = parsed_mapping["kind"]
    if source is not None:
        adapter_for(source)  # fail early on an unknown kind
    if not paths:
        raise SourceError("(no paths)", "nothing to ingest.", fix="Name at least one file or folder.")

    plan: list[tuple[str, InputFile]] = []
    skipped_notes: list[FileReport] = []
    kinds: list[str] = []
    for path in _globbed(paths):
        kind = source or guess_kind(Path(path))
        kinds += [kind] if kind not in kinds else []
        items, skipped = _expand(adapter_for(kind), Path(path))
        if forces and kind == "police-uk":
            items = _of_forces(items, forces)
        plan += [(kind, item) for item in items]
        skipped_notes += [FileReport(name=n, source=kind, read=0, stored=0, rejected=0,
                                     skipped=True, notes=(why,)) for n, why in skipped]
    supplier = supplier or (parsed_mapping or {}).get("supplier")
    warnings = tuple(w for kind in kinds for w in require_registration(
        wh.root, kind, supplier=supplier).warnings)

    # Content already loaded is skipped, which needs each file's sha256 first. Equal content
    # has equal size, so a file whose size matches nothing loaded (nor another file in this
    # command) cannot be a repeat: it is hashed on a background thread while it loads (the
    # hash releases the GIL), instead of in a single-threaded pass before the load.
    plan = [(kind, _sized(item)) for kind, item in plan]
    sizes = [i.get("size") for b in wh.batches() for i in b.inputs]
    counts = Counter(item.size for _, item in plan)
    first = [(k, i) for k, i in plan if i.sha256 == "" and (
        None in sizes or i.size in sizes or counts[i.size] > 1)]
    progress.start("Checking files", total=sum(i.size for _, i in first) or None)
    done = {id(item): _hashed(item) for _, item in first}
    for _, item in first:
        progress.advance(item.size)
    progress.finish()
    hashed = [(kind, done.get(id(item), item)) for kind, item in plan]

    reports: list[FileReport] = list(skipped_notes)
    named: list[tuple[InputFile, Batch]] = []
    loaded = wh.loaded_hashes()
    seen: dict[str, str] = {}
    ctx = LoadContext(mapping=parsed_mapping, progress=NULL)
    # Some files depend on others loaded in the same command (an extract's victims take their
    # month from their crimes); an adapter with ``load_order`` says which go first.
    hashed.sort(key=lambda ki: getattr(adapter_for(ki[0]), "load_order", lambda i, c: 0)(ki[1], ctx))
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        with wh.transaction() as tx:
            later = {id(item): pool.submit(sha256_file, item.path)
                     for _, item in hashed if not item.sha256}
            # Staging folders a killed ingest left behind; safe to remove while we hold the lock.
            shutil.rmtree(wh.root / ".staging", ignore_errors=True)
            progress.start("Loading", total=sum(i.size or 0 for _, i in hashed) or None)
            preloaded = _load_together(hashed, later, loaded, tx, ctx, progress)
            for kind, item in hashed:
                batch = preloaded.get(id(item))
                if id(item) in later:  # cannot be a repeat (see above): load while it is hashed
                    batch = batch or adapter_for(kind).load(item, tx, ctx)
                    item = replace(item, sha256=later[id(item)].result())
                    for entry in batch.inputs:
                        entry["sha256"] = entry["sha256"] or item.sha256
                if item.sha256 in loaded or item.sha256 in seen:
                    note = (ALREADY_LOADED if item.sha256 in loaded
                            else f"same content as {seen[item.sha256]}: {ALREADY_LOADED}")
                    reports.append(FileReport(name=item.name, source=kind, read=0, stored=0,
                                              rejected=0, skipped=True, notes=(note,)))
                    progress.advance(item.size or 0)
                    continue
                seen[item.sha256] = item.name
                batch = batch or adapter_for(kind).load(item, tx, ctx)
                tx.add(batch)
                named.append((item, batch))
                batch.notes += _stray_months(item, batch)
                reports.append(FileReport(
                    name=item.name, source=kind, read=batch.read, stored=batch.stored,
                    rejected=batch.rejected, months=tuple(batch.months),
                    rejects_file=(str(wh.root / batch.rejects_file) if batch.rejects_file else None),
                    notes=tuple(batch.notes)))
                if id(item) not in preloaded:
                    progress.advance(item.size or 0)
            progress.finish()
            orphans = replacement_guard(tx, named, replace_loaded)
            replacements = tuple(f"A newer file replaces months already loaded: {s}"
                                 for s in tx.replacements)
            replacements += tuple(
                f"Removed {n:,} {table} rows whose crimes the newer file does not have."
                for table, n in sorted(orphans.items()))
            _record_key(tx, key_record, named)
            warnings += _flag_warnings(tx, named)
    finally:
        # An error stops the load: no need to finish hashing files that will not load.
        pool.shutdown(cancel_futures=True)
    shutil.rmtree(wh.root / ".staging", ignore_errors=True)
    return IngestReport(files=tuple(reports), replacements=replacements, warnings=warnings,
                        compaction=_compact_after(wh, named, progress, small_files))


def _compact_after(wh: Warehouse, named: list, progress: Progress,
                   small_files: int) -> str | None:
    """Compact where this load made small files pile up (``compaction.compact_due``), in its
    own transaction once the load has committed: a kill during it leaves the warehouse as the
    load left it, and the next load compacts again."""
    from ..compaction import compact_due

    if not named:
        return None
    done = compact_due(wh, progress, small_files)
    if done is None:
        return None
    return (f"Compacted {done.batches:,} small batches into {done.groups:,} (one per source, "
            f"force and year: {done.files_before:,} table files before, {done.files_after:,} "
            f"after); set SAFECITY_COMPACT_SMALL_FILES=0 to leave it to 'safecity warehouse "
            f"compact'.")


def _base_name(item: InputFile) -> str:
    name = Path(item.member or item.path.name).name
    return name[:-3] if name.lower().endswith(".gz") else name


def _stray_months(item: InputFile, batch: Batch) -> list[str]:
    """A note when a file named for one month also has rows of others (those rows replace
    their own months, under the same guard)."""
    match = _NAMED_MONTH.match(_base_name(item))
    if not match or match.group(1) not in batch.months or len(batch.months) < 2:
        return []
    stray = {m: sum(c.values()) for m, c in batch.profile.items() if m != match.group(1)}
    return [f"named for {match.group(1)} but also has rows for "
            + ", ".join(f"{m} ({n:,})" for m, n in sorted(stray.items()))]


def replacement_guard(tx: Transaction, named: list[tuple[InputFile, Batch]],
                      confirmed: bool) -> dict[str, int]:
    """Refuse (SourceError, the transaction then discarded) a load that would shrink what is
    loaded without ``--replace``: a loaded month replaced by fewer than ``replace_min_share`` of
    its rows, a file whose name and rows disagree on the month, or victims and suspects left
    pointing at crimes a newer file does not have (those are removed when confirmed). Returns
    table → rows of victims and suspects removed."""
    share = settings.get("replace_min_share")
    problems: list[str] = []
    for source, scope, month, old, new, names in tx.shrinks:
        if old and new < share * old:
            where = f"{source} {scope}" if scope and scope != source else source
            problems.append(f"{names} would replace {month} of {where} ({old:,} rows loaded) "
                            f"with {new:,} rows, so {old - new:,} rows would go")
    for item, batch in named:
        match = _NAMED_MONTH.match(_base_name(item))
        if match and batch.months and match.group(1) not in batch.months:
            problems.append(f"{item.name} is named for {match.group(1)} but its rows are for "
                            f"{', '.join(batch.months)} ({batch.stored:,} rows would be stored "
                            "under the rows' months)")
    orphans = tx.orphans()
    if orphans:
        problems.append(" and ".join(f"{n:,} {table} rows" for table, n in sorted(orphans.items()))
                        + " would go, as their crimes are replaced by a file that does not have "
                          "them")
    if problems and not confirmed:
        shown = problems[:3] + ([f"{len(problems) - 3} more like these"] if len(problems) > 3
                                else [])
        raise SourceError(named[0][0].name if len(named) == 1 else "ingest",
                          "refused, nothing was changed: " + "; ".join(shown) + ".",
                          fix="If that is what you mean, run the same command with --replace.")
    return orphans


def _record_key(tx: Transaction, record: dict | None,
                named: list[tuple[InputFile, Batch]]) -> None:
    """Record the key's fingerprint (first time) and the epoch of each batch of person keys."""
    record = pseudonymise.current_record(record)
    if record is None:
        return
    tx.extra[pseudonymise.KEY_FIELD] = record
    for _, batch in named:
        if any(t in _PERSONAL and bt.rows for t, bt in batch.tables.items()):
            batch.key_epoch = record["epoch"]


def _flag_warnings(tx: Transaction, named: list[tuple[InputFile, Batch]]) -> tuple[str, ...]:
    """The loud sentences for flagged months this load touched or newly raised."""
    before = anomalies.month_flags(tx.extra)
    now = anomalies.month_flags({anomalies.FLAGS_FIELD: anomalies.flag_entries(
        tx.current(), anomalies.month_exclusions(tx.extra))})
    touched = {(b.source, anomalies.force_of(b.source, b.scope), m)
               for _, b in named for m in b.months}
    return tuple(anomalies.flag_sentence(key, reason) for key, reason in sorted(
        now.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2]))
        if key in touched or key not in before)
