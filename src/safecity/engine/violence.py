"""The violence dashboard's figures: serious violence, robbery and knife crime by month, and
their victims and suspects by age group, for the partnership's area or one policing sector,
over any run of whole months.

Every count is a figure of ``figures`` (``most_serious_violence``, ``robbery``,
``bladed_implement_offences``; ``figures.series`` by month and sector,
``figures.people_by_age_by_month`` for victims and suspects). The monthly crime counts are not
sensitive and are published as they are.

**Victims and suspects by age are counts of people, published on one fixed grid.** A run of
months chosen in a filter is not a safe unit: the figures of January-March less those of
January-February are March's, so two views each protected on their own give back a count that
March's own view withholds. So every age figure the dashboard (or its CSV) shows is a cell of
one grid that does not depend on the filter: each financial year for the area, each sector and
the crimes no sector holds, and each of the year's four quarters for the area
(``periods.fixed_cover``), by age band and in all. One disclosure ``Ledger`` per financial year,
measure and role protects the whole year's grid once, with every relation between its cells
(bands and their total, the sectors and the area, the quarters and their year), whatever is
asked for; a protected year is kept (``grids``) so every view reads the same decisions. A chosen run shows the sum of the cells
covering it (whole years, then whole quarters), and only when every one of those cells is
published, otherwise ``[c]``: a sum of published cells tells nothing the cells do not, and
months in no whole quarter of the run are left out of the age tables and named. The web app
reads this through ``web/dashboards/services.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import figures, periods, settings
from .assessment import disclosure
from .assessment.model import Period, Suppressed, Value

MEASURES = (("most_serious_violence", "Serious violence"), ("robbery", "Robbery"),
            ("bladed_implement_offences", "Knife crime"))
ROLES = (("v", "Victims"), ("s", "Suspects"))


@dataclass(frozen=True)
class ViolenceDashboard:
    area_name: str
    place: str | None  # a sector, or None for the whole area
    places: tuple[str, ...]  # the sectors a filter can choose
    period: Period
    months: tuple[str, ...]  # "YYYY-MM", oldest first
    measures: tuple[tuple[str, str], ...]  # (figure, label) that could be counted
    by_month: tuple[tuple[Value, ...], ...]  # per month: a count per measure (None: not loaded)
    age_labels: tuple[str, ...]
    by_age: tuple[tuple[str, str, tuple[Value, ...], Value], ...]  # (measure, role, bands, all)
    unavailable: tuple[str, ...]  # sentences: measures or parts the data cannot give
    age_cells: tuple[str, ...] = ()  # the grid cells (years, quarters) the age figures sum
    age_left_out: tuple[str, ...] = ()  # months of the run in no whole quarter: not in them

    @property
    def age_period(self) -> str:
        """The grid cells the age figures sum, in words ("2019/20; Apr 2020 – Jun 2020")."""
        return "; ".join(self.age_cells)

    def csv_rows(self) -> list[list]:
        """One long table: measure, breakdown, group, period, count (withheld counts as [c]);
        an age group's period is the grid cells its count sums (``age_period``)."""
        rows: list[list] = []
        for i, (_, label) in enumerate(self.measures):
            for month, counts in zip(self.months, self.by_month):
                label_m = periods.month_label(month)
                rows.append([label, "month", label_m, label_m, _cell(counts[i])])
        for label, role, bands, total in self.by_age:
            for band, value in zip(self.age_labels, bands):
                rows.append([label, role.lower(), band, self.age_period, _cell(value)])
            rows.append([label, role.lower(), "All", self.age_period, _cell(total)])
        return rows


@dataclass(frozen=True)
class AgeGrid:
    """One financial year's protected grid of people by age: ``values[(measure, role, cell,
    place, band)]`` with cell a quarter's or the year's label, place "" for the area, a sector
    or ``figures.NOT_KNOWN_PLACE``, band an age band key, "unknown" or "all"; None where the
    figure is not available (``unavailable`` says why)."""
    year: str
    values: dict
    unavailable: tuple[str, ...]


def _cell(value: Value):
    return "[c]" if isinstance(value, Suppressed) else ("" if value is None else value)


