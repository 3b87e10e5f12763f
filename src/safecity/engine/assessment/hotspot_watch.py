"""Hotspots that show what is new, on an assessment context: emerging hot spots by crime type,
the commercial burglary watch (non-residential burglary cells that turned hot this month), and
near-repeat burglary alerts (the Knox test, :mod:`stats.knox`).

The crime types and their offence selections are :data:`figures.HOTSPOT_TYPES`; the statistics
are :mod:`stats.emerging` (Gi* per month, Mann-Kendall, ArcGIS's classes). The months are those
of a period flag of the context (the monthly pack's ``in_cur`` is the rolling 12 months ending
in the pack's month).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import figures, periods as _periods
from ..errors import AssessmentError
from ..stats.emerging import EmergingHotspots, emerging_hotspots
from ..stats.knox import Alert, KnoxResult, NearRepeatWindow
from .context import Context

__all__ = ["emerging_for", "WatchCell", "CommercialBurglaryWatch", "commercial_burglary_watch",
           "NearRepeat", "near_repeat_for", "NEAR_REPEAT_METRES", "NEAR_REPEAT_DAYS"]


def _points(ctx: Context, crime_type: str, flag: str) -> list[tuple]:
    """(easting, northing, month, lsoa11_code) of the crime type's records in period ``flag``."""
    try:
        _, table, where, needs = figures.HOTSPOT_TYPES[crime_type]
    except KeyError:
        raise AssessmentError(f"There is no hotspot crime type {crime_type!r}; known types: "
                              f"{', '.join(figures.HOTSPOT_TYPES)}.") from None
    if needs and not ctx.has(*needs):
        raise figures.FigureUnavailable(
            figures.NO_CODES if ctx.is_open_data else
            f"The crimes do not record {', '.join(n.replace('_', ' ') for n in needs)}.")
    return ctx.rows(f"SELECT easting, northing, month, lsoa11_code FROM {table} "
                    f"WHERE {flag} AND {where} AND easting IS NOT NULL AND northing IS NOT NULL")


def _months(ctx: Context, flag: str) -> list[str]:
    period = ctx.period_of(flag)
    if period is None:
        raise AssessmentError(f"The context has no period {flag!r}.")
    return _periods.months_in(period)


def emerging_for(ctx: Context, crime_type: str, flag: str = "in_cur", *,
                 cell_size: float | None = None) -> EmergingHotspots:
    """Emerging hot spots of ``crime_type`` (a key of :data:`figures.HOTSPOT_TYPES`) month by
    month over period ``flag``. Raises ``figures.FigureUnavailable`` when the data cannot
    select the type (e.g. data.police.uk has no residential/commercial split) or has no points."""
    rows = _points(ctx, crime_type, flag)
    if not rows:
        raise figures.FigureUnavailable(f"No {figures.HOTSPOT_TYPES[crime_type][0].lower()} "
                                        "with a location is loaded for the period.")
    e, n, m, _ = zip(*rows)
    return emerging_hotspots(e, n, m, _months(ctx, flag), cell_size=cell_size)


@dataclass(frozen=True)
class WatchCell:
    """A cell (centre, BNG metres) that turned hot this month: hot now, not hot last month."""

    x: float
    y: float
    count: int  # commercial burglaries in the cell this month
    previous_count: int  # and the month before
    category: str  # its emerging hot spot class over the period
    lsoas: tuple[str, ...]  # LSOA names of this month's burglaries in the cell
    wards: tuple[str, ...]  # and their wards


@dataclass(frozen=True)
class CommercialBurglaryWatch:
    """The commercial burglary watch for ``month``. ``cells`` is empty when none turned hot;
    counts are raw (a published table passes them through disclosure control)."""

    month: str
    cells: tuple[WatchCell, ...]
    cell_size: float


