"""The dashboards' one door to the engine: indicator values, computed and cached.

Values come from ``safecity.engine.indicators.compute`` for each period and are cached in
``MetricValue`` under the warehouse manifest's hash; a new ingest changes the hash, so the next
request recomputes instead of showing stale figures. Each server process also keeps a copy of
the rows it has read for the current hash, so a warm scorecard reads none.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError

from ...engine import settings as engine_settings
from ...engine.assessment.model import Period
from ...engine.indicators import METRICS, compute
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


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def twelve_months_to(end: str) -> Period:
    y, m = int(end[:4]), int(end[5:7])
    sy, sm = _shift(y, m, -11)
    label = f"12 months to {dt.date(y, m, 1):%B %Y}"
    return Period(label, dt.date(sy, sm, 1), _month_end(y, m))


def quarters_to(end: str, count: int = QUARTERS) -> list[Period]:
    """``count`` consecutive three-month periods, the last ending with month ``end``."""
    y, m = int(end[:4]), int(end[5:7])
    periods = []
    for q in range(count - 1, -1, -1):
        ey, em = _shift(y, m, -3 * q)
        sy, sm = _shift(ey, em, -2)
        periods.append(Period(f"{dt.date(sy, sm, 1):%b %Y} to {dt.date(ey, em, 1):%b %Y}",
                              dt.date(sy, sm, 1), _month_end(ey, em)))
    return periods


def value_for(metric: str, period: Period, area: str, wh: Warehouse, digest: str,
              cache: dict | None = None) -> MetricValue:
    """The cached value, else the engine's answer stored in the cache. ``cache`` holds rows
    already read in one query, keyed by (metric, start, end)."""
    if cache is not None:
        cached = cache.get((metric, period.start, period.end))
    else:
        cached = MetricValue.objects.filter(metric=metric, area=area, period_start=period.start,
                                            period_end=period.end, manifest_hash=digest).first()
    if cached is not None:
        return cached
    result = compute(metric, wh, period, area)
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
    headline_period, periods = (twelve_months_to(end), quarters_to(end)) if end else (None, [])
    out = []
    for indicator in indicators:
        if indicator.metric not in METRICS:
            out.append(IndicatorTrend(indicator, None, (), None,
                                      f"The engine has no metric called {indicator.metric}."))
            continue
        if end is None:
            out.append(IndicatorTrend(indicator, None, (), None, "No data is loaded yet."))
            continue
        headline = value_for(indicator.metric, headline_period, area, wh, digest, cache)
        points = tuple(value_for(indicator.metric, p, area, wh, digest, cache) for p in periods)
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