def _bands() -> tuple[list[str], tuple[str, ...]]:
    from .assessment.sections._common import AGE_BANDS

    return ([key for key, *_ in AGE_BANDS] + ["unknown"],
            tuple(label for _, label, *_ in AGE_BANDS) + ("Age not recorded",))


def violence_dashboard(start: str, end: str, *, sector: str | None = None,
                       area: str | None = None, warehouse=None,
                       grids=None) -> ViolenceDashboard:
    """The dashboard for the months ``start``..``end`` ("YYYY-MM", inclusive) of ``area``
    (default the partnership) or one of its sectors. ``grids`` keeps protected years
    (:class:`AgeGrid`) between calls (``get`` and item assignment, keyed by area, year and
    threshold): the caller keys it by the warehouse's state too. Raises ``AssessmentError`` with a sentence for months the
    wrong way round or an unknown sector."""
    from .assessment.area import resolve
    from .assessment.build import open_warehouse
    from .assessment.context import open_context
    from .errors import AssessmentError

    first, last = periods.month(start), periods.month(end)
    if last.start < first.start:
        raise AssessmentError(f"The period runs from {first.label} back to {last.label}.",
                              fix="Choose a 'from' month on or before the 'to' month.")
    period = Period(periods.label_for(first.start, last.end), first.start, last.end)
    # a sector's age groups are decided for whole years only (see age_grid)
    cover, left_out = periods.fixed_cover(start, end, quarters=sector is None)
    years: dict[str, Period] = {}
    for cell in cover:
        fy = periods.financial_year_of(cell.start.strftime("%Y-%m"))
        years.setdefault(fy.label, fy)
    span = (Period("grid", min(y.start for y in years.values()),
                   max(y.end for y in years.values())) if years else None)
    wh = open_warehouse(warehouse)
    partnership = settings.get("partnership_csp")
    con = wh.connect()
    the_area = resolve(area or partnership, wh, partnership=partnership, con=con)
    threshold = int(settings.get("suppression_threshold"))
    ctx = open_context(wh, the_area, period, periods.previous_year(period), span, None,
                       threshold=threshold, con=con)
    places = tuple(p for (p,) in ctx.rows(
        "SELECT DISTINCT sector FROM geo WHERE sector IS NOT NULL ORDER BY 1"))
    if sector is not None and sector not in places:
        raise AssessmentError(f"There is no policing sector called {sector!r} in "
                              f"{the_area.name}.",
                              fix="Choose one of: " + ", ".join(places) + "." if places else
                              "Load a geography with sectors first.")
    months = tuple(periods.months_in(period))
    measures, columns, unavailable = [], [], []
    for name, label in MEASURES:
        try:
            split = figures.series(ctx, name, ("in_cur",), by=None if sector is None
                                   else "sector")
        except figures.FigureUnavailable as exc:
            unavailable.append(f"{label}: {exc}")
            continue
        series = split["all"] if sector is None else split.get(sector, {})
        loaded = set(ctx.months.get("in_cur", ()))
        measures.append((name, label))
        columns.append([series.get(m, 0) if m in loaded else None for m in months])
    by_month = tuple(zip(*columns)) if columns else tuple(() for _ in months)
    bands, age_labels = _bands()
    protected = []
    for fy in years.values():
        key = f"{the_area.code}|{fy.label}|{threshold}"
        grid = grids.get(key) if grids is not None else None
        if grid is None:
            grid = age_grid(ctx, fy, places, measures)
            if grids is not None:
                grids[key] = grid
        protected.append(grid)
        unavailable += [u for u in grid.unavailable if u not in unavailable]
    values = {k: v for g in protected for k, v in g.values.items()}
    shown = "" if sector is None else sector
    # consecutive quarters of one year are one run of the grid (its sum is decided there)
    runs: list[list[Period]] = []
    for cell in cover:
        same_year = (runs and runs[-1][-1].end.month != 3 and len(periods.months_in(cell)) == 3
                     and len(periods.months_in(runs[-1][-1])) == 3
                     and periods.add_months(runs[-1][-1].end, 1).replace(day=1) == cell.start)
        if same_year:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    labels = [_run(r) if len(r) > 1 else r[0].label for r in runs]
    by_age = []
    for name, label in measures if cover else ():
        for role, role_label in ROLES:
            sums = [_sum([values.get((name, role, c, shown, b)) for c in labels])
                    for b in bands + ["all"]]
            if all(v is None for v in sums):
                continue  # not available (said in ``unavailable``)
            by_age.append((label, role_label, tuple(sums[:-1]), sums[-1]))
    return ViolenceDashboard(
        area_name=the_area.name, place=sector, places=places, period=period, months=months,
        measures=tuple(measures), by_month=tuple(by_month), age_labels=age_labels,
        by_age=tuple(by_age), unavailable=tuple(unavailable),
        age_cells=tuple(c.label for c in cover), age_left_out=tuple(left_out))


