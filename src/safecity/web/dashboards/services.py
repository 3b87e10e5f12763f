"""The dashboards' one door to the engine: indicator values, computed and cached.

Values come from ``safecity.engine.indicators.compute_all`` for each period and are cached in
``MetricValue`` under the warehouse manifest's hash; a new ingest changes the hash, so the next
request recomputes instead of showing stale figures. Each server process also keeps a copy of
the rows it has read for the current hash, so a warm scorecard reads none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError

from ...engine import periods
from ...engine import settings as engine_settings
from ...engine.assessment.model import Period
from ...engine.indicators import METRICS, IndicatorValue, compute_all
from ...engine.warehouse import Warehouse
from . import generation
from .models import Indicator, MetricValue

QUARTERS = 8  # points in a sparkline


def warehouse() -> Warehouse:
    return Warehouse()


def manifest_hash(wh: Warehouse) -> str:
    if not wh.manifest_path.exists():
        return "no-warehouse"
    return hashlib.sha256(wh.manifest_path.read_bytes()).hexdigest()


def latest_month(wh: Warehouse) -> str | None:
    months = [m for b in wh.batches() if b.source != "geography" for m in b.months]
    return max(months) if months else None


def value_for(metric: str, period: Period, area: str, wh: Warehouse, digest: str,
              cache: dict | None = None) -> MetricValue:
    """The cached value, else the engine's answer stored in the cache. ``cache`` holds rows
    already read in one query, keyed by (metric, start, end)."""
    return values_for([metric], period, area, wh, digest, cache)[metric]


def values_for(metrics, period: Period, area: str, wh: Warehouse, digest: str,
               cache: dict | None = None) -> dict[str, MetricValue]:
    """``value_for`` for several metrics of one period: the ones not cached are computed by
    the engine over one scan (``indicators.compute_all``)."""
    out: dict[str, MetricValue] = {}
    for metric in metrics:
        if cache is not None:
            cached = cache.get((metric, period.start, period.end))
        else:
            cached = MetricValue.objects.filter(
                metric=metric, area=area, period_start=period.start, period_end=period.end,
                manifest_hash=digest).first()
        if cached is not None:
            out[metric] = cached
    missing = [m for m in metrics if m not in out]
    if missing:
        for metric, result in compute_all(missing, wh, period, area).items():
            out[metric] = _store(result, period, area, digest)
    return out


def _store(result: IndicatorValue, period: Period, area: str, digest: str) -> MetricValue:
    metric = result.metric
    row = MetricValue(metric=metric, area=area, period_label=period.label,
                      period_start=period.start, period_end=period.end, manifest_hash=digest,
                      value=result.value, previous=result.previous, change_pct=result.change_pct,
                      p_value=result.p_value, significant=result.significant,
                      wording=result.wording, note=result.note[:300])
    try:
        row.save()
    except IntegrityError:  # another request computed it at the same moment
        return MetricValue.objects.get(metric=metric, area=area, period_start=period.start,
                                       period_end=period.end, manifest_hash=digest)
    return row


@dataclass(frozen=True)
class IndicatorTrend:
    indicator: Indicator
    headline: MetricValue | None
    points: tuple[MetricValue, ...]
    on_track: bool | None  # against the target and direction; None when it cannot be said
    note: str = ""


def _on_track(indicator: Indicator, value: float | None) -> bool | None:
    if value is None or indicator.target is None:
        return None
    return value <= indicator.target if indicator.direction == "down" else value >= indicator.target


def trends(indicators, area: str = "") -> list[IndicatorTrend]:
    """The headline (12 months to the latest month loaded) and quarterly points per indicator."""
    wh = warehouse()
    digest = manifest_hash(wh)
    end = latest_month(wh) if wh.exists() else None
    area = area or engine_settings.get("partnership_csp")
    indicators = list(indicators)
    # The generation is in the key: the recompute button empties the table through any worker.
    cache = _cached_values(f"{digest}:{generation.current()}", area,
                           {i.metric for i in indicators})
    headline_period, points_periods = ((periods.rolling_12_months(end),
                                        periods.quarters_to(end, QUARTERS)) if end else (None, []))
    wanted = [i.metric for i in indicators if i.metric in METRICS]
    values = {}
    if end is not None and wanted:
        for p in (headline_period, *points_periods):
            values[p] = values_for(wanted, p, area, wh, digest, cache)
    out = []
    for indicator in indicators:
        if indicator.metric not in METRICS:
            out.append(IndicatorTrend(indicator, None, (), None,
                                      f"The engine has no metric called {indicator.metric}."))
            continue
        if end is None:
            out.append(IndicatorTrend(indicator, None, (), None, "No data is loaded yet."))
            continue
        headline = values[headline_period][indicator.metric]
        points = tuple(values[p][indicator.metric] for p in points_periods)
        _remember(area, (headline, *points))
        out.append(IndicatorTrend(indicator, headline, points,
                                  _on_track(indicator, headline.value), headline.note))
    return out


# This process's copy of the cache table for the current manifest hash and scorecard
# generation: (area, metric) -> rows by (metric, start, end). A row is a pure function of the
# warehouse, the metric, the period and the area; a new ingest changes the hash and the
# recompute button the generation (read from the database on every call), so a copy is never
# stale in any worker; it saves the scorecard reading and building ~80 rows on every view.
_memo: dict[str, dict[tuple[str, str], dict]] = {}


def _cached_values(key: str, area: str, metrics: set[str]) -> dict:
    """Every cached value of ``metrics`` for ``area`` under ``key`` (manifest hash and
    generation), keyed by (metric, start, end): from this process's copy when it has them all,
    else in one query."""
    digest = key.split(":", 1)[0]
    memo = _memo.get(key)
    if memo is None:
        _memo.clear()  # an older hash or generation is never asked for again
        memo = _memo.setdefault(key, {})
    missing = {m for m in metrics if (area, m) not in memo}
    if missing:
        read: dict[tuple[str, str], dict] = {(area, m): {} for m in missing}
        for v in MetricValue.objects.filter(manifest_hash=digest, area=area, metric__in=missing):
            read[(area, v.metric)][(v.metric, v.period_start, v.period_end)] = v
        memo.update(read)
    cache = {}
    for m in metrics:
        cache.update(memo[(area, m)])
    return cache


def _remember(area: str, rows) -> None:
    """Add rows just computed (or read) to this process's copy."""
    for memo in _memo.values():  # the one current key
        for v in rows:
            memo.setdefault((area, v.metric), {})[(v.metric, v.period_start, v.period_end)] = v


