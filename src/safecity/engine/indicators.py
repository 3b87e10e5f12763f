"""Named metrics the partnership's indicators are defined on, computed from the warehouse.

``compute(metric, warehouse, period, area)`` counts one metric for one period and area, compares
it with the same period a year earlier (E-test) and returns a frozen ``IndicatorValue``;
``compute_all`` does several metrics over one scan. The web app's scorecard reads only these.

A metric is not a second definition: it names a figure of ``safecity.engine.figures`` and is
counted over the same assessment context (area rule, source precedence, offence selections,
first-time-entrant rule) as the Strategic Assessment and the monthly pack, so the scorecard and
the assessment always give the same number. The area is an ONS CSP code.

>>> sorted(METRICS)[:3]
['alcohol_affected_crime', 'asb_incidents', 'bladed_implement_offences']
>>> METRICS["fte_rate"].per
100000
"""

from __future__ import annotations

from dataclasses import dataclass

from . import settings
from .assessment.model import Period
from .errors import AssessmentError


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    definition: str
    table: str  # the table whose rows it counts (its data must be loaded)
    figure: str  # the figure (safecity.engine.figures.FIGURES) it counts
    unit: str = "count"  # "count", "rate" (per ``per`` people) or "percent" (of figure_base)
    per: int = 1  # rates: per this many people
    #: the Strategic Assessment's headline key holding the same value (what a published run
    #: shows for an indicator on this metric; tests/engine/test_figures.py checks they agree)
    headline: str = ""


@dataclass(frozen=True)
class IndicatorValue:
    """One metric for one period and area. ``value`` is the count, or the rate for a rate metric;
    ``None`` when the data needed is not loaded or the rate has no population."""

    metric: str
    period: Period
    area: str
    value: float | None
    previous: float | None
    change_pct: float | None
    p_value: float | None
    significant: bool
    wording: str  # classify_change key, "" when unavailable
    count: int | None = None
    previous_count: int | None = None
    note: str = ""


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("recorded_crime", "Recorded crime", "Every notifiable crime recorded in the period.",
           "crimes", "recorded_crime", headline="recorded_crime"),
    Metric("violence_against_the_person", "Violence against the person",
           "Crimes in the ONS offence group Violence against the person.", "crimes",
           "violence_against_the_person", headline="violent_crime"),
    Metric("domestic_violent_crime", "Domestic violent crime", "Violence against the person "
           "flagged as domestic abuse-related.", "crimes", "domestic_violent_crime",
           headline="domestic_violent_crime"),
    Metric("repeat_victims_5plus", "Repeat victims (5 or more crimes)", "People who were the "
           "victim of five or more crimes recorded in the period.", "victims",
           "repeat_victims_5plus", headline="victims_5plus"),
    Metric("hate_crime", "Hate crime", "Crimes flagged with at least one of the five monitored "
           "hate strands (or hate reports that became crimes when the crimes carry no "
           "hate flags).", "crimes", "hate_crime", headline="hate_crime"),
    Metric("most_serious_violence", "Most serious violence", "Homicide, attempted murder, "
           "assault with intent to cause serious harm and endangering life (the "
           "classification's most_serious_violence basket).", "crimes", "most_serious_violence",
           headline="most_serious_violence"),
    Metric("residential_burglary", "Residential burglary", "Burglary of a home or of a building "
           "connected with one (ONS subgroup Residential burglary).", "crimes",
           "residential_burglary", headline="residential_burglary"),
    Metric("asb_incidents", "Anti-social behaviour incidents", "ASB incidents recorded by the "
           "police or the council.", "asb_incidents", "asb_incidents", headline="asb_incidents"),
    Metric("bladed_implement_offences", "Knife and bladed-implement crime", "Offences "
           "committed with a knife or other bladed or sharp instrument, used or threatened (the "
           "classification's bladed_implement basket, or the crimes' weapon flag).", "crimes",
           "bladed_implement_offences", headline="bladed_implement_offences"),
    Metric("first_time_entrants", "First-time entrants", "Young people receiving their first "
           "youth caution, conditional caution or court sentence, aged 10-17 on that outcome "
           "(the count; fte_rate is the same people per 100,000 residents aged 10-17).",
           "youth_justice", "first_time_entrants", headline="fte_count"),
    Metric("fte_rate", "First-time entrants rate", "Young people receiving their first youth "
           "caution, conditional caution or court sentence, aged 10-17 on that outcome, per "
           "100,000 residents aged 10-17.", "youth_justice", "first_time_entrants",
           unit="rate", per=100000, headline="fte_rate_per_100k"),
    Metric("sexual_offences", "Sexual offences", "Crimes in the ONS offence group Sexual "
           "offences (rape and other sexual offences).", "crimes", "sexual_offences",
           headline="sexual_offences_crimes"),
    Metric("drug_offences", "Drug offences", "Possession, trafficking and production of "
           "drugs (the classification's drug_offences basket, else the ONS offence group Drug "
           "offences; police.uk category Drugs for open data).", "crimes", "drug_offences",
           headline="drug_offences"),
    Metric("alcohol_affected_crime", "Alcohol-affected crime", "Crimes the police flag as "
           "alcohol-affected.", "crimes", "alcohol_affected_crime",
           headline="alcohol_affected_crime"),
    Metric("drug_affected_crime", "Drug-affected crime", "Crimes the police flag as "
           "drug-affected.", "crimes", "drug_affected_crime", headline="drug_affected_crime"),
    Metric("night_time_economy_crime", "Night-time economy crime", "Crimes flagged as linked "
           "to the night-time economy, and violence against the person in its nights, hours "
           "and area (settings nte_nights, nte_hours, nte_lsoas).", "crimes",
           "night_time_economy_crime", headline="night_time_economy_crime"),
    Metric("youth_reoffending", "Youth proven re-offending (binary rate)", "Of the young "
           "people in the latest quarterly cohort whose 18-month follow-up is complete, the "
           "share who committed a proven re-offence within 12 months; compared with the cohort "
           "of the same quarter a year earlier.", "youth_justice", "youth_reoffending",
           unit="percent", per=100, headline="youth_reoffending_binary_pct"),
)}


