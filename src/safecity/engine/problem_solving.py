"""The evidence of a Partnership Action Group problem: its place's crime and ASB by month, the
hotspots in it, and the before-and-after comparison it closes with.

A problem's place is a set of 2011 LSOAs, a drawn area (a polygon of British National Grid
vertices), or both; a record is in the place when its LSOA is one of the place's or its point
lies inside the polygon. Everything is counted on an assessment context of the partnership's
own area (``assessment.context.open_context``), so the source precedence, the months an analyst
set aside and the coverage of each source are the assessment's, and the crime types are
:data:`figures.HOTSPOT_TYPES` (the hotspot maps' selections). Hotspots are the Gi* cells of the
partnership's area (``stats.hotspots``, the assessment's method and grid) that contain a record
of the place. The closing comparison is ``figures.compare`` (the E-test) and, with a control
area, the weighted displacement difference (``stats.evaluation.wdd``).

These are working figures for the partnership's own signed-in members, not published outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import figures, periods, settings
from .assessment.model import Period
from .errors import AssessmentError
from .warehouse import Warehouse

__all__ = ["Place", "Evidence", "Outcome", "area_lsoas", "sectors", "latest_month",
           "evidence", "before_after", "parse_polygon", "CRIME_TYPES", "OpenProblem",
           "open_problems"]

#: key -> label of the crime types a problem can be measured by (figures.HOTSPOT_TYPES).
CRIME_TYPES = {key: spec[0] for key, spec in figures.HOTSPOT_TYPES.items()}


@dataclass(frozen=True)
class Place:
    """LSOA codes and/or a drawn polygon of (easting, northing) vertices in BNG metres."""

    lsoas: tuple[str, ...] = ()
    polygon: tuple[tuple[float, float], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.lsoas or self.polygon)


def parse_polygon(text: str) -> tuple[tuple[float, float], ...]:
    """A drawn area from text: one "easting, northing" vertex a line (BNG metres), three or more.

    >>> parse_polygon("442000, 112000\\n442500 112000\\n442500,112500")
    ((442000.0, 112000.0), (442500.0, 112000.0), (442500.0, 112500.0))
    """
    out = []
    for number, line in enumerate(str(text).splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = line.replace(",", " ").split()
        try:
            e, n = (float(p) for p in parts)
        except ValueError:
            raise AssessmentError(
                f"Line {number} of the drawn area, {line!r}, is not an easting and a northing.",
                fix="Write one corner a line as easting, northing in metres, for example "
                    "442000, 112000.") from None
        if not (0 <= e <= 700_000 and 0 <= n <= 1_300_000):
            raise AssessmentError(
                f"Line {number} of the drawn area, {line!r}, is outside Great Britain.",
                fix="Use British National Grid metres, for example 442000, 112000.")
        out.append((e, n))
    if out and len(out) < 3:
        raise AssessmentError("A drawn area needs at least three corners.",
                              fix="Give three or more lines of easting, northing.")
    return tuple(out)


def _warehouse(warehouse) -> Warehouse:
    from .assessment.build import open_warehouse

    if isinstance(warehouse, Warehouse):
        return open_warehouse(warehouse.root) if not warehouse.exists() else warehouse
    return open_warehouse(warehouse)


def _area(wh: Warehouse, con=None):
    from .assessment.area import resolve

    code = settings.get("partnership_csp")
    return resolve(code, wh, partnership=code, con=con)


def area_lsoas(warehouse=None) -> dict[str, str]:
    """The partnership's LSOAs: code -> "code name (ward)" for choosing a place."""
    area = _area(warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse))
    geo = area.geography.to_pydict()
    names = geo.get("lsoa_name") or [None] * len(geo["lsoa11_code"])
    wards = geo.get("ward_name") or [None] * len(geo["lsoa11_code"])
    return {code: " ".join(x for x in (code, name, f"({ward})" if ward else None) if x)
            for code, name, ward in sorted(zip(geo["lsoa11_code"], names, wards))}