def commercial_burglary_watch(ctx: Context, flag: str = "in_cur", *,
                              cell_size: float | None = None) -> CommercialBurglaryWatch:
    """Non-residential burglary cells hot (Gi*, p < 0.05) in the last month of period ``flag``
    and not hot the month before, with counts and the LSOA and ward names of this month's
    burglaries there. Raises ``figures.FigureUnavailable`` as :func:`emerging_for`."""
    result = emerging_for(ctx, "commercial_burglary", flag, cell_size=cell_size)
    month = result.periods[-1]
    names = {code: (lsoa or code, ward or "")
             for code, lsoa, ward in ctx.rows("SELECT lsoa11_code, lsoa_name, ward_name FROM geo")}
    places: dict[tuple[int, int], list[str]] = {}
    size = result.cell_size
    for e, n, m, lsoa in _points(ctx, "commercial_burglary", flag):
        if m == month and lsoa:
            places.setdefault((int(e // size), int(n // size)), []).append(lsoa)
    cells = []
    for c in result.cells:
        if c.status[-1] == "hot" and c.status[-2] != "hot":
            codes = sorted(set(places.get((int(c.x // size), int(c.y // size)), [])))
            cells.append(WatchCell(
                x=c.x, y=c.y, count=int(c.counts[-1]), previous_count=int(c.counts[-2]),
                category=c.category,
                lsoas=tuple(names.get(k, (k, ""))[0] for k in codes),
                wards=tuple(sorted({names[k][1] for k in codes if k in names and names[k][1]}))))
    cells.sort(key=lambda w: (-w.count, w.x, w.y))
    return CommercialBurglaryWatch(month=month, cells=tuple(cells), cell_size=size)


#: Near Repeat Calculator-style bands: same location, then 100 m steps to 400 m; weeks to 4.
NEAR_REPEAT_METRES = (0, 100, 200, 300, 400)
NEAR_REPEAT_DAYS = (7, 14, 21, 28)


@dataclass(frozen=True)
class NearRepeat:
    """The Knox test of residential burglary over a period, its window and today's alerts:
    grid cells (centres, BNG metres) within the window of a burglary in its last days."""

    knox: KnoxResult
    window: NearRepeatWindow
    as_of: str  # the last day of the period (ISO date)
    alerts: tuple[Alert, ...]
    cell_size: float


def near_repeat_for(ctx: Context, flag: str = "in_cur", *, n_iter: int = 999,
                    cell_size: float | None = None, seed: int = 0) -> NearRepeat:
    """The Knox test of residential burglary in period ``flag`` (days from the offence start,
    else the recorded date), and alerts for the grid cells within the near-repeat window of a
    burglary in the window's days up to the period's last day. data.police.uk gives only the
    month, which cannot show a near repeat: ``figures.FigureUnavailable`` says so."""
    import datetime as dt

    from ..stats.hotspots import grid_counts
    from ..stats.knox import knox_test, near_repeat_alerts, near_repeat_window

    if ctx.is_open_data:
        raise figures.FigureUnavailable("data.police.uk gives only the month of each crime, so "
                                        "near repeats (days apart) cannot be measured.")
    _, table, where, needs = figures.HOTSPOT_TYPES["residential_burglary"]
    if not ctx.has(*needs):
        raise figures.FigureUnavailable(figures.NO_CODES)
    rows = ctx.rows(f"SELECT easting, northing, coalesce(CAST(committed_from AS DATE), "
                    f"recorded_date) FROM {table} WHERE {flag} AND {where} "
                    "AND easting IS NOT NULL AND northing IS NOT NULL")
    if len(rows) < 3:
        raise figures.FigureUnavailable("Fewer than three residential burglaries with a location "
                                        "are loaded for the period.")
    e, n, d = zip(*rows)
    days = [v.toordinal() for v in d]
    result = knox_test(e, n, days, NEAR_REPEAT_METRES, NEAR_REPEAT_DAYS, n_iter=n_iter, seed=seed)
    window = near_repeat_window(result)
    end = ctx.period_of(flag).end
    grid = grid_counts(e, n, cell_size)
    alerts = near_repeat_alerts(list(zip(grid.x, grid.y)), e, n, days, end.toordinal(), window)
    return NearRepeat(knox=result, window=window, as_of=dt.date.isoformat(end), alerts=alerts,
                      cell_size=grid.cell_size)