def _sum(cells: list[Value]) -> Value:
    """A sum of grid cells: published only when every cell is (else a withheld cell could be
    worked back from it)."""
    if any(isinstance(v, Suppressed) for v in cells):
        return Suppressed("withheld: the period holds a withheld count")
    if any(v is None for v in cells):
        return None
    return sum(cells)


def age_grid(ctx, fy: Period, places: tuple[str, ...], measures) -> AgeGrid:
    """Protect one financial year's grid (see the module docstring), one ``Ledger`` per measure
    and role: the area by quarter, and the year for the area, each sector and the crimes in no
    sector, by age band and in all, with their relations (bands and the total; the sectors and
    no sector, and the quarters, against the area's year). Sectors are not split by quarter:
    their quarters' counts of people are nearly all small, and the audit of a grid that size
    took minutes. ``ctx`` must have the year inside its ``in_cp`` period."""
    bands, _ = _bands()
    quarters = periods.quarters_to(fy.end.strftime("%Y-%m"), 4)
    parts = [*places, figures.NOT_KNOWN_PLACE]
    values: dict = {}
    unavailable = []
    for name, label in measures:
        for role, role_label in ROLES:
            try:
                counts = figures.people_by_age_by_month(ctx, name, role, "in_cp", by="sector")
            except figures.FigureUnavailable as exc:
                unavailable.append(f"{label}, {role_label.lower()} by age: {exc}")
                continue
            led = disclosure.Ledger(ctx.threshold)

            def register(cell: Period, p: str) -> None:
                in_cell = set(periods.months_in(cell))
                keys = [led.count(f"{cell.label}|{p}|{b}", sum(
                    n for (pp, m, bb), n in counts.items()
                    if (pp == p or not p) and bb == b and m in in_cell)) for b in bands]
                led.total(led.count(f"{cell.label}|{p}|all",
                                    sum(led.values[k] for k in keys)), keys)

            for cell in quarters:  # the area by quarter
                register(cell, "")
            for p in ["", *parts]:  # the area, each sector and no sector for the year
                register(fy, p)
            for b in bands + ["all"]:
                led.total(f"{fy.label}||{b}", [f"{fy.label}|{p}|{b}" for p in parts])
                led.total(f"{fy.label}||{b}", [f"{q.label}||{b}" for q in quarters])
            pr = led.protect()
            for key, value in pr.values.items():
                cell, p, b = key.split("|")
                values[(name, role, cell, p, b)] = value
            # runs of two or three quarters (a chosen period's part in this year): their sum
            # is published when the published cells give it, e.g. the year less a quarter
            for i in range(len(quarters)):
                for j in range(i + 1, len(quarters)):
                    if j - i == len(quarters) - 1:
                        continue  # the whole year is its own cell
                    run = _run(quarters[i:j + 1])
                    for b in bands + ["all"]:
                        keys = [f"{q.label}||{b}" for q in quarters[i:j + 1]]
                        values[(name, role, run, "", b)] = (
                            sum(led.values[k] for k in keys) if all(
                                pr.published(k) for k in keys)
                            or led.determined(pr, dict.fromkeys(keys, 1.0))
                            else Suppressed("withheld: the period holds a withheld count"))
    return AgeGrid(fy.label, values, tuple(unavailable))


def _run(quarters: list[Period]) -> str:
    """The label of consecutive quarters taken together."""
    return periods.label_for(quarters[0].start, quarters[-1].end)