def sectors(warehouse=None) -> dict[str, tuple[str, ...]]:
    """Policing sector -> its LSOAs, from the partnership's geography ({} when it has none)."""
    area = _area(warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse))
    if "sector" not in area.geography.column_names:
        return {}
    out: dict[str, list[str]] = {}
    for code, sector in zip(area.geography["lsoa11_code"].to_pylist(),
                            area.geography["sector"].to_pylist()):
        if sector:
            out.setdefault(sector, []).append(code)
    return {k: tuple(sorted(v)) for k, v in sorted(out.items())}


def latest_month(warehouse=None) -> str | None:
    """The latest month with crimes loaded, "YYYY-MM", or None."""
    wh = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    if not wh.exists() or not wh.has_data("crimes"):
        return None
    return wh.connect().sql("SELECT max(strftime(recorded_date, '%Y-%m')) FROM crimes"
                            ).fetchall()[0][0]


def _span(first: str, last: str) -> Period:
    return periods.parse_custom_period(f"{first}..{last}")


def _context(wh: Warehouse, current: Period, comparison: Period):
    from .assessment.context import open_context

    con = wh.connect()
    return open_context(wh, _area(wh, con), current, comparison, None, None,
                        threshold=int(settings.get("suppression_threshold")), con=con)


def _rows(ctx, crime_type: str, flags: tuple[str, ...]):
    """(month, lsoa, easting, northing, flag values…) of the crime type's records."""
    try:
        _, table, where, needs = figures.HOTSPOT_TYPES[crime_type]
    except KeyError:
        raise AssessmentError(f"There is no crime type {crime_type!r}; known types: "
                              f"{', '.join(figures.HOTSPOT_TYPES)}.") from None
    if needs and not ctx.has(*needs):
        raise figures.FigureUnavailable(
            figures.NO_CODES if ctx.is_open_data else
            f"The crimes do not record {', '.join(n.replace('_', ' ') for n in needs)}.")
    cols = ", ".join(flags)
    return ctx.rows(f"SELECT strftime(recorded_date, '%Y-%m'), lsoa11_code, easting, northing, "
                    f"{cols} FROM {table} WHERE ({' OR '.join(flags)}) AND {where}")


def _inside(place: Place, rows) -> np.ndarray:
    """Whether each row (month, lsoa, easting, northing, …) is in the place."""
    if not rows:
        return np.zeros(0, dtype=bool)
    lsoas = set(place.lsoas)
    keep = np.array([r[1] in lsoas for r in rows], dtype=bool)
    if place.polygon:
        import shapely

        e = np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=float)
        n = np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=float)
        ok = np.isfinite(e) & np.isfinite(n)
        inside = np.zeros(len(rows), dtype=bool)
        inside[ok] = shapely.contains_xy(shapely.Polygon(place.polygon), e[ok], n[ok])
        keep |= inside
    return keep


@dataclass(frozen=True)
class Evidence:
    """A place's recorded crime and ASB by month (None: the month is not loaded for that
    source), their totals against the previous year, and the Gi* hotspot cells in it."""

    months: tuple[str, ...]
    crimes: tuple[int | None, ...]
    asb: tuple[int | None, ...]
    period_label: str
    comparison_label: str
    crime_change: object  # stats.change.Change or figures.NoComparison
    asb_change: object | None  # None when no ASB is loaded
    crime_source: str | None
    asb_source: str | None
    hotspots: tuple  # stats.hotspots.HotspotCell, hot cells holding a crime of the place
    cell_size: float | None
    notes: tuple[str, ...]
    #: The place's LSOAs (chosen, or holding a crime of a drawn area) with their crimes in the
    #: period: {code, name, ward, lad, value}, the areas of the page's map and its table twin.
    by_lsoa: tuple[dict, ...] = ()


def _by_lsoa(ctx, place: Place, rows, keep) -> tuple[dict, ...]:
    """Crimes of the current period in the place, by LSOA, named from the geography."""
    counts = {code: 0 for code in place.lsoas}
    for r, k in zip(rows, keep):
        if k and r[4] and r[1]:
            counts[r[1]] = counts.get(r[1], 0) + 1
    geo = {r[0]: r[1:] for r in ctx.rows(
        "SELECT lsoa11_code, lsoa_name, ward_name, lad_code FROM geo")}
    return tuple({"code": code, "name": geo.get(code, (None,) * 3)[0],
                  "ward": geo.get(code, (None,) * 3)[1], "lad": geo.get(code, (None,) * 3)[2],
                  "value": n} for code, n in sorted(counts.items()))


