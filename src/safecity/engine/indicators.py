"""Named metrics the partnership's indicators are defined on, computed from the warehouse.

``compute(metric, warehouse, period, area)`` counts one metric for one period and area with DuckDB
over ``Warehouse.connect()`` views, compares it with the same period a year earlier through
``safecity.engine.stats.change.compare_counts`` (E-test), and returns a frozen ``IndicatorValue``.
The web app's scorecard reads only this.

The area is an ONS CSP or local authority code, matched against the ``geography`` table; when no
geography is loaded every row counts (the warehouse then holds only the partnership's own data)
and the value says so in ``note``.

>>> sorted(METRICS)[:3]
['asb_incidents', 'domestic_violent_crime', 'fte_rate']
>>> METRICS["fte_rate"].per
100000
"""

from __future__ import annotations

from dataclasses import dataclass

from . import settings
from .assessment.model import Period
from .errors import AssessmentError
from .sql import literal_list

#: Fallback for Most Serious Violence when the classification's basket cannot be read: no
#: national definition exists (methods.md §2.3); homicide, attempted murder, GBH with intent and
#: endangering life.
MSV_CODES = ("1", "4.1", "4.2", "4.10", "2", "5D", "5E")
#: Residential burglary: burglary in a dwelling (to 2016/17) and residential burglary of a home or
#: an unconnected building (from April 2017).
RESIDENTIAL_BURGLARY_CODES = ("28A", "28B", "28E", "28F", "28G", "28H")
VAP = "Violence against the person"
HATE_FLAGS = ("hate_race", "hate_religion", "hate_sexual_orientation", "hate_disability",
              "hate_transgender")


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    definition: str
    table: str  # the table whose rows it counts (its data must be loaded)
    unit: str = "count"  # "count" or "rate"
    per: int = 1  # rates: per this many people


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
           "crimes"),
    Metric("violence_against_the_person", "Violence against the person",
           "Crimes in the ONS offence group Violence against the person.", "crimes"),
    Metric("domestic_violent_crime", "Domestic violent crime", "Violence against the person "
           "flagged as domestic abuse-related.", "crimes"),
    Metric("repeat_victims_5plus", "Repeat victims (5 or more crimes)", "People who were the "
           "victim of five or more crimes recorded in the period.", "victims"),
    Metric("hate_crime", "Hate crime", "Crimes flagged with at least one of the five monitored "
           "hate strands.", "crimes"),
    Metric("most_serious_violence", "Most serious violence", "Homicide, attempted murder, "
           "assault with intent to cause serious harm and endangering life.", "crimes"),
    Metric("residential_burglary", "Residential burglary", "Burglary of a home or of a building "
           "connected with one (ONS subgroup Residential burglary).", "crimes"),
    Metric("asb_incidents", "Anti-social behaviour incidents", "ASB incidents recorded by the "
           "police or the council.", "asb_incidents"),
    Metric("fte_rate", "First-time entrants rate", "Young people aged 10-17 receiving their first "
           "caution or court sentence, per 100,000 residents aged 10-17.", "youth_justice",
           unit="rate", per=100000),
)}


def _msv_codes() -> tuple[str, ...]:
    """The classification's "most_serious_violence" basket (configurable through
    SAFECITY_BASKETS_FILE), so the scorecard and the assessment count the same crimes."""
    from . import classification
    from .errors import ConfigError

    try:
        codes = classification.load().basket_definition("most_serious_violence").codes
    except ConfigError:
        return MSV_CODES
    return tuple(sorted(str(c) for c in codes)) or MSV_CODES


def _in(codes: tuple[str, ...]) -> str:
    return "(" + literal_list(codes) + ")"


def _crime_filter(key: str) -> str:
    """The WHERE clause (over alias c of crimes) that selects a crime metric's rows."""
    hate = " OR ".join(f"coalesce(c.{f}, false)" for f in HATE_FLAGS)
    return {
        "recorded_crime": "true",
        "violence_against_the_person": f"c.offence_group = '{VAP}'",
        "domestic_violent_crime": f"c.offence_group = '{VAP}' AND coalesce(c.domestic_abuse, false)",
        "hate_crime": f"({hate})",
        "most_serious_violence": f"c.offence_code IN {_in(_msv_codes())}",
        "residential_burglary": ("(c.offence_subgroup = 'Residential burglary' OR c.offence_code "
                                 f"IN {_in(RESIDENTIAL_BURGLARY_CODES)})"),
    }[key]


