"""What the warehouse holds: sources, months covered per source and scope, gaps, row counts,
months flagged as looking wrong at source and months an analyst excluded (``anomalies``), and the
pseudonymisation key epochs of the person keys loaded.

Read from the manifest alone (no Parquet scan), so it is instant on any size of warehouse.

>>> month_range("2019-11", "2020-02")
['2019-11', '2019-12', '2020-01', '2020-02']
>>> runs(["2019-01", "2019-02", "2019-03", "2019-06"])
['2019-01..2019-03', '2019-06']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from .. import contract
from ..warehouse import Warehouse
from . import anomalies
from .pseudonymise import KEY_FIELD


@dataclass(frozen=True)
class ScopeCoverage:
    """Months loaded for one source and scope (police.uk: one force)."""

    scope: str
    months: tuple[str, ...]
    gaps: tuple[str, ...]  # months missing between the first and the last loaded
    whole: bool = False  # a table without months (geography): each file replaces all of it

    @property
    def first(self) -> str | None:
        return self.months[0] if self.months else None

    @property
    def last(self) -> str | None:
        return self.months[-1] if self.months else None


@dataclass(frozen=True)
class SourceStatus:
    source: str
    files: int
    read: int
    stored: int
    rejected: int
    replaced: int  # stored rows since replaced by newer files (read = stored+rejected+replaced)
    last_loaded: str
    scopes: tuple[ScopeCoverage, ...]
    rows: tuple[tuple[str, int], ...]  # (table, rows) this source holds
    #: (force or None, month, reason): months that look wrong at source, checked now
    flagged: tuple[tuple[str | None, str, str], ...] = ()
    #: (force or None, month, the analyst's reason)
    excluded: tuple[tuple[str | None, str, str], ...] = ()
    checked: int = 0  # months checked against the force's other months
    unchecked: int = 0  # months too few (other months or rows) to check


@dataclass(frozen=True)
class WarehouseStatus:
    root: str
    exists: bool
    sources: tuple[SourceStatus, ...]
    tables: tuple[tuple[str, int], ...]  # every contract table and its rows
    last_loaded: str | None
    key: dict[str, Any] | None = None  # the pseudonymisation key record (fingerprint, epoch)
    key_epochs: tuple[tuple[int, int], ...] = ()  # (epoch, batches of person keys under it)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["tables"] = dict(self.tables)
        data["key_epochs"] = {str(e): n for e, n in self.key_epochs}
        for src, status in zip(data["sources"], self.sources):
            src["rows"] = dict(status.rows)
            for name in ("flagged", "excluded"):
                src[name] = [{"force": f, "month": m, "reason": r}
                             for f, m, r in getattr(status, name)]
            for scope, cov in zip(src["scopes"], status.scopes):
                scope["first"], scope["last"] = cov.first, cov.last
        return data


def month_range(first: str, last: str) -> list[str]:
    """Every YYYY-MM from ``first`` to ``last`` inclusive."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def runs(months: Iterable[str]) -> list[str]:
    """Consecutive months collapsed into 'first..last' ranges, for display."""
    ordered = sorted(set(months))
    out: list[str] = []
    start = prev = None
    for month in ordered:
        if prev is not None and month_range(prev, month)[1:2] == [month]:
            prev = month
            continue
        if start is not None:
            out.append(start if start == prev else f"{start}..{prev}")
        start = prev = month
    if start is not None:
        out.append(start if start == prev else f"{start}..{prev}")
    return out


def warehouse_status(warehouse: Warehouse | Path | None = None) -> WarehouseStatus:
    wh = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    manifest = wh.manifest()
    batches = wh.batches()
    exclusions = anomalies.month_exclusions(manifest)
    checks = anomalies.check_batches(batches, exclusions)
    table_rows: dict[str, int] = {name: 0 for name in contract.TABLES}
    by_source: dict[str, list] = defaultdict(list)
    for batch in batches:
        by_source[batch.source].append(batch)
        for name, bt in batch.tables.items():
            table_rows[name] = table_rows.get(name, 0) + bt.rows
    sources = []
    for source in sorted(by_source):
        group = by_source[source]
        months: dict[str, set[str]] = defaultdict(set)
        whole: set[str] = set()
        rows: dict[str, int] = defaultdict(int)
        for batch in group:
            months[batch.scope].update(batch.months)
            if batch.whole:
                whole.add(batch.scope)
            for name, bt in batch.tables.items():
                rows[name] += bt.rows
        scopes = []
        for scope in sorted(months):
            have = sorted(months[scope])
            gaps = tuple(m for m in month_range(have[0], have[-1]) if m not in months[scope]) \
                if have else ()
            scopes.append(ScopeCoverage(scope=scope, months=tuple(have), gaps=gaps,
                                        whole=scope in whole))
        sources.append(SourceStatus(
            source=source, files=sum(len(b.inputs) for b in group),
            read=sum(b.read for b in group), stored=sum(b.stored for b in group),
            rejected=sum(b.rejected for b in group), replaced=sum(b.replaced for b in group),
            last_loaded=max(b.loaded_at for b in group), scopes=tuple(scopes),
            rows=tuple(sorted(rows.items())),
            flagged=tuple((c.force, c.month, c.reason) for c in checks
                          if c.source == source and c.reason),
            excluded=tuple((f, m, r) for (s, f, m), r in sorted(
                exclusions.items(), key=lambda kv: (kv[0][1] or "", kv[0][2])) if s == source),
            checked=sum(c.checked for c in checks if c.source == source),
            unchecked=sum(not c.checked for c in checks if c.source == source)))
    epochs: dict[int, int] = defaultdict(int)
    for batch in batches:
        if batch.key_epoch is not None:
            epochs[batch.key_epoch] += 1
    return WarehouseStatus(
        root=str(wh.root), exists=wh.exists(), sources=tuple(sources),
        tables=tuple(table_rows.items()),
        last_loaded=max((b.loaded_at for b in batches), default=None),
        key=manifest.get(KEY_FIELD), key_epochs=tuple(sorted(epochs.items())))