def _pair(rows, keep, cur_flag_index: int, prev_flag_index: int, prev_loaded: bool):
    cur = int(sum(1 for r, k in zip(rows, keep) if k and r[cur_flag_index]))
    prev = int(sum(1 for r, k in zip(rows, keep) if k and r[prev_flag_index]))
    return cur, (prev if prev_loaded else None)


def evidence(place: Place, *, end_month: str | None = None, months: int = 12,
             warehouse=None) -> Evidence:
    """The place's evidence over the ``months`` months to ``end_month`` (default the latest
    month loaded), against the same months a year earlier."""
    if not place:
        raise AssessmentError("The problem has no place yet.",
                              fix="Choose its LSOAs or draw its area first.")
    wh = _warehouse(warehouse)
    end_month = end_month or latest_month(wh)
    if end_month is None:
        raise AssessmentError("No crimes are loaded, so there is no evidence yet.",
                              fix="Load crimes first (safecity ingest …).")
    current = _span(periods.shift_month(end_month, 1 - months), end_month)
    ctx = _context(wh, current, periods.previous_year(current))
    window = tuple(periods.months_in(current))
    crime_rows = _rows(ctx, "all_crime", ("in_cur", "in_prev"))
    crime_in = _inside(place, crime_rows)
    asb_rows = _rows(ctx, "asb", ("in_cur", "in_prev")) if ctx.tables["a"] else []
    asb_in = _inside(place, asb_rows)
    loaded = ctx.cache.get("loaded_months", set())
    asb_loaded = ctx.cache.get("source_loaded", {}).get("a", set())

    def by_month(rows, keep, loaded_months):
        counts = {m: 0 for m in window}
        for r, k in zip(rows, keep):
            if k and r[4] and r[0] in counts:
                counts[r[0]] += 1
        return tuple(counts[m] if m in loaded_months else None for m in window)

    crime_cur, crime_prev = _pair(crime_rows, crime_in, 4, 5, ctx.loaded("c", "in_prev"))
    asb_change = None
    if ctx.tables["a"]:
        asb_change = figures.compare(*_pair(asb_rows, asb_in, 4, 5, ctx.loaded("a", "in_prev")))
    hot, size = _hot_cells(ctx, place, crime_rows, crime_in)
    notes = [n for n in ctx.coverage if not n.startswith("Area:")]
    return Evidence(months=window, crimes=by_month(crime_rows, crime_in, loaded),
                    asb=by_month(asb_rows, asb_in, asb_loaded), period_label=ctx.period.label,
                    comparison_label=ctx.comparison.label,
                    crime_change=figures.compare(crime_cur, crime_prev), asb_change=asb_change,
                    crime_source=ctx.crime_source,
                    asb_source=ctx.cache.get("source_kind", {}).get("a") if ctx.tables["a"]
                    else None, hotspots=hot, cell_size=size, notes=tuple(notes),
                    by_lsoa=_by_lsoa(ctx, place, crime_rows, crime_in))


def _hot_cells(ctx, place: Place, rows, keep):
    """Gi* over the partnership's crimes of the current period (the assessment's grid and
    method), keeping the hot cells that hold at least one crime of the place."""
    from .stats.hotspots import cell_index, gi_star, grid_counts

    pts = [(r[2], r[3]) for r in rows if r[4] and r[2] is not None and r[3] is not None]
    if len(pts) < 30:
        return (), None
    e, n = (np.array(v, dtype=float) for v in zip(*pts))
    grid = grid_counts(e, n)
    mine = [(r[2], r[3]) for r, k in zip(rows, keep)
            if k and r[4] and r[2] is not None and r[3] is not None]
    if not mine:
        return (), grid.cell_size
    me, mn = (np.array(v, dtype=float) for v in zip(*mine))
    cols, rws = cell_index(me, mn, grid.cell_size)
    cells_of_place = set(zip(cols.tolist(), rws.tolist()))
    hot = [cell for cell, c, r in zip(gi_star(grid), grid.col, grid.row)
           if (c, r) in cells_of_place and cell.label.startswith("hot")]
    hot.sort(key=lambda c: -(c.z or 0.0))
    return tuple(hot), grid.cell_size