def _count_sql(key: str, area_clause: str) -> str:
    """SQL returning one count for $start..$end. ``area_clause`` filters an lsoa11_code column
    named ``lsoa``."""
    if key == "asb_incidents":
        return ("SELECT count(*) FROM asb_incidents a WHERE a.recorded_date BETWEEN $start AND $end"
                f" AND {area_clause.format(lsoa='a.lsoa11_code')}")
    if key == "repeat_victims_5plus":
        return ("SELECT count(*) FROM (SELECT v.person_key FROM victims v JOIN crimes c "
                "ON c.crime_ref = v.crime_ref WHERE c.recorded_date BETWEEN $start AND $end "
                "AND v.victim_type = 'person' AND v.person_key IS NOT NULL "
                f"AND {area_clause.format(lsoa='c.lsoa11_code')} "
                "GROUP BY v.person_key HAVING count(DISTINCT c.crime_ref) >= 5)")
    if key == "fte_rate":
        # A first-time entrant's first ever youth caution or court sentence falls in the period;
        # the whole warehouse history is searched for earlier ones (methods.md §3.3).
        return ("SELECT count(*) FROM (SELECT young_person_key, min(outcome_date) AS first "
                "FROM youth_justice WHERE outcome_type IN ('caution', 'conditional_caution', "
                "'court_sentence') AND coalesce(age_at_offence, 10) BETWEEN 10 AND 17 "
                "GROUP BY young_person_key) WHERE first BETWEEN $start AND $end")
    return ("SELECT count(*) FROM crimes c WHERE c.recorded_date BETWEEN $start AND $end AND "
            f"{_crime_filter(key)} AND {area_clause.format(lsoa='c.lsoa11_code')}")


def compute(metric: str, warehouse, period: Period, area: str | None = None) -> IndicatorValue:
    """Compute ``metric`` for ``period`` in ``area`` (default: the partnership's CSP) and compare
    it with the same period a year earlier.

    ``warehouse`` is a ``safecity.engine.warehouse.Warehouse``. A metric whose table has no data
    loaded returns ``value=None`` with a note saying which data is missing.
    """
    # Imported here: the stats modules are heavier than the registry the web app loads at start.
    from .periods import previous_year
    from .stats.change import classify_change, compare_counts

    try:
        spec = METRICS[metric]
    except KeyError:
        raise AssessmentError(f"There is no metric called {metric!r}; known metrics: "
                              f"{', '.join(sorted(METRICS))}.") from None
    area = area or settings.get("partnership_csp")
    if not warehouse.has_data(spec.table):
        return IndicatorValue(metric, period, area, None, None, None, None, False, "",
                              note=f"No {spec.table.replace('_', ' ')} data is loaded.")
    previous = previous_year(period)
    con = warehouse.connect(threads=1)
    try:
        note = ""
        if warehouse.has_data("geography"):
            area_clause = ("{lsoa} IN (SELECT lsoa11_code FROM geography WHERE csp_code = $area "
                           "OR lad_code = $area)")
        else:
            area_clause = "true"
            note = "No geography is loaded, so every row in the warehouse counts."
        sql = _count_sql(metric, area_clause)
        params = {"area": area} if "$area" in sql else {}

        def count(p: Period) -> int:
            return int(con.execute(sql, {**params, "start": p.start, "end": p.end}).fetchone()[0])

        current_count, previous_count = count(period), count(previous)
        exposure = 1.0
        if spec.unit == "rate":
            row = con.execute("SELECT sum(population_10_17) FROM geography WHERE csp_code = $area "
                              "OR lad_code = $area", {"area": area}).fetchone()
            exposure = float(row[0]) if row and row[0] else 0.0
    finally:
        con.close()
    if spec.unit == "rate" and exposure <= 0:
        return IndicatorValue(metric, period, area, None, None, None, None, False, "",
                              current_count, previous_count,
                              "No population aged 10-17 is loaded for the area, so no rate.")
    change = compare_counts(current_count, previous_count)
    if spec.unit == "rate":
        value, prev = current_count / exposure * spec.per, previous_count / exposure * spec.per
    else:
        value, prev = float(current_count), float(previous_count)
    return IndicatorValue(metric, period, area, value, prev, change.change_pct, change.p_value,
                          bool(change.significant), classify_change(change), current_count,
                          previous_count, note)
