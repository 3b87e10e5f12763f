"""The Parquet warehouse: layout, manifest, atomic ingest transactions, DuckDB connection.

Layout of a warehouse folder ``W`` (default ``$SAFECITY_HOME/warehouse``)::

    W/manifest.json                  the only record of what is loaded (batches, files, months)
    W/data/<table>/<file>.parquet    one Parquet file per table per batch (never modified), with
                                     the table's full contract schema; ``compaction`` merges
                                     the batches of a source, scope and year into one (ingest
                                     does so once 12 small files of a year pile up)
    W/rejects/<batch_id>.csv         rejected rows of a batch: source line, reason, raw values
    W/.lock                          held while an ingest writes

Atomicity: an ingest writes new Parquet files under fresh names, then replaces ``manifest.json``
in a single ``os.replace``. Readers only ever open files the manifest lists, so an ingest killed at
any point leaves the warehouse exactly as it was; files it left behind are unreferenced and removed
by the next transaction (``_collect_garbage``).

The SQL stays portable (plain views over Parquet) so the same queries could run on a distributed
engine over the same files.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import contract, settings
from .errors import WarehouseError
from .sql import literal_list

MANIFEST_VERSION = 1


@dataclass
class BatchTable:
    """One table's Parquet file in a batch."""

    file: str  # relative to the warehouse root
    rows: int
    #: ``schema_mark(table)`` when the file holds the table's whole contract schema (checked
    #: from its footer when the batch was added), so readers need not open its footer to find
    #: missing columns; None for files written before marks were recorded
    schema: str | None = None


def schema_mark(table_name: str) -> str:
    """A short fingerprint of a table's contract columns (names in order, lineage included):
    what ``BatchTable.schema`` records for a file that carries all of them."""
    names = ",".join(contract.table(table_name).arrow_schema.names)
    return hashlib.sha256(names.encode()).hexdigest()[:12]


def _has_contract_schema(path: Path, table_name: str) -> bool:
    """Whether a Parquet file's footer lists the table's contract columns, in order."""
    return pq.read_schema(path).names == contract.table(table_name).arrow_schema.names