def clear_cache() -> int:
    """Forget every computed value, in every worker: the rows go, and the generation rises so
    each worker drops its copy and its cached scorecard on its next view."""
    _memo.clear()
    deleted, _ = MetricValue.objects.all().delete()
    generation.bump()
    return deleted


# -- the violence dashboard and the youth re-offending tracker ----------------------------------

def crime_months(wh: Warehouse) -> list[str]:
    """The months with crimes loaded, oldest first (the dashboard's period choices)."""
    if not wh.manifest_path.exists():
        return []
    return sorted({m for b in wh.batches() if "crimes" in b.tables for m in b.months})


def violence(area: str, start: str, end: str, sector: str | None):
    """``engine.violence.violence_dashboard`` for the filters, kept in the cache under the
    warehouse manifest's hash (a new ingest is a new key)."""
    from django.core.cache import cache

    from ...engine.violence import violence_dashboard

    wh = warehouse()
    digest = manifest_hash(wh)
    key = "violence:" + hashlib.sha256(
        f"{digest}|{area}|{start}|{end}|{sector}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = violence_dashboard(start, end, sector=sector, area=area or None,
                                   warehouse=wh.root, grids=_Grids(digest))
        cache.set(key, found, timeout=3600)
    return found


class _Grids:
    """The violence dashboard's protected years (``engine.violence.AgeGrid``) in the cache
    under the warehouse manifest's hash: every view of a year reads the same decisions, and
    a new ingest protects again."""

    def __init__(self, digest: str) -> None:
        self.digest = digest

    def _key(self, key: str) -> str:
        return "violence-grid:" + hashlib.sha256(f"{self.digest}|{key}".encode()).hexdigest()

    def get(self, key: str, default=None):
        from django.core.cache import cache

        return cache.get(self._key(key), default)

    def __setitem__(self, key: str, grid) -> None:
        from django.core.cache import cache

        cache.set(self._key(key), grid, timeout=24 * 3600)


def youth_months(wh: Warehouse) -> list[str]:
    """Months from the first to the last youth justice outcome loaded."""
    if not wh.manifest_path.exists() or not wh.has_data("youth_justice"):
        return []
    first, last = wh.connect().execute(
        "SELECT strftime(min(outcome_date), '%Y-%m'), strftime(max(outcome_date), '%Y-%m') "
        "FROM youth_justice").fetchone()
    if first is None:
        return []
    out, m = [], first
    while m <= last:
        out.append(m)
        m = periods.shift_month(m, 1)
    return out


def youth_tracker(month: str):
    """``engine.youth_tracker.youth_tracker`` as of ``month`` for the partnership (the rate's
    population aged 10-17 is the partnership's area's), and the sentence saying why a national
    table named by the setting ``national_tables`` could not be read ("" when it could)."""
    from ...engine.assessment.area import resolve
    from ...engine.errors import SafecityError
    from ...engine.youth_tracker import youth_tracker as build

    wh = warehouse()
    con = wh.connect()
    csp = engine_settings.get("partnership_csp")
    try:
        population = resolve(csp, wh, partnership=csp, con=con).population_10_17
    except SafecityError:  # no geography for the CSP: the rate is left out
        population = None
    try:
        rows, error = national_rows(), ""
    except SafecityError as exc:  # the page says what is wrong with the table; the rest shows
        rows, error = None, str(exc)
    return build(con, month, population_10_17=population, national_rows=rows), error


def national_rows():
    """The national tables the setting ``national_tables`` names (None when it names none),
    read once per file version; a table that cannot be read raises ``SourceError``."""
    from ...engine import national

    paths = tuple(engine_settings.get("national_tables"))
    if not paths:
        return None
    stamp = tuple((str(p), p.stat().st_mtime_ns if p.exists() else None) for p in paths)
    if _national.get("stamp") != stamp:
        _national.update(stamp=stamp, rows=national.configured())
    return _national["rows"]


_national: dict = {}