def compute(metric: str, warehouse, period: Period, area: str | None = None) -> IndicatorValue:
    """Compute ``metric`` for ``period`` in ``area`` (default: the partnership's CSP) and compare
    it with the same period a year earlier.

    ``warehouse`` is a ``safecity.engine.warehouse.Warehouse``. A metric whose data is not
    loaded returns ``value=None`` with a note saying which data is missing.
    """
    return compute_all([metric], warehouse, period, area)[metric]


def compute_all(metrics, warehouse, period: Period, area: str | None = None
                ) -> dict[str, IndicatorValue]:
    """``compute`` for several metrics over one scan of the warehouse."""
    # Imported here: the assessment context and the statistics are heavier than the registry
    # the web app loads at start.
    from . import figures, periods
    from .assessment.area import resolve
    from .assessment.context import open_context

    metrics = list(metrics)
    for metric in metrics:
        if metric not in METRICS:
            raise AssessmentError(f"There is no metric called {metric!r}; known metrics: "
                                  f"{', '.join(sorted(METRICS))}.")
    partnership = settings.get("partnership_csp")
    area = area or partnership

    def missing(metric: str, note: str, counts=(None, None)) -> IndicatorValue:
        return IndicatorValue(metric, period, area, None, None, None, None, False, "",
                              counts[0], counts[1], note)

    if not warehouse.exists():
        return {m: missing(m, "No data is loaded yet.") for m in metrics}
    out: dict[str, IndicatorValue] = {}
    con = warehouse.connect(threads=1)
    try:
        try:
            the_area = resolve(area, warehouse, partnership=partnership, con=con)
        except AssessmentError as err:
            return {m: missing(m, err.message) for m in metrics}
        ctx = open_context(warehouse, the_area, period, periods.previous_year(period), None,
                           None, threshold=int(settings.get("suppression_threshold")), con=con)
        for metric in metrics:
            spec = METRICS[metric]
            try:
                cur, prev = figures.count(ctx, spec.figure)
            except figures.FigureUnavailable as err:
                out[metric] = missing(metric, err.message)
                continue
            if spec.unit == "percent":  # a share of a cohort, not counted over the months
                out[metric] = _share(spec, period, area, cur, prev,
                                     figures.figure_base(ctx, spec.figure),
                                     figures.latest_matured_cohort(ctx)[0])
                continue
            out[metric] = _value(spec, period, area, cur, prev, the_area,
                                 ctx.cover_of("in_cur", figures.figure_source(ctx, spec.figure)))
    finally:
        con.close()
    return out


def _value(spec: Metric, period: Period, area: str, cur: int, prev: int | None,
           the_area, cover=None) -> IndicatorValue:
    from . import figures
    from .stats.change import classify_change

    exposure = 1.0
    if spec.unit == "rate":
        exposure = float(the_area.population_10_17 or 0)
        if exposure <= 0:
            return IndicatorValue(spec.key, period, area, None, None, None, None, False, "",
                                  cur, prev,
                                  "No population aged 10-17 is known for the area, so no rate.")
    change = figures.compare(cur, prev)
    value = cur / exposure * spec.per
    previous = None if prev is None else prev / exposure * spec.per
    note = "" if prev is not None else "No data is loaded for the same period a year earlier."
    if cover is not None and not cover.complete:  # like for like (engine/coverage.py)
        note = (f"Counted over {cover.label} ({cover.period_label}), the months loaded "
                + ("in both years." if prev is not None else "this year.") + " " + note).strip()
    return IndicatorValue(spec.key, period, area, value, previous, change.change_pct,
                          change.p_value, bool(change.significant),
                          classify_change(change) if prev is not None else "", cur, prev, note)


def _share(spec: Metric, period: Period, area: str, cur: int, prev: int | None,
           base: tuple[int, int | None], cohort) -> IndicatorValue:
    """A percentage of a cohort (re-offenders of the young people in it), compared with the
    cohort a year earlier by the E-test on the two rates (re-offenders per young person, each
    cohort's size its exposure)."""
    from .stats.change import classify_change, compare_counts

    size, prev_size = base
    value = round(100.0 * cur / size, 1)
    note = f"Cohort {cohort.label}, the latest whose 18-month follow-up is complete."
    if prev is None or not prev_size:
        return IndicatorValue(spec.key, period, area, value, None, None, None, False, "",
                              cur, None, note + " No cohort a year earlier is loaded.")
    change = compare_counts(cur, prev, exposure_current=size, exposure_previous=prev_size,
                            small_below=settings.get("small_numbers_threshold"))
    return IndicatorValue(spec.key, period, area, value, round(100.0 * prev / prev_size, 1),
                          change.change_pct, change.p_value, bool(change.significant),
                          classify_change(change), cur, prev, note)