@dataclass
class Batch:
    """One loaded input file (or one logical input such as a zip member) and what it wrote."""

    batch_id: str
    source: str
    scope: str  # replacement scope: a newer batch with the same source+scope replaces months
    inputs: list[dict[str, Any]]  # [{"name":..., "sha256":..., "size":...}]
    months: list[str]
    tables: dict[str, BatchTable]
    read: int
    stored: int
    rejected: int
    rejects_file: str | None = None
    whole: bool = False  # a newer batch of the same source+scope replaces this one entirely
    replaced: int = 0  # stored rows later replaced by a newer file
    removed: int = 0  # stored rows later purged (retention) or erased (a subject's request):
    # read = stored + rejected + replaced + removed
    loaded_at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc)
                           .isoformat(timespec="seconds"))
    notes: list[str] = field(default_factory=list)
    #: rows per month and category key (``ingest.anomalies.batch_profile``), for the anomaly
    #: checks and the replacement guard; empty for batches loaded before it was recorded
    profile: dict[str, dict[str, int]] = field(default_factory=dict)
    key_epoch: int | None = None  # pseudonymisation key epoch its person keys were made under

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["tables"] = {k: {f: x for f, x in v.__dict__.items()
                              if f != "schema" or x is not None}
                          for k, v in self.tables.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Batch":
        """A batch from its manifest entry. Its lists and maps are copies: the parsed
        manifest is shared by every reader of the warehouse (``Warehouse.manifest``)."""
        data = dict(data)
        data["tables"] = {k: BatchTable(**v) for k, v in data["tables"].items()}
        data["inputs"] = [dict(i) for i in data.get("inputs", [])]
        for name in ("months", "notes"):
            if name in data:
                data[name] = list(data[name])
        if "profile" in data:
            data["profile"] = {m: dict(c) for m, c in (data["profile"] or {}).items()}
        return cls(**data)


#: Parsed manifests by path, with the (inode, mtime, size) they were parsed at: a manifest is
#: only ever replaced whole (``os.replace``: a new inode), so an unchanged key is the same
#: manifest and it is parsed once however many tables, connections or Warehouse objects read
#: it (a ten-year national manifest is about 7 MB: 0.4 s to parse).
_PARSED: dict[Path, tuple[tuple[int, int, int], dict[str, Any], dict[str, list["_Part"]]]] = {}
_PARSED_KEEP = 4
_PARSED_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Part:
    """One table file and the partition it belongs to (its batch's source and months): the
    manifest is the warehouse's partition index."""

    table: BatchTable
    source: str
    months: frozenset[str]


def new_batch_id() -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{uuid.uuid4().hex[:8]}"


class Warehouse:
    """A warehouse folder. Cheap to construct; reads the manifest on demand."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = settings.warehouse_dir(root)

    # -- layout -----------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def rejects_dir(self) -> Path:
        return self.root / "rejects"

    def exists(self) -> bool:
        return self.manifest_path.exists()

    # -- manifest ---------------------------------------------------------------------------
    def batches(self) -> list[Batch]:
        """Every batch currently loaded, oldest first."""
        return [Batch.from_json(b) for b in self.manifest().get("batches", [])]

    def manifest(self) -> dict[str, Any]:
        """The whole manifest: ``batches`` and the warehouse-wide records beside them (month
        flags and exclusions, ``ingest.anomalies``; the pseudonymisation key's fingerprint,
        ``ingest.pseudonymise``). ``{}`` when nothing was ever loaded. Parsed once per
        version of the file (``_PARSED``) and shared: callers must not modify it."""
        return self._parsed()[1]

    def _parsed(self) -> tuple[Any, dict[str, Any], dict[str, list[_Part]]]:
        """(key, manifest, table → its non-empty files) of the current manifest."""
        path = self.manifest_path
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None, {}, {}
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        cached = _PARSED.get(path)
        if cached and cached[0] == key:
            return cached
        data = self._read_manifest()
        files: dict[str, list[_Part]] = {}
        for b in data.get("batches", []):
            months = frozenset(b.get("months") or ())
            for name, t in b["tables"].items():
                if t["rows"] > 0:
                    files.setdefault(name, []).append(_Part(BatchTable(**t), b["source"], months))
        entry = (key, data, files)
        with _PARSED_LOCK:  # the web app reads warehouses from several threads
            while len(_PARSED) >= _PARSED_KEEP:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[path] = entry
        return entry

    def _read_manifest(self) -> dict[str, Any]:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise WarehouseError(
                f"The warehouse manifest {self.manifest_path} cannot be read ({exc}).",
                fix="Restore it from a backup, or remove the warehouse folder and ingest again.",
            ) from None
        if data.get("version") != MANIFEST_VERSION:
            raise WarehouseError(
                f"The warehouse manifest {self.manifest_path} has version {data.get('version')!r}; "
                f"this safecity reads version {MANIFEST_VERSION}.",
                fix="Use the safecity release that wrote it, or re-ingest into a new warehouse.",
            )
        return data

    def files(self, table_name: str) -> list[Path]:
        """Absolute paths of the Parquet files that make up ``table_name``."""
        return [self.root / t.file for t in self._table_files(table_name)]

    def _table_files(self, table_name: str, months: frozenset[str] | None = None,
                     sources: frozenset[str] | None = None) -> list[BatchTable]:
        return [p.table for p in self._parts(table_name, months, sources)]

    def _parts(self, table_name: str, months: frozenset[str] | None = None,
               sources: frozenset[str] | None = None) -> list[_Part]:
        """The table's files, or only those of the batches holding any of ``months`` (a batch
        with no months recorded may hold any) and of ``sources``."""
        contract.table(table_name)
        return [p for p in self._parsed()[2].get(table_name, [])
                if (months is None or not p.months or p.months & months)
                and (sources is None or p.source in sources)]

    def loaded_hashes(self) -> dict[str, str]:
        """sha256 of every input file currently loaded → batch_id (for idempotent ingest)."""
        return {i["sha256"]: b.batch_id for b in self.batches() for i in b.inputs}

    def manifest_records(self, name: str) -> list[dict[str, Any]]:
        """A top-level list of records in the manifest beside the batches (``purges``,
        ``subject_requests``…); [] when there is none."""
        return list(self.manifest().get(name) or [])

    def _write_manifest(self, batches: list[Batch],
                        records: dict[str, list[dict[str, Any]]] | None = None,
                        extra: dict[str, Any] | None = None) -> None:
        """Replace the manifest: ``batches``; ``records`` appended to their top-level lists;
        ``extra`` top-level fields set (month flags, exclusions, the key record). Every other
        top-level field is carried over. Called only under the warehouse lock."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest_path.with_name(f".manifest.{uuid.uuid4().hex}.tmp")
        payload: dict[str, Any] = {}
        if self.manifest_path.exists():
            payload = {k: v for k, v in self.manifest().items() if k != "batches"}
        payload.update(extra or {})
        for name, added in (records or {}).items():
            payload[name] = list(payload.get(name) or []) + added
        payload.update({"version": MANIFEST_VERSION, "batches": [b.to_json() for b in batches]})
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.manifest_path)
        with _PARSED_LOCK:
            _PARSED.pop(self.manifest_path, None)
        with contextlib.suppress(OSError):  # make the rename itself durable where supported
            dir_fd = os.open(self.root, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    # -- writing ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator["Transaction"]:
        """All-or-nothing: either every batch added is committed with one manifest write, or none.

        Only one transaction may write at a time (an exclusive lock on ``W/.lock``).
        """
        self.root.mkdir(parents=True, exist_ok=True)
        lock_path = self.root / ".lock"
        with open(lock_path, "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WarehouseError(
                    f"Another safecity ingest is writing to {self.root}.",
                    fix="Wait for it to finish, then try again.",
                ) from None
            try:
                self._collect_garbage()
                tx = Transaction(self)
                try:
                    yield tx
                except BaseException:
                    tx._discard()
                    raise
                tx._commit()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _collect_garbage(self) -> None:
        """Remove files a killed ingest left behind (anything the manifest does not reference)."""
        referenced = {self.root / t.file for b in self.batches() for t in b.tables.values()}
        referenced |= {self.root / b.rejects_file for b in self.batches() if b.rejects_file}
        for folder in (self.data_dir, self.rejects_dir):
            if not folder.exists():
                continue
            for path in folder.rglob("*"):
                if path.is_file() and path not in referenced:
                    path.unlink(missing_ok=True)
        for tmp in self.root.glob(".manifest.*.tmp"):
            tmp.unlink(missing_ok=True)

    # -- reading ----------------------------------------------------------------------------
    def connect(self, *, threads: int | None = None, months: Iterable[str] | None = None,
                sources: Iterable[str] | None = None) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with one view per contract table.

        A table with no data is an empty view with the contract's columns, so queries never fail
        on a missing table; callers check ``has_data`` to decide whether a section is available.

        ``months`` and ``sources`` scope the connection (all-CSP benchmarking reads one year of
        police.uk): each table with a ``month`` column shows only the rows of those months, and
        every table only the batches loaded from those sources (ingest kinds, ``Batch.source``).
        The files of the batches left out never reach DuckDB: the manifest, which records each
        batch's source, force and months, is the partition index, so they are not opened to
        find out from their statistics. Ten years of national data is 5,000 files per table; a
        year of them is 500.
        """
        con = duckdb.connect(":memory:")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        # Each query scanning a view opens its files' footers; keep them for the connection's
        # later queries instead of reading them again (DuckDB checks each file's modification
        # time, and committed files are never rewritten).
        con.execute("SET parquet_metadata_cache = true")
        want_months = frozenset(months) if months is not None else None
        want_sources = frozenset(sources) if sources is not None else None
        for name, tbl in contract.TABLES.items():
            dated = want_months if "month" in {c.name for c in tbl.columns} else None
            parts = self._parts(name, dated, want_sources)
            if parts:
                relation = self._relation(name, parts)
                if dated is not None:
                    relation = (f"SELECT * FROM ({relation}) WHERE month IN "
                                f"({literal_list(sorted(dated))})")
                con.execute(f"CREATE VIEW {name} AS {relation}")
            else:
                cols = ", ".join(f"CAST(NULL AS {c.type.duckdb}) AS {c.name}" for c in tbl.columns)
                con.execute(
                    f"CREATE VIEW {name} AS SELECT {cols}, CAST(NULL AS VARCHAR) AS batch_id, "
                    f"CAST(NULL AS BIGINT) AS source_line WHERE false"
                )
        return con

    def _relation(self, name: str, parts: list[_Part]) -> str:
        """The SQL a table's view reads. Files marked with the whole contract schema (every
        file ingest and compaction write) are read by name as they are: DuckDB takes the
        columns from one footer and matches every other file to them, reading each footer only
        when it scans the file; a dated table's files are read year by year (``_by_year``).
        Otherwise (a warehouse written before the marks) the files' footers are read to find
        the columns a file lacks, ``union_by_name`` lines them up, and the grid reference is
        derived where a file has none."""
        tables = [p.table for p in parts]
        files = [self.root / t.file for t in tables]
        listing = literal_list(files)
        mark = schema_mark(name)
        if all(t.schema == mark for t in tables):
            return self._by_year(name, parts)
        tbl = contract.table(name)
        # A writer may leave out columns it never fills (police.uk has no offence codes or
        # flags): readers still see every contract column, NULL where no file has it.
        present = set().union(*(_columns_of(str(f)) for f in files))
        missing = "".join(f", CAST(NULL AS {kind}) AS {col}"
                          for col, kind in _view_columns(tbl) if col not in present)
        relation = f"SELECT *{missing} FROM read_parquet([{listing}], union_by_name = true)"
        if _COORDINATES <= {c.name for c in tbl.columns} and any(
                not {"easting", "northing"} <= _columns_of(str(f)) for f in files):
            relation = _with_grid_reference(relation)
        return relation

    def _by_year(self, name: str, parts: list[_Part]) -> str:
        """The files of a table read as one branch per year of their batches' months, each
        branch saying which recorded dates it holds, so a query for some dates never opens
        the other years' files: DuckDB's optimizer drops a branch whose dates cannot match
        before it is scanned (checked in tests/engine/test_warehouse_reading.py). Exact by the
        contract: in a table with ``recorded_date`` (required) and ``month`` (derived from
        it), a batch whose months all lie in one year holds only rows recorded in that year.
        A batch spanning years, and any other table, is read in one unfiltered branch. Ten
        years of national police.uk are 5,000 files per table: a query for one or two years
        then pays for 500 or 1,000 of them."""
        columns = {c.name for c in contract.table(name).columns}
        years: dict[str | None, list[Path]] = {}
        for p in parts:
            single = {m[:4] for m in p.months}
            year = single.pop() if len(single) == 1 and {"recorded_date", "month"} <= columns \
                else None
            years.setdefault(year, []).append(self.root / p.table.file)
        branches = []
        for year, files in sorted(years.items(), key=lambda kv: kv[0] or ""):
            branch = f"SELECT * FROM read_parquet([{literal_list(files)}])"
            if year is not None and len(years) > 1:
                branch += (f" WHERE recorded_date BETWEEN DATE '{year}-01-01' AND "
                           f"DATE '{year}-12-31'")
            branches.append(branch)
        return " UNION ALL ".join(branches)

    def has_data(self, table_name: str) -> bool:
        return bool(self._table_files(table_name))


_COORDINATES = {"longitude", "latitude", "easting", "northing"}
#: Tables whose rows point at a crime (``crime_ref``) and take its month.
_LINKED_TO_CRIMES = ("victims", "suspects")


def _month_rows(root: Path, batch: Batch) -> dict[str, int]:
    """Rows per month of a batch (every table), from its profile or, for a batch loaded before
    profiles were recorded, from its Parquet files."""
    profile = batch.profile
    if not profile and batch.months:
        from .ingest.anomalies import batch_profile

        profile = batch_profile(root, batch.tables)
    return {m: sum(c.values()) for m, c in profile.items()}


def _with_grid_reference(relation: str) -> str:
    """``relation`` with easting and northing derived from longitude and latitude where a row
    has none. data.police.uk publishes longitude and latitude only; ingest stores them as given
    and the British National Grid reference is computed here, by the same SQL projection
    (``bng_sql``, checked against pyproj), for the rows a query actually reads: projecting
    every row at ingest cost about a tenth of a national file's load time, and most queries
    never read the grid reference (DuckDB then leaves the projection out of the plan). Rows
    with their own easting and northing keep them. Only a table with a file that has no
    easting column gets this view: planning it costs a few milliseconds a query."""
    from .bng_sql import bng_sql

    need = "easting IS NULL OR northing IS NULL"
    return (f"SELECT * EXCLUDE (bng_e, bng_n) REPLACE ("
            f"CASE WHEN {need} THEN bng_e ELSE easting END AS easting, "
            f"CASE WHEN {need} THEN bng_n ELSE northing END AS northing) FROM ("
            + bng_sql(f"({relation})", lon=f"CASE WHEN {need} THEN longitude END",
                      lat=f"CASE WHEN {need} THEN latitude END") + ")")


@lru_cache(maxsize=4096)
def _columns_of(path: str) -> frozenset[str]:
    """The column names in a Parquet file's footer. Cached by path: committed files are never
    overwritten (every write gets a new unique name)."""
    return frozenset(pq.read_schema(path).names)


def _view_columns(tbl: contract.Table) -> list[tuple[str, str]]:
    """(name, DuckDB type) of every column a table's view shows."""
    return [(c.name, c.type.duckdb) for c in tbl.columns] + [
        ("batch_id", "VARCHAR"), ("source_line", "BIGINT")]


