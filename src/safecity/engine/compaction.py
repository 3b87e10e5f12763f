"""Compaction: many small Parquet files of one source, scope and year become one.

Ingest writes one Parquet file per table per input file, and police.uk publishes one file per
force per month, so ten years of national data is about 5,000 files per table of a few
thousand to a hundred thousand rows each: small for scanning (every file costs a footer read and
its own row groups). ``compact`` merges the batches of each (source, replacement scope, year)
with more than one batch into one batch whose files hold all their rows, ordered by month so a
reader skips row groups by the month statistics. The layout stays one file per table per
batch, so every rule that works on batches works unchanged on a merged one: a newer file for a
month rewrites the merged batch without that month, a purge or erasure rewrites its files,
idempotence keeps every input's hash (``inputs`` lists them all) and ``read = stored +
rejected + replaced + removed`` still holds (the counts add up). Rows keep the ``batch_id`` of
the load that wrote them, for lineage; the merged batch's notes name the batches it holds.

One transaction: a compaction killed part-way leaves the warehouse as it was.

**Automatic.** Ingest compacts by itself when small files pile up (``compact_due``, called
after an ingest has committed, in a transaction of its own: a kill during it leaves the
warehouse as the ingest left it): a (source, scope, year) group is due once it holds at least
``compact_small_files`` small batches (the setting; a batch is small below ``SMALL_ROWS`` stored
rows), e.g. the twelve monthly files of a force's year. The whole group, an earlier merged
batch included, becomes one batch. ``compact_small_files = 0`` leaves compaction to
``safecity warehouse compact``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import duckdb

from . import contract, settings
from .progress import NULL, Progress
from .sql import literal, literal_list
from .warehouse import Batch, BatchTable, Warehouse, new_batch_id, schema_mark

#: How compaction writes Parquet (as police.uk ingest does, zstd for files kept for years).
PARQUET = "FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION V2"
#: A batch storing fewer rows than this is small: a force's month of police.uk (a few thousand
#: to about 100,000 rows) is; a merged force-year of the biggest force (about 1.2 M) is not.
#: DuckDB reads a file in row groups of 122,880 rows, so files of a million rows or more scan
#: at full speed and cost one footer.
SMALL_ROWS = 1_000_000


@dataclass(frozen=True)
class Compacted:
    groups: int  # (source, scope, year) groups merged
    batches: int  # batches merged into them
    files_before: int
    files_after: int


def _year(batch: Batch) -> str | None:
    years = {m[:4] for m in batch.months}
    return years.pop() if len(years) == 1 else None


Group = tuple[str, str, str]  # (source, scope, year)


def _groups(batches: list[Batch]) -> dict[Group, list[Batch]]:
    groups: dict[Group, list[Batch]] = defaultdict(list)
    for batch in batches:
        year = _year(batch)
        if year and not batch.whole:
            groups[(batch.source, batch.scope, year)].append(batch)
    return groups


def due(batches: list[Batch], small_files: int) -> list[Group]:
    """The groups holding at least ``small_files`` small batches (and two batches or more)."""
    if small_files <= 0:
        return []
    return sorted(key for key, members in _groups(batches).items()
                  if len(members) >= 2 and sum(b.stored < SMALL_ROWS for b in members)
                  >= small_files)


def compact(warehouse: Warehouse, *, min_batches: int = 2, only: list[Group] | None = None,
            progress: Progress = NULL) -> Compacted:
    """Merge each (source, scope, year) group of at least ``min_batches`` batches into one
    (``only``: just these groups), in one transaction, a step of ``progress`` per group."""
    with warehouse.transaction() as tx:
        groups = _groups(tx.current())
        todo = sorted(key for key, members in groups.items() if len(members) >= min_batches
                      and (only is None or key in only))
        before = sum(len(b.tables) for b in tx.current())
        merged_batches = 0
        progress.start("Compacting", total=len(todo) or None)
        con = duckdb.connect(":memory:", config={"memory_limit": "1GB"})
        con.execute("SET enable_progress_bar = false")
        try:
            for key in todo:
                members = groups[key]
                tx.merge([b.batch_id for b in members], _merge(con, tx, members, key[2]))
                merged_batches += len(members)
                progress.advance()
        finally:
            con.close()
            progress.finish()
        after = sum(len(b.tables) for b in tx.current())
    return Compacted(len(todo), merged_batches, before, after)


def compact_due(warehouse: Warehouse, progress: Progress = NULL,
                small_files: int | None = None) -> Compacted | None:
    """Compact the groups where small files have piled up (``due``; ``small_files`` defaults
    to the ``compact_small_files`` setting); None when none is due. Ingest calls this after
    it commits."""
    if small_files is None:
        small_files = settings.get("compact_small_files")
    groups = due(warehouse.batches(), small_files)
    if not groups:
        return None
    return compact(warehouse, only=groups, progress=progress)


def _merge(con, tx, members: list[Batch], year: str) -> Batch:
    root = tx.warehouse.root
    batch_id = new_batch_id()
    tables: dict[str, BatchTable] = {}
    for name in sorted({n for b in members for n in b.tables}):
        files = [root / b.tables[name].file for b in members if name in b.tables]
        schema = contract.table(name).arrow_schema
        duck = {c.name: c.type.duckdb for c in contract.table(name).columns}
        duck.update(batch_id="VARCHAR", source_line="BIGINT")
        # Every contract column in order, whatever the files hold (older files may lack some).
        present = set(con.execute(f"SELECT * FROM read_parquet([{literal_list(files)}], "
                                  "union_by_name = true) LIMIT 0").fetchnumpy())
        select = ", ".join(f"CAST({c} AS {duck[c]}) AS {c}" if c in present else
                           f"CAST(NULL AS {duck[c]}) AS {c}" for c in schema.names)
        order = " ORDER BY month" if "month" in present else ""
        path = tx.table_path(name, batch_id)
        rows = con.execute(f"COPY (SELECT {select} FROM read_parquet([{literal_list(files)}], "
                           f"union_by_name = true){order}) TO {literal(path)} ({PARQUET})"
                           ).fetchall()[0][0]
        tables[name] = BatchTable(tx.relative(path), int(rows), schema_mark(name))
    rejects = [root / b.rejects_file for b in members if b.rejects_file]
    rejects_file = None
    if rejects:
        path = tx.rejects_path(batch_id)
        con.execute(f"COPY (SELECT * FROM read_csv([{literal_list(rejects)}], header = true, "
                    f"all_varchar = true, union_by_name = true) ORDER BY source_file, "
                    f"CAST(source_line AS BIGINT)) TO {literal(path)} (FORMAT csv, HEADER true)")
        rejects_file = tx.relative(path)
    first = members[0]
    # Rows per month and category (anomaly checks, replacement guard) of every member, and the
    # oldest key epoch among them (status then warns while epochs are mixed).
    profile: dict[str, dict[str, int]] = {}
    for b in members:
        for month, counts in b.profile.items():
            into = profile.setdefault(month, {})
            for key, n in counts.items():
                into[key] = into.get(key, 0) + n
    epochs = [b.key_epoch for b in members if b.key_epoch is not None]
    total = {k: sum(getattr(b, k) for b in members)
             for k in ("read", "stored", "rejected", "replaced", "removed") if hasattr(first, k)}
    return Batch(**{**first.__dict__, **total, "batch_id": batch_id, "tables": tables,
                    "inputs": [i for b in members for i in b.inputs],
                    "months": sorted({m for b in members for m in b.months}),
                    "rejects_file": rejects_file,
                    "profile": dict(sorted(profile.items())),
                    "key_epoch": min(epochs) if epochs else None,
                    "loaded_at": max(b.loaded_at for b in members),
                    "notes": [f"compacted: the {len(members)} batches of {first.source} "
                              f"{first.scope} {year} in one ({', '.join(b.batch_id for b in members)})"]
                    + [n for b in members for n in b.notes]})