@dataclass(frozen=True)
class Outcome:
    """A problem's before-and-after comparison, and the WDD when a control area was given."""

    crime_type: str
    crime_type_label: str
    before_label: str
    after_label: str
    before: int
    after: int
    change: object  # stats.change.Change (the E-test of after against before)
    control_before: int | None
    control_after: int | None
    wdd: object | None  # stats.evaluation.WDD


def before_after(place: Place, before: tuple[str, str], after: tuple[str, str], *,
                 crime_type: str = "all_crime", control: Place | None = None,
                 warehouse=None) -> Outcome:
    """Counts of ``crime_type`` in the place in the months ``before`` and ``after`` (each a
    (first, last) "YYYY-MM" pair of the same length), their E-test, and the weighted
    displacement difference against the ``control`` place when one is given (no displacement
    buffer: ``wdd(control, treated)``)."""
    from .stats.evaluation import wdd

    if not place:
        raise AssessmentError("The problem has no place yet.",
                              fix="Choose its LSOAs or draw its area first.")
    before_p, after_p = _span(*before), _span(*after)
    if len(periods.months_in(before_p)) != len(periods.months_in(after_p)):
        raise AssessmentError(
            f"The periods before ({before_p.label}) and after ({after_p.label}) are not the "
            "same length.", fix="Compare the same number of months, for example 2019-07..2019-12 "
                                "against 2020-07..2020-12.")
    if before_p.end >= after_p.start:
        raise AssessmentError(f"The period before ({before_p.label}) must end before the period "
                              f"after ({after_p.label}) starts.",
                              fix="Choose months before the response and months after it.")
    wh = _warehouse(warehouse)
    ctx = _context(wh, after_p, before_p)
    for flag, label in (("in_prev", before_p.label), ("in_cur", after_p.label)):
        table = figures.HOTSPOT_TYPES.get(crime_type, ("", "c"))[1]
        if not ctx.loaded(table, flag):
            raise figures.FigureUnavailable(
                f"No {'ASB incidents are' if table == 'a' else 'crimes are'} loaded for "
                f"{label}, so the comparison cannot be made.")
    rows = _rows(ctx, crime_type, ("in_cur", "in_prev"))
    after_n, before_n = _pair(rows, _inside(place, rows), 4, 5, True)
    c_before = c_after = result = None
    if control:
        c_after, c_before = _pair(rows, _inside(control, rows), 4, 5, True)
        result = wdd((c_before, c_after), (before_n, after_n))
    return Outcome(crime_type=crime_type, crime_type_label=CRIME_TYPES[crime_type],
                   before_label=ctx.comparison.label, after_label=ctx.period.label,
                   before=before_n, after=after_n, change=figures.compare(after_n, before_n),
                   control_before=c_before, control_after=c_after, wdd=result)


@dataclass(frozen=True)
class OpenProblem:
    """An open Partnership Action Group problem as the web app last exported it."""

    sector: str
    problem_ref: str
    group_name: str
    problem_type: str
    opened: object  # datetime.date
    actions_open: int | None
    actions_overdue: int | None
    escalated: bool
    link: str | None


def open_problems(con, warehouse: Warehouse) -> tuple[OpenProblem, ...]:
    """The open problems of the ``action_group_problems`` table (exported by the web app), by
    sector and date opened; () when none are loaded."""
    if not warehouse.has_data("action_group_problems"):
        return ()
    return tuple(OpenProblem(*row) for row in con.execute(
        "SELECT sector, problem_ref, group_name, problem_type, opened_date, actions_open, "
        "actions_overdue, coalesce(escalated, FALSE), link FROM action_group_problems "
        "ORDER BY sector, opened_date, problem_ref").fetchall())