class Transaction:
    """Collects batches written during ``Warehouse.transaction()``."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        manifest = warehouse.manifest()
        self._before = [Batch.from_json(b) for b in manifest.get("batches", [])]
        #: the warehouse-wide manifest records (flags, exclusions, key); written on commit
        self.extra: dict[str, Any] = copy.deepcopy({k: v for k, v in manifest.items()
                                                    if k not in ("version", "batches")})
        self._touched = False
        #: months a newer batch replaces: (source, scope, month, rows loaded, rows replacing,
        #: names of the new inputs), for the replacement guard
        self.shrinks: list[tuple[str, str, str, int, int, str]] = []
        self._replaced_months: dict[str, set[str]] = {}  # source -> months whose crimes went
        self._batches: list[Batch] = []
        self._written: list[Path] = []
        self._replaced: dict[str, Batch] = {}  # batch_id → rewritten older batch
        self._dropped: set[str] = set()  # batch_ids removed entirely
        self._records: dict[str, list[dict[str, Any]]] = {}  # manifest records to append
        self.replacements: list[str] = []  # sentences for the user

    # Paths handed to writers: new unique names, so nothing committed is ever overwritten.
    def table_path(self, table_name: str, batch_id: str) -> Path:
        path = self.warehouse.data_dir / table_name / f"{batch_id}-{uuid.uuid4().hex[:6]}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._written.append(path)
        return path

    def rejects_path(self, batch_id: str) -> Path:
        path = self.warehouse.rejects_dir / f"{batch_id}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._written.append(path)
        return path

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.warehouse.root))

    def write_table(self, table_name: str, batch_id: str, data: pa.Table) -> BatchTable:
        """Write an Arrow table (already in contract schema) as a new Parquet file."""
        schema = contract.table(table_name).arrow_schema
        # A file may lack columns its writer never fills (see ``connect``): NULL when rewritten.
        for field in schema:
            if field.name not in data.column_names:
                data = data.append_column(field.name, pa.nulls(data.num_rows, field.type))
        data = data.select(schema.names).cast(schema)
        path = self.table_path(table_name, batch_id)
        pq.write_table(data, path, compression="zstd")
        return BatchTable(self.relative(path), data.num_rows, schema_mark(table_name))

    def add(self, batch: Batch) -> None:
        """Add a batch. A batch of the same source and scope covering the same months replaces
        those months of the older batch (the older file is rewritten without them); a ``whole``
        batch (a table with no months, such as geography) replaces every older one of its scope."""
        if not batch.profile and batch.months:
            from .ingest.anomalies import batch_profile

            batch.profile = batch_profile(self.warehouse.root, batch.tables)
        self._mark(batch)
        self._supersede(batch)
        self._batches.append(batch)

    def _mark(self, batch: Batch) -> None:
        """Record on each of a new batch's files whether it carries its table's whole contract
        schema (one footer read, while the file is fresh in the page cache), so no reader has
        to open the footer to find out."""
        for name, bt in batch.tables.items():
            if bt.schema is None and _has_contract_schema(self.warehouse.root / bt.file, name):
                bt.schema = schema_mark(name)

    def current(self) -> list[Batch]:
        kept = [self._replaced.get(b.batch_id, b) for b in self._before
                if b.batch_id not in self._dropped]
        return kept + self._batches

    def _supersede(self, new: Batch) -> None:
        months = set(new.months)
        if not months and not new.whole:
            return
        new_rows = _month_rows(self.warehouse.root, new)
        for old in self.current():
            if old.source != new.source or old.scope != new.scope:
                continue
            if new.whole:
                self.replacements.append(
                    f"{', '.join(i['name'] for i in new.inputs)} replaces the whole {new.scope} "
                    f"table previously loaded from {', '.join(i['name'] for i in old.inputs)}.")
                self._drop(old)
                continue
            overlap = months & set(old.months)
            if not overlap:
                continue
            names = ", ".join(i["name"] for i in new.inputs)
            olds = ", ".join(i["name"] for i in old.inputs)
            self.replacements.append(
                f"{names} replaces {', '.join(sorted(overlap))} previously loaded from {olds}."
            )
            old_rows = _month_rows(self.warehouse.root, old)
            for month in sorted(overlap):
                self.shrinks.append((new.source, new.scope, month, old_rows.get(month, 0),
                                     new_rows.get(month, 0), names))
            if "crimes" in old.tables:
                self._replaced_months.setdefault(old.source, set()).update(overlap)
            remaining = sorted(set(old.months) - overlap)
            if not remaining:
                self._drop(old)
                continue
            self._replaced[old.batch_id] = self._rewrite_without(old, overlap)

    def _drop(self, old: Batch) -> None:
        self._dropped.add(old.batch_id)
        self._replaced.pop(old.batch_id, None)
        self._batches = [b for b in self._batches if b.batch_id != old.batch_id]

    def _rewrite_without(self, old: Batch, months: set[str]) -> Batch:
        tables: dict[str, BatchTable] = {}
        stored = 0
        for name, bt in old.tables.items():
            data = pq.read_table(self.warehouse.root / bt.file)
            if "month" in data.column_names:
                keep = pc.invert(pc.is_in(data["month"],
                                                         value_set=pa.array(sorted(months))))
                data = data.filter(keep)
            tables[name] = self.write_table(name, old.batch_id, data)
            stored += tables[name].rows
        notes = old.notes + [f"months {', '.join(sorted(months))} replaced by a newer file"]
        profile = {m: c for m, c in old.profile.items() if m not in months}
        return Batch(**{**old.__dict__, "tables": tables, "months":
                        sorted(set(old.months) - months), "stored": stored, "notes": notes,
                        "replaced": old.replaced + old.stored - stored, "profile": profile})

    def orphans(self) -> dict[str, int]:
        """Remove the victims and suspects whose crime a newer file replaced and did not bring
        back (a partial extract replacing a month): table → rows removed. Rows linked to no
        loaded crime at all (month unknown) are left as they were."""
        from .ingest.anomalies import batch_profile

        removed: dict[str, int] = {}
        new_ids = {b.batch_id for b in self._batches}
        for source, months in self._replaced_months.items():
            refs: set[str] = set()
            for b in self.current():
                if b.source == source and "crimes" in b.tables and b.tables["crimes"].rows:
                    data = pq.read_table(self.warehouse.root / b.tables["crimes"].file,
                                         columns=["crime_ref", "month"])
                    mask = pc.is_in(data["month"], value_set=pa.array(sorted(months)))
                    refs.update(data.filter(mask)["crime_ref"].to_pylist())
            for b in self.current():
                if b.source != source or b.batch_id in new_ids:
                    continue
                linked = [t for t in _LINKED_TO_CRIMES if t in b.tables and b.tables[t].rows]
                if not linked or not set(b.months) & months:
                    continue
                tables = dict(b.tables)
                gone = 0
                for name in linked:
                    data = pq.read_table(self.warehouse.root / b.tables[name].file)
                    orphan = pc.and_(
                        pc.is_in(data["month"], value_set=pa.array(sorted(months))),
                        pc.invert(pc.is_in(data["crime_ref"],
                                           value_set=pa.array(sorted(refs), pa.string()))))
                    orphan = pc.fill_null(orphan, False)
                    count = pc.sum(orphan).as_py() or 0
                    if count:
                        tables[name] = self.write_table(name, b.batch_id,
                                                        data.filter(pc.invert(orphan)))
                        removed[name] = removed.get(name, 0) + count
                        gone += count
                if gone:
                    self._replaced[b.batch_id] = Batch(**{
                        **b.__dict__, "tables": tables, "stored": b.stored - gone,
                        "replaced": b.replaced + gone,
                        "profile": batch_profile(self.warehouse.root, tables),
                        "notes": b.notes + [f"{gone:,} rows removed: their crimes were replaced "
                                            "by a newer file that does not have them"]})
        return removed

    def touch(self) -> None:
        """Commit even without new batches (an exclusion, a key record changed ``extra``)."""
        self._touched = True

    def remove_months(self, batch_id: str, months: set[str], note: str) -> None:
        """Take ``months`` out of a committed batch (a purge): the batch is rewritten without
        them, or dropped when nothing is left."""
        old = next(b for b in self.current() if b.batch_id == batch_id)
        if not set(old.months) - months:
            self._drop(old)
            return
        kept = self._rewrite_without(old, months)
        self._replaced[old.batch_id] = Batch(**{
            **kept.__dict__, "notes": old.notes + [note], "replaced": old.replaced,
            "removed": old.removed + old.stored - kept.stored})

    def remove_rows(self, batch_id: str, table_name: str, keep: pa.Array, note: str) -> int:
        """Rewrite one table of a committed batch keeping the rows where ``keep`` is true (a
        subject's erasure). Returns the number of rows removed."""
        old = next(b for b in self.current() if b.batch_id == batch_id)
        data = pq.read_table(self.warehouse.root / old.tables[table_name].file)
        kept = data.filter(keep)
        removed = data.num_rows - kept.num_rows
        if not removed:
            return 0
        tables = dict(old.tables)
        tables[table_name] = self.write_table(table_name, old.batch_id, kept)
        self._replaced[old.batch_id] = Batch(**{**old.__dict__, "tables": tables,
                                                "stored": old.stored - removed,
                                                "removed": old.removed + removed,
                                                "notes": old.notes + [note]})
        return removed

    def merge(self, batch_ids: list[str], merged: Batch) -> None:
        """Replace committed batches by one holding all their rows (compaction: the caller has
        written its files); no months are superseded, the rows are the same."""
        for batch_id in batch_ids:
            self._drop(next(b for b in self.current() if b.batch_id == batch_id))
        self._batches.append(merged)

    def record(self, name: str, entry: dict[str, Any]) -> None:
        """Append ``entry`` to the manifest's top-level list ``name`` when this commits."""
        self._records.setdefault(name, []).append(entry)

    def _discard(self) -> None:
        for path in self._written:
            path.unlink(missing_ok=True)

    def _commit(self) -> None:
        if not (self._batches or self._dropped or self._replaced or self._records
                or self._touched):
            return
        from .ingest import anomalies  # the checks read every batch's profile: recompute them

        current = self.current()
        self.extra[anomalies.FLAGS_FIELD] = anomalies.flag_entries(
            current, anomalies.month_exclusions(self.extra))
        self.warehouse._write_manifest(current, self._records, self.extra)
        self.warehouse._collect_garbage()
