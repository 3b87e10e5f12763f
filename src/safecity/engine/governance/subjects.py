"""Subject access and erasure requests for one pseudonymised person key.

A request names a person. The partnership finds their rows by the identifier the supplier uses
(pseudonymised with the partnership's key, exactly as ingest does) or by a key already seen in an
output. ``find_subject`` lists every warehouse row carrying that key, in every table with a
personal column (the data contract marks them); ``erase_subject`` removes exactly those rows in
one transaction. Either way the request is recorded in the manifest (``subject_requests``) with a
one-way fingerprint of the key rather than the key itself, so the record does not re-identify
the rows it no longer points at.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import contract
from ..warehouse import Warehouse
from .runlog import who


def personal_columns() -> dict[str, tuple[str, ...]]:
    """Table -> its pseudonymised person-key columns (from the data contract)."""
    return {name: tuple(c.name for c in t.columns if c.personal)
            for name, t in contract.TABLES.items() if any(c.personal for c in t.columns)}


def fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class SubjectRows:
    """Rows of one table of one batch that carry the key."""

    table: str
    batch_id: str
    source: str
    months: tuple[str, ...]
    rows: int
    lines: tuple[int, ...]  # source lines, for finding them in the supplier's own file


@dataclass(frozen=True)
class SubjectReport:
    key: str
    found: tuple[SubjectRows, ...]

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.found)


def find_subject(warehouse: Warehouse, key: str) -> SubjectReport:
    """Every row carrying ``key`` (a pseudonymised person key)."""
    found = []
    con = duckdb.connect()
    for batch in warehouse.batches():
        for name, columns in personal_columns().items():
            if name not in batch.tables or not batch.tables[name].rows:
                continue
            where = " OR ".join(f"{c} = $key" for c in columns)
            rows = con.execute(
                f"SELECT month, source_line FROM read_parquet($path) WHERE {where} "
                f"ORDER BY source_line",
                {"key": key, "path": str(warehouse.root / batch.tables[name].file)}).fetchall()
            if rows:
                found.append(SubjectRows(name, batch.batch_id, batch.source,
                                         tuple(sorted({m for m, _ in rows if m})), len(rows),
                                         tuple(line for _, line in rows)))
    return SubjectReport(key, tuple(found))


def record_access(warehouse: Warehouse, report: SubjectReport, *, reference: str,
                  user: str | None = None) -> None:
    """Record that a subject access request was answered (no rows change)."""
    with warehouse.transaction() as tx:
        tx.record("subject_requests", _record("access", report, reference, user))


def erase_subject(warehouse: Warehouse, key: str, *, reference: str,
                  user: str | None = None) -> SubjectReport:
    """Remove every row carrying ``key``, atomically, and record the request."""
    with warehouse.transaction() as tx:
        report = find_subject(warehouse, key)
        for item in report.found:
            columns = personal_columns()[item.table]
            batch = next(b for b in tx.current() if b.batch_id == item.batch_id)
            data = pq.read_table(warehouse.root / batch.tables[item.table].file, columns=list(columns))
            hit = None
            for col in columns:
                match = pc.fill_null(pc.equal(data[col], key), False)
                hit = match if hit is None else pc.or_(hit, match)
            tx.remove_rows(item.batch_id, item.table, pc.invert(hit),
                           f"rows of one person erased on request {reference}")
        tx.record("subject_requests", _record("erasure", report, reference, user))
    return report


def _record(kind: str, report: SubjectReport, reference: str, user: str | None) -> dict:
    return {"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "by": user or who(), "kind": kind, "reference": reference,
            "key_fingerprint": fingerprint(report.key),
            "rows": {f"{f.table} ({f.batch_id})": f.rows for f in report.found}}
