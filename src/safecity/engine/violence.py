"""The violence dashboard's figures: serious violence, robbery and knife crime by month, and
their victims and suspects by age group, for the partnership's area or one policing sector,
over any run of whole months.

Every count is a figure of ``figures`` (``most_serious_violence``, ``robbery``,
``bladed_implement_offences``; ``figures.series`` by month and sector, ``figures.people_by_age``
for victims and suspects). Victims and suspects are counts of people, so each measure's age
groups are protected together with their total by one disclosure ``Ledger`` (the same rule as
the assessment's profiles); the monthly crime counts are not sensitive and are published as
they are. The web app reads this through ``web/dashboards/services.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import figures, periods, settings
from .assessment import disclosure
from .assessment.model import Period, Suppressed, Value
from .sql import literal

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

    def csv_rows(self) -> list[list]:
        """One long table: measure, breakdown, group, count (withheld counts as [c])."""
        rows: list[list] = []
        for i, (_, label) in enumerate(self.measures):
            for month, counts in zip(self.months, self.by_month):
                rows.append([label, "month", periods.month_label(month), _cell(counts[i])])
        for label, role, bands, total in self.by_age:
            for band, value in zip(self.age_labels, bands):
                rows.append([label, role.lower(), band, _cell(value)])
            rows.append([label, role.lower(), "All", _cell(total)])
        return rows


def _cell(value: Value):
    return "[c]" if isinstance(value, Suppressed) else ("" if value is None else value)


def violence_dashboard(start: str, end: str, *, sector: str | None = None,
                       area: str | None = None, warehouse=None) -> ViolenceDashboard:
    """The dashboard for the months ``start``..``end`` ("YYYY-MM", inclusive) of ``area``
    (default the partnership) or one of its sectors. Raises ``AssessmentError`` with a sentence
    for months the wrong way round or an unknown sector."""
    from .assessment.area import resolve
    from .assessment.build import open_warehouse
    from .assessment.context import open_context
    from .assessment.sections._common import AGE_BANDS
    from .errors import AssessmentError

    first, last = periods.month(start), periods.month(end)
    if last.start < first.start:
        raise AssessmentError(f"The period runs from {first.label} back to {last.label}.",
                              fix="Choose a 'from' month on or before the 'to' month.")
    period = Period(periods.label_for(first.start, last.end), first.start, last.end)
    wh = open_warehouse(warehouse)
    partnership = settings.get("partnership_csp")
    con = wh.connect()
    the_area = resolve(area or partnership, wh, partnership=partnership, con=con)
    ctx = open_context(wh, the_area, period, periods.previous_year(period), None, None,
                       threshold=int(settings.get("suppression_threshold")), con=con)
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
    bands = [key for key, *_ in AGE_BANDS] + ["unknown"]
    age_labels = tuple(label for _, label, *_ in AGE_BANDS) + ("Age not recorded",)
    by_age = []
    # The area and every sector (and the crimes no sector holds) are protected together, so
    # comparing the area's view with its sectors' cannot give back a withheld count.
    wheres = {"": "TRUE", "~": ("(lsoa11_code IS NULL OR lsoa11_code NOT IN (SELECT "
                                "lsoa11_code FROM geo WHERE sector IS NOT NULL))")}
    wheres.update({p: f"lsoa11_code IN (SELECT lsoa11_code FROM geo WHERE sector = "
                      f"{literal(p)})" for p in places})
    shown = "" if sector is None else sector
    for name, label in measures:
        for role, role_label in ROLES:
            led = disclosure.Ledger(ctx.threshold)
            try:
                for place, cond in wheres.items():
                    counts = figures.people_by_age(ctx, name, role, "in_cur", cond)
                    keys = [led.count(f"{place}|{b}", counts.get(b, 0)) for b in bands]
                    led.total(led.count(f"{place}|all", sum(counts.values())), keys)
            except figures.FigureUnavailable as exc:
                unavailable.append(f"{label}, {role_label.lower()} by age: {exc}")
                continue
            for b in bands + ["all"]:
                led.total(f"|{b}", [f"{p}|{b}" for p in wheres if p])
            pr = led.protect()
            by_age.append((label, role_label, tuple(pr[f"{shown}|{b}"] for b in bands),
                           pr[f"{shown}|all"]))
    return ViolenceDashboard(
        area_name=the_area.name, place=sector, places=places, period=period, months=months,
        measures=tuple(measures), by_month=tuple(by_month), age_labels=age_labels,
        by_age=tuple(by_age), unavailable=tuple(unavailable))
