"""Retention and purge: record-level rows older than their source's retention period are removed.

``plan_purge`` says what would go (the dry run); ``purge`` removes it in one warehouse
transaction, so a purge killed at any point leaves the warehouse as it was. Before any row goes,
its monthly counts are written to the ``monthly_counts`` table (by month, 2011 LSOA, the
table's main category and the columns aggregate figures select on: for crimes the offence
classification and flags, ``figures.AGGREGATE_FIELDS``), so trend figures over several years
survive without the records, and the assessment counts them for purged months. Every
purge is recorded in the manifest (``purges``): what was removed, when, by whom and under which
rule. A second purge on the same day finds nothing to do and changes nothing.

Retention is counted in whole months back from the current month: with 84 months' retention on
7 December 2026, rows recorded in November 2019 or earlier go and December 2019 stays. When a
source kind has agreements with more than one supplier, the shortest retention applies (batches
do not record their supplier).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from .. import contract, periods
from ..figures import AGGREGATE_FIELDS
from ..warehouse import Batch, Warehouse, new_batch_id, BatchTable
from .register import SourceEntry, load_register
from .runlog import who

#: The main category of each table in the monthly counts (``'all'`` when none).
CATEGORY = {
    "crimes": "coalesce(offence_group, police_uk_category, 'unknown')",
    "asb_incidents": "coalesce(asb_type, 'unknown')",
    "hate_reports": "coalesce(channel, 'unknown')",
    "youth_justice": "coalesce(outcome_type, 'unknown')",
    "referrals": "coalesce(referring_agency, 'unknown')",
    "intelligence_counts": "theme",
}
AGGREGATE_SOURCE_SCOPE = "monthly counts kept by a purge"


def first_kept_month(today: dt.date, retention_months: int) -> str:
    """The earliest month a retention period keeps: ``retention_months`` whole months back
    from the current month."""
    return periods.shift_month(f"{today:%Y-%m}", -retention_months)


@dataclass(frozen=True)
class PurgeItem:
    """Rows of one table of one source that a purge removes."""

    source: str
    table: str
    months: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class PurgeRule:
    source: str
    retention_months: int
    first_kept: str
    agreement: str  # the ISA reference(s)

    @property
    def sentence(self) -> str:
        return (f"{self.source}: {self.retention_months} months' retention under "
                f"{self.agreement}; rows recorded before {self.first_kept} go")


@dataclass(frozen=True)
class PurgePlan:
    today: dt.date
    rules: tuple[PurgeRule, ...]
    items: tuple[PurgeItem, ...]
    batches: tuple[tuple[str, tuple[str, ...]], ...]  # (batch_id, months to remove)

    @property
    def rows(self) -> int:
        return sum(i.rows for i in self.items)

    @property
    def empty(self) -> bool:
        return not self.items


def _rules(entries: list[SourceEntry], today: dt.date) -> list[PurgeRule]:
    by_source: dict[str, list[SourceEntry]] = defaultdict(list)
    for entry in entries:
        by_source[entry.source].append(entry)
    rules = []
    for source, mine in sorted(by_source.items()):
        months = min(e.retention_months for e in mine)
        refs = ", ".join(sorted({e.isa.reference for e in mine if e.retention_months == months}))
        rules.append(PurgeRule(source, months, first_kept_month(today, months), refs))
    return rules


def plan_purge(warehouse: Warehouse, today: dt.date | None = None) -> PurgePlan:
    """What ``purge`` would remove today, per source and table (nothing is changed)."""
    today = today or dt.date.today()
    rules = _rules(load_register(warehouse.root), today)
    items: list[PurgeItem] = []
    batches: list[tuple[str, tuple[str, ...]]] = []
    for rule in rules:
        rows: dict[str, int] = defaultdict(int)
        months: dict[str, set[str]] = defaultdict(set)
        for batch in warehouse.batches():
            if batch.source != rule.source:
                continue
            old = tuple(sorted(m for m in batch.months if m < rule.first_kept))
            if not old:
                continue
            batches.append((batch.batch_id, old))
            for name, bt in batch.tables.items():
                n = _rows_in_months(warehouse, bt, old)
                if n:
                    rows[name] += n
                    months[name] |= set(old)
        items += [PurgeItem(rule.source, name, tuple(sorted(months[name])), n)
                  for name, n in sorted(rows.items())]
    return PurgePlan(today, tuple(rules), tuple(items), tuple(batches))


def _rows_in_months(warehouse: Warehouse, bt: BatchTable, months: tuple[str, ...]) -> int:
    return duckdb.connect().execute(
        "SELECT count(*) FROM read_parquet(?) WHERE list_contains(?, month)",
        [str(warehouse.root / bt.file), list(months)]).fetchone()[0]


def _counts(warehouse: Warehouse, source: str, name: str, bt: BatchTable,
            months: tuple[str, ...]) -> pa.Table:
    """Monthly counts of the rows about to be purged from one batch table."""
    columns = set(contract.table(name).names)
    lsoa = "lsoa11_code" if "lsoa11_code" in columns else "CAST(NULL AS VARCHAR)"
    category = CATEGORY.get(name, "'all'")
    # The columns aggregate figures select on (one definition, in engine/figures.py); a file
    # written before a column existed reads it as NULL (the warehouse reads by name).
    have = {r[0] for r in duckdb.connect().execute(
        "SELECT name FROM parquet_schema(?)", [str(warehouse.root / bt.file)]).fetchall()}
    # (ASB's type is its category: a column of its own only where the category is not enough)
    stored = set(contract.table("monthly_counts").names)
    kept = "".join(f", {col if col in have else 'NULL'} AS {col}"
                   for col in AGGREGATE_FIELDS.get(name, ()) if col in columns and col in stored)
    # a table of counts (partner intelligence) keeps the sum of its counts, not its rows
    amount = "sum(submissions)" if "submissions" in columns else "count(*)"
    return duckdb.connect().sql(
        f"SELECT $source AS source, $name AS table_name, month, {lsoa} AS lsoa11_code, "
        f"{category} AS category{kept}, 'figures' AS kept, CAST({amount} AS INTEGER) AS count "
        f"FROM read_parquet($path) WHERE list_contains($months, month) GROUP BY ALL ORDER BY ALL",
        params={"source": source, "name": name, "path": str(warehouse.root / bt.file),
                "months": list(months)}).to_arrow_table()


@dataclass(frozen=True)
class PurgeResult:
    plan: PurgePlan
    record: dict | None  # what the manifest now records; None when nothing was purged


def purge(warehouse: Warehouse, today: dt.date | None = None, *,
          user: str | None = None) -> PurgeResult:
    """Remove every row past its retention, keeping monthly counts first; atomic."""
    plan = plan_purge(warehouse, today)
    if plan.empty:
        return PurgeResult(plan, None)
    with warehouse.transaction() as tx:
        # The plan was made before the lock: make it again inside, in case an ingest ran between.
        plan = plan_purge(warehouse, today)
        if plan.empty:
            return PurgeResult(plan, None)
        current = {b.batch_id: b for b in tx.current()}
        counts = [_counts(warehouse, current[batch_id].source, name, bt, months)
                  for batch_id, months in plan.batches
                  for name, bt in current[batch_id].tables.items()]
        counts = [c for c in counts if c.num_rows]
        batch_id = new_batch_id()
        table = (pa.concat_tables(counts, promote_options="default") if counts
                 else contract.empty_table("monthly_counts"))
        written = tx.write_table("monthly_counts", batch_id, table)
        rules = {r.source: r for r in plan.rules}
        for old_id, months in plan.batches:
            rule = rules[current[old_id].source]
            tx.remove_months(old_id, set(months),
                             f"months {', '.join(months)} purged on {plan.today} "
                             f"({rule.retention_months} months' retention)")
        tx.add(Batch(batch_id=batch_id, source="purge", scope=AGGREGATE_SOURCE_SCOPE,
                     inputs=[], months=[], tables={"monthly_counts": written},
                     read=written.rows, stored=written.rows, rejected=0,
                     notes=[f"monthly counts of the rows purged on {plan.today}"]))
        record = {
            "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "by": user or who(),
            "rules": [r.sentence for r in plan.rules],
            "removed": [{"source": i.source, "table": i.table, "months": list(i.months),
                         "rows": i.rows} for i in plan.items],
            "monthly_counts_batch": batch_id,
        }
        tx.record("purges", record)
    return PurgeResult(plan, record)


def purged_months(warehouse: Warehouse) -> dict[str, set[str]]:
    """Source kind -> months whose records were purged (figures for them rest on the monthly
    counts)."""
    out: dict[str, set[str]] = defaultdict(set)
    for entry in warehouse.manifest_records("purges"):
        for item in entry.get("removed", ()):
            out[item["source"]] |= set(item["months"])
    return dict(out)
