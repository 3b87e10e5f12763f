"""One definition of each published figure: the rules every consumer counts with.

The assessment sections, the monthly pack and the scorecard indicators (``engine/indicators.py``,
which the web app's dashboards read through ``web/dashboards/services.py``) all count through
this module, so one figure cannot come out differently in two places. New figures (scorecard
metrics, monthly-pack measures, dashboards) are added here, never computed elsewhere.

It holds:

- **the area rule** (:data:`AREA_RULE`, :func:`in_area`): which rows belong to an area;
- **source precedence** (:data:`CRIME_SOURCES`, :data:`ASB_SOURCES`, :func:`preferred_source`):
  a police extract over data.police.uk, the partnership's ASB file over police.uk ASB;
- **offence selections** (:func:`label_is`, :data:`VAP`, …; labels compared case-insensitively)
  and classification **baskets** (:func:`basket_condition`);
- the **hate-crime source**, **repeat-victim bands** and the **first-time-entrant rule**;
- **drug offences** (:func:`drug_offences`), the **night-time economy** (:data:`NTE_RULE`,
  :func:`night_time_economy`) and **proven re-offending** (:func:`latest_matured_cohort`);
- **partner intelligence** submissions (:func:`intelligence_submissions`), from the web app's
  exported counts;
- **named figures** (:data:`FIGURES`, :func:`count`) counted over an assessment context for two
  of its periods, with their comparison (:func:`compare`).

Period arithmetic lives in ``engine/periods.py`` only.

>>> label_is("offence_group", "Violence against the person")
"lower(offence_group) = 'violence against the person'"
>>> preferred_source({"police-uk": 40, "police-extract": 3}, CRIME_SOURCES)
'police-extract'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from .contract import HATE_STRANDS
from .errors import AssessmentError
from .sql import literal, literal_list

if TYPE_CHECKING:  # the context imports this module's rules
    from .assessment.context import Context
    from .assessment.model import Period

# -- the area rule --------------------------------------------------------------------------

#: How rows are assigned to an area; quoted in the assessment's data-coverage notes and in
#: docs/metrics.md.
AREA_RULE = (
    "Crimes are assigned to the area by their LSOA code (a 2021 code is first mapped to its "
    "2011 LSOA, the geography of IMD 2019 and the mid-2019 populations; the data-coverage notes "
    "say which codes the files loaded use). A police extract's crimes with no "
    "LSOA are counted in the area when the area is the partnership's own CSP (setting "
    "partnership_csp), since an extract is supplied by the partnership for its own area; they are "
    "left out of every place-based table. data.police.uk rows with no LSOA cannot be attributed "
    "to a CSP and are not counted."
)

#: Sources whose rows without an LSOA still count for the partnership's own area, by table.
NO_LSOA_SOURCES = {"crimes": ("police-extract",), "asb_incidents": ("asb",),
                   "hate_reports": None}  # None: every source (hate reports are the partnership's)


def in_area(table: str, is_partnership: bool) -> str:
    """SQL condition: a row of ``table`` is in the area, whose LSOAs are in the temp table
    ``geo`` (the rows' ``lsoa11_code`` is one of them; rows with no LSOA follow
    :data:`NO_LSOA_SOURCES`, and only for the partnership's own area)."""
    inside = "lsoa11_code IN (SELECT lsoa11_code FROM geo)"
    if not is_partnership:
        return f"({inside})"
    sources = NO_LSOA_SOURCES[table]
    if sources is None:
        return f"({inside} OR lsoa11_code IS NULL)"
    return f"({inside} OR (lsoa11_code IS NULL AND source IN ({literal_list(sources)})))"


# -- source precedence ----------------------------------------------------------------------

#: Crime sources in order of precedence: record-level police extract first.
CRIME_SOURCES = ("police-extract", "police-uk")
#: ASB sources in order of precedence: the partnership's own ASB file first.
ASB_SOURCES = ("asb", "police-uk")


def preferred_source(rows_by_source: dict[str, int], order: tuple[str, ...]) -> str | None:
    """The first source in ``order`` with rows for the area and window; the rows of the others
    are left out so nothing is counted twice. None when no source has rows."""
    for source in order:
        if rows_by_source.get(source):
            return source
    return next((s for s, n in sorted(rows_by_source.items()) if n), None)


# -- offence selections -----------------------------------------------------------------------


def label_is(column: str, label: str) -> str:
    """SQL condition: ``column`` equals a classification label, whatever its case (an extract
    may spell "Violence Against the Person")."""
    return f"lower({column}) = {literal(label.lower())}"


VAP = label_is("offence_group", "Violence against the person")
SEXUAL = label_is("offence_group", "Sexual offences")
ROBBERY = label_is("offence_group", "Robbery")
RAPE = label_is("offence_subgroup", "Rape")
OTHER_SEXUAL = label_is("offence_subgroup", "Other sexual offences")
RESIDENTIAL_BURGLARY = label_is("offence_subgroup", "Residential burglary")
NON_RESIDENTIAL_BURGLARY = label_is("offence_subgroup", "Non-residential burglary")  # commercial

#: The crime types of hotspot maps, emerging hot spots and the commercial burglary watch:
#: key -> (label, context table, SQL condition, crimes columns the condition needs).
HOTSPOT_TYPES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "all_crime": ("All recorded crime", "c", "TRUE", ()),
    "residential_burglary": ("Residential burglary", "c", RESIDENTIAL_BURGLARY,
                             ("offence_subgroup",)),
    "commercial_burglary": ("Commercial (non-residential) burglary", "c",
                            NON_RESIDENTIAL_BURGLARY, ("offence_subgroup",)),
    "violence": ("Violence against the person", "c", VAP, ("offence_group",)),
    "robbery": ("Robbery", "c", ROBBERY, ("offence_group",)),
    "asb": ("Anti-social behaviour", "a", "TRUE", ()),
}
DOMESTIC = "coalesce(domestic_abuse, FALSE)"
ALCOHOL_AFFECTED = "coalesce(alcohol_related, FALSE)"
DRUG_AFFECTED = "coalesce(drug_related, FALSE)"


def in_codes(codes: tuple[str, ...]) -> str:
    """SQL condition 'offence_code IN (...)' (FALSE for an empty basket)."""
    if not codes:
        return "FALSE"
    return "offence_code IN (" + literal_list(codes) + ")"


def basket_condition(name: str, fields: dict[str, bool] | None = None) -> str | None:
    """SQL condition selecting the crimes of a classification basket, or None if undefined.

    A crime is in the basket if its code is one of the basket's codes (subgroups already
    expanded by the classification) or the basket's flag column (e.g. ``weapon_bladed``) is true
    and recorded (baskets.yaml).
    """
    from . import classification
    from .errors import ConfigError

    try:
        basket = classification.load().basket_definition(name)
    except ConfigError:
        return None
    parts = []
    codes = tuple(sorted(str(c) for c in basket.codes))
    # basket_fields names the columns read here; keep the two in step
    if codes:
        parts.append(in_codes(codes))
    flag = basket.flag
    if flag and (fields is None or fields.get(flag, False)):
        parts.append(f"coalesce({flag}, FALSE)")
    return "(" + " OR ".join(parts) + ")" if parts else None


def basket_fields(name: str, fields: dict[str, bool] | None = None) -> tuple[str, ...]:
    """The crimes columns :func:`basket_condition` selects on for basket ``name``."""
    from . import classification

    basket = classification.load().basket_definition(name)
    flag = basket.flag
    return ("offence_code",) + ((flag,) if flag and (fields is None or fields.get(flag, False))
                                else ())


# -- drug offences --------------------------------------------------------------------------


def drug_offences(fields: dict[str, bool]) -> tuple[str, str] | None:
    """(SQL condition, how it was chosen) for drug offences over crimes with ``fields``: the
    classification basket ``drug_offences`` when it is defined, else the ONS offence group
    "Drug offences"; with data.police.uk only, its category "Drugs" (the same offences:
    possession, trafficking and production). None when the crimes carry neither."""
    if fields.get("offence_code"):
        cond = basket_condition("drug_offences", fields)
        if cond:
            return cond, "classification basket 'drug_offences'"
        return label_is("offence_group", "Drug offences"), "ONS offence group 'Drug offences'"
    if fields.get("police_uk_category"):
        return "police_uk_category = 'Drugs'", "police.uk category 'Drugs'"
    return None


# -- night-time economy ---------------------------------------------------------------------

#: The night-time economy rule; quoted in docs/metrics.md and the assessment's notes.
NTE_RULE = (
    "Night-time economy crime: crimes the police flag as linked to the night-time economy "
    "(night_time_economy), and violence against the person committed (committed_from) on the "
    "nights of setting nte_nights between the hours of setting nte_hours (default Friday and "
    "Saturday nights, 20:00 to 05:59) in the LSOAs of setting nte_lsoas (default: the whole "
    "area). A crime is counted once whichever way it qualifies."
)
_DUCKDB_WEEKDAY = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}


def nte_hours_condition(nights: tuple[str, ...], hours: tuple[int, int]) -> str:
    """SQL condition: ``committed_from`` falls in the night-time economy's hours. A night
    spanning midnight belongs to the day it started: 02:00 on Saturday is Friday night.

    >>> print(nte_hours_condition(("fri",), (20, 6)).replace(" AND ", " AND\\n"))
    (dayofweek(committed_from - INTERVAL 6 HOUR) IN (5) AND
    (hour(committed_from) >= 20 OR hour(committed_from) < 6))
    """
    start, end = hours
    days = ", ".join(str(_DUCKDB_WEEKDAY[n]) for n in nights)
    if start > end:  # over midnight
        return (f"(dayofweek(committed_from - INTERVAL {end} HOUR) IN ({days}) AND "
                f"(hour(committed_from) >= {start} OR hour(committed_from) < {end}))")
    return (f"(dayofweek(committed_from) IN ({days}) AND hour(committed_from) >= {start} AND "
            f"hour(committed_from) < {end})")


def night_time_economy(fields: dict[str, bool]) -> str | None:
    """SQL condition selecting night-time economy crime (:data:`NTE_RULE`) over crimes with
    ``fields``; the flag alone when the times or offence groups are not recorded, the hours
    rule alone when the flag is not; None when neither can be applied."""
    from . import settings

    parts = []
    if fields.get("night_time_economy"):
        parts.append("coalesce(night_time_economy, FALSE)")
    if fields.get("committed_from") and fields.get("offence_group"):
        hours = nte_hours_condition(settings.get("nte_nights"), settings.get("nte_hours"))
        rule = f"{VAP} AND {hours}"
        lsoas = settings.get("nte_lsoas")
        if lsoas:
            rule += f" AND lsoa11_code IN ({literal_list(lsoas)})"
        parts.append(f"({rule})")
    return "(" + " OR ".join(parts) + ")" if parts else None


# -- hate crime -----------------------------------------------------------------------------



def hate_source(ctx: "Context") -> tuple[str, str, str] | None:
    """(table, column prefix, extra filter) of hate crime: the crimes' hate flags when they carry
    them, otherwise the hate reports that became crimes; None when neither is loaded."""
    if ctx.has(*(f"hate_{s}" for s in HATE_STRANDS)) or ctx.has("hate_race"):
        return "c", "hate_", "TRUE"
    if ctx.tables["h"]:
        return "h", "strand_", "coalesce(is_crime, FALSE)"
    return None


def hate_condition(prefix: str, extra: str, strand: str | None = None) -> str:
    """SQL condition: a hate crime of any of the five strands (or of one ``strand``)."""
    if strand is not None:
        return f"coalesce({prefix}{strand}, FALSE) AND {extra}"
    any_strand = "(" + " OR ".join(f"coalesce({prefix}{s}, FALSE)" for s in HATE_STRANDS) + ")"
    return f"{any_strand} AND {extra}"


# -- repeat victims -------------------------------------------------------------------------

#: Repeat victimisation bands: key, label, fewest crimes.
REPEAT_BANDS = (("1", "1 crime"), ("2", "2 crimes"), ("3-4", "3 to 4 crimes"),
                ("5+", "5 or more crimes"))
_BAND_SQL = ("CASE WHEN n = 1 THEN '1' WHEN n = 2 THEN '2' WHEN n <= 4 THEN '3-4' "
             "ELSE '5+' END")
#: An identified person victim (businesses, the state and unidentified victims are left out).
PERSON_VICTIM = "victim_type = 'person' AND person_key IS NOT NULL"


def victim_bands(ctx: "Context", flag: str) -> dict:
    """Person victims of period ``flag`` by the number of distinct crimes they suffered:
    {'bands': {band: (victims, crimes)}, 'victims', 'links', 'crimes_with', 'all_crimes'}."""
    bands = {b: (0, 0) for b, _ in REPEAT_BANDS}
    for band, victims, crimes in ctx.rows(
            f"WITH pv AS (SELECT person_key, count(DISTINCT crime_ref) AS n FROM v "
            f"WHERE {flag} AND {PERSON_VICTIM} GROUP BY 1) "
            f"SELECT {_BAND_SQL} AS band, count(*), sum(n) FROM pv GROUP BY 1"):
        bands[band] = (int(victims), int(crimes))
    crimes_with = ctx.scalar(
        f"SELECT count(DISTINCT crime_ref) FROM v WHERE {flag} AND {PERSON_VICTIM}")
    all_crimes = ctx.scalar(f"SELECT count(*) FROM c WHERE {flag}")
    return {"bands": bands, "victims": sum(v for v, _ in bands.values()),
            "links": sum(c for _, c in bands.values()), "crimes_with": crimes_with,
            "all_crimes": all_crimes}


# -- first-time entrants --------------------------------------------------------------------

#: Outcomes that bring a young person into the youth justice system (MoJ, methods.md §3.3).
YOUTH_OUTCOMES = "outcome_type IN ('caution', 'conditional_caution', 'court_sentence')"
#: The age that makes a first-time entrant "aged 10-17": the age on the date of that first
#: outcome, or the age at the offence when the outcome's age is not recorded.
FTE_AGE = "coalesce(age_at_outcome, age_at_offence)"


def first_time_entrants(ctx: "Context", flag: str) -> int:
    """Young people whose first youth caution, conditional caution or court sentence in the
    whole youth justice history falls in period ``flag`` of the context (only its months
    counted, when it is counted like for like), aged 10-17 on that outcome (:data:`FTE_AGE`).
    The months are the youth justice records' own (engine/coverage.py SOURCE_COVERAGE).
    """
    period = ctx.period_of(flag)
    months = ctx.months_used(flag, "youth_justice")
    only = ("" if months is None else
            f" AND strftime(d, '%Y-%m') IN ({literal_list(months)})" if months else " AND FALSE")
    return int(ctx.scalar(
        f"SELECT count(*) FROM ({first_entries()}) "
        f"WHERE d BETWEEN ? AND ? AND age BETWEEN 10 AND 17{only}",
        [period.start, period.end]))


def first_entries() -> str:
    """SQL: each young person's first counted outcome in the whole youth justice history
    (``young_person_key``, ``d`` its date, ``age`` by :data:`FTE_AGE`); a first-time entrant
    is one of these aged 10-17 whose ``d`` falls in the period."""
    return (f"SELECT young_person_key, min(outcome_date) AS d, "
            f"arg_min({FTE_AGE}, outcome_date) AS age FROM youth_justice "
            f"WHERE {YOUTH_OUTCOMES} GROUP BY 1")


# -- proven re-offending (youth) ------------------------------------------------------------

#: Months after the index date in which a re-offence must be committed, and by which it must be
#: proven (the 12-month follow-up plus a 6-month waiting period; MoJ, methods.md §3.2).
FOLLOW_UP_MONTHS, PROVEN_BY_MONTHS = 12, 18


def proven_reoffence(index: str, offence: str, outcome: str) -> str:
    """SQL condition: the offence dated ``offence`` with its counted outcome dated ``outcome``
    is a proven re-offence after the index date ``index`` (column expressions): committed
    within :data:`FOLLOW_UP_MONTHS` after it and proven within :data:`PROVEN_BY_MONTHS`.
    The quarterly cohorts here and the live tracker's monthly ones (engine/youth_tracker.py)
    both use it."""
    return (f"({offence} > {index} AND {offence} <= {index} + INTERVAL {FOLLOW_UP_MONTHS} "
            f"MONTH AND {outcome} <= {index} + INTERVAL {PROVEN_BY_MONTHS} MONTH)")


@dataclass(frozen=True)
class Cohort:
    """One quarterly re-offending cohort: the young people with a youth caution, conditional
    caution or court sentence in the quarter (index date: their first in it)."""

    quarter: "dt.date"  # first day of the index quarter
    size: int
    reoffenders: int
    reoffences: int
    matured: bool  # its follow-up ended 18 months before the last outcome in the data
    #: the index dates counted, when the quarter is cut by the dates asked for (None: whole)
    first: "dt.date | None" = None
    last: "dt.date | None" = None

    @property
    def end(self) -> "dt.date":
        from .periods import add_months

        return add_months(self.quarter, 3) - dt.timedelta(days=1)

    @property
    def span(self) -> "Period":
        """The index dates the cohort counts: its quarter, or the part of it asked for."""
        from .periods import label_for, Period

        start = max(self.quarter, self.first or self.quarter)
        stop = min(self.end, self.last or self.end)
        return Period(label_for(start, stop), start, stop)

    @property
    def label(self) -> str:
        """"Oct 2018 – Dec 2018" for a whole quarter, "6 Dec – 31 Dec 2018" for a cut one
        (periods.label_for, as every period is labelled)."""
        return self.span.label

    @property
    def binary_pct(self) -> float | None:
        """Re-offenders per 100 young people in the cohort, to one decimal place."""
        return round(100.0 * self.reoffenders / self.size, 1) if self.size else None


def reoffending_cohorts(ctx: "Context", start: "dt.date", end: "dt.date") -> list[Cohort]:
    """The quarterly cohorts whose index dates fall from ``start`` to ``end``, oldest first.

    A proven re-offence is an offence committed within :data:`FOLLOW_UP_MONTHS` after the index
    date and proven (its outcome date) within :data:`PROVEN_BY_MONTHS`; a cohort is *matured*
    when its quarter ended at least 18 months before the last outcome in the youth justice
    records (before that its rate can still rise).
    """
    from .periods import add_months

    data_end = ctx.scalar(f"SELECT max(outcome_date) FROM youth_justice WHERE {YOUTH_OUTCOMES}")
    rows = ctx.rows(
        f"WITH y AS (SELECT young_person_key AS k, offence_date AS od, outcome_date AS d "
        f"FROM youth_justice WHERE {YOUTH_OUTCOMES}), "
        f"idx AS (SELECT k, date_trunc('quarter', d) AS q, min(d) AS d0 FROM y "
        f"WHERE d BETWEEN ? AND ? GROUP BY 1, 2), "
        f"re AS (SELECT idx.k, idx.q, count(y.k) AS n FROM idx LEFT JOIN y ON y.k = idx.k "
        f"AND {proven_reoffence('idx.d0', 'y.od', 'y.d')} GROUP BY 1, 2) "
        f"SELECT q, count(*), count(*) FILTER (WHERE n > 0), sum(n) FROM re GROUP BY 1 "
        f"ORDER BY 1", [start, end])
    out = []
    for q, size, reoffenders, reoffences in rows:
        q = q.date() if isinstance(q, dt.datetime) else q
        cohort_end = add_months(q, 3) - dt.timedelta(days=1)
        matured = data_end is not None and add_months(cohort_end, PROVEN_BY_MONTHS) <= data_end
        out.append(Cohort(q, int(size), int(reoffenders), int(reoffences or 0), matured,
                          start if start > q else None, end if end < cohort_end else None))
    return out


def latest_matured_cohort(ctx: "Context", a: str = "in_cur", b: str = "in_prev"
                          ) -> tuple[Cohort | None, Cohort | None]:
    """Proven re-offending as published: the latest matured cohort whose index quarter lies
    from the start of period ``b`` to the end of period ``a``, and the cohort of the same quarter
    a year earlier (None when it has nobody or is not in the records)."""
    from .periods import add_months

    first, last = ctx.period_of(b) or ctx.period_of(a), ctx.period_of(a)
    matured = [c for c in reoffending_cohorts(ctx, first.start, last.end) if c.matured]
    if not matured:
        return None, None
    latest = matured[-1]
    year_before = add_months(latest.quarter, -12)
    earlier = reoffending_cohorts(ctx, year_before, add_months(year_before, 3)
                                  - dt.timedelta(days=1))
    return latest, (earlier[0] if earlier else None)


# -- figures from the monthly counts a purge keeps -------------------------------------------

#: The columns the monthly counts keep for each table, besides month, 2011 LSOA and the main
#: category (``engine/governance/purge.py`` writes them before it deletes records past their
#: retention). A figure that selects only on these can still be counted for purged months
#: (totals, offence groups and subgroups, classification baskets, flags, police.uk categories,
#: by area, month and year); a figure that needs the records (victims, suspects, times of day,
#: places below an LSOA, outcomes) cannot, and is not given for a period whose records were
#: purged. Crimes: the classification and every flag; ASB: the incident type.
AGGREGATE_FIELDS: dict[str, tuple[str, ...]] = {
    "crimes": ("offence_code", "offence_group", "offence_subgroup", "police_uk_category",
               "domestic_abuse", *(f"hate_{s}" for s in HATE_STRANDS), "alcohol_related",
               "drug_related", "weapon_bladed", "weapon_firearm", "weapon_other",
               "night_time_economy"),
    "asb_incidents": ("asb_type",),
}
#: Monthly counts written before AGGREGATE_FIELDS existed keep only the main category (offence
#: group, else police.uk category; ASB type): the columns they can still answer for.
COARSE_FIELDS: dict[str, tuple[str, ...]] = {
    "crimes": ("offence_group", "police_uk_category"),
    "asb_incidents": ("asb_type",),
}


@dataclass(frozen=True)
class YearCount:
    """One year of a long-run series: its count when every month is loaded (None otherwise)."""

    period: "Period"
    months: int  # months of the year loaded (records or monthly counts)
    count: int | None  # None unless all its months are loaded
    from_counts: tuple[str, ...]  # months counted from monthly counts (records purged)


#: The named figure each long-run series publishes for its current period.
YEARLY_FIGURE = {"c": "recorded_crime", "a": "asb_incidents"}


def _whole_months(period: "Period") -> set[str]:
    """The months ``period`` covers from their first day to their last."""
    from . import periods

    months = periods.months_in(period)
    out = set(months)
    if period.start.day != 1:
        out.discard(months[0])
    if period.end != periods.month(months[-1]).end:
        out.discard(months[-1])
    return out


def yearly_series(ctx: "Context", table: str = "c", years: int = 5) -> list[YearCount]:
    """The long-run series of all rows of ``table`` ("c" crimes, "a" ASB) for the area: the
    current period and up to ``years`` - 1 periods of the same dates a year apart before it
    (like for like, :func:`periods.previous_year`), oldest first, with the same area rule,
    source and exclusions as the context. The current period's count is the published figure
    (:func:`count` of :data:`YEARLY_FIGURE`), and is given only when the period is counted
    whole; an earlier year is counted over its own dates. A month whose records were purged is
    counted from the monthly counts the purge kept. A year not wholly loaded has no count (a
    part-year is never compared with whole ones); years before the first loaded month are left
    out.

    Raises :class:`FigureUnavailable` when a year's dates cut a month whose records were
    purged: the monthly counts kept are whole months, so that year cannot be counted over the
    same dates."""
    from . import periods
    from .assessment import aggregates

    name, source, rows_where, area_where = ctx.cache["rows_where"][table]
    if source is None:
        return []
    cov = ctx.cover_of("in_cur", None if table == "c" else table)
    spans = [cov.period if cov is not None else ctx.period]
    for _ in range(years - 1):
        spans.insert(0, periods.previous_year(spans[0]))
    window = {m for p in spans for m in periods.months_in(p)}
    counted, _ = aggregates.purged_counted(ctx.con, ctx.warehouse, name, source, area_where,
                                           window)
    cut = sorted({m for p in spans for m in periods.months_in(p)
                  if m in counted and m not in _whole_months(p)})
    if cut:
        raise FigureUnavailable(
            f"the records of {_span(cut)} were purged under retention and the monthly counts "
            f"kept for them are whole months, so the same dates as {spans[-1].label} cannot be "
            f"counted in earlier years")
    # a month is loaded when it has rows at all (any day), as for the period's coverage
    first_day = periods.month(min(window)).start
    last_day = periods.month(max(window)).end
    # The years' bounds as literals, not parameters: a warehouse read year by year then opens
    # only these years' files (``Warehouse._by_year``; a prepared plan cannot drop the others).
    years = f"recorded_date BETWEEN DATE '{first_day.isoformat()}' AND DATE " \
            f"'{last_day.isoformat()}'"
    loaded = dict(ctx.rows(
        f"SELECT strftime(recorded_date, '%Y-%m'), count(*) FROM {name} WHERE {rows_where} AND "
        f"{years} GROUP BY 1"))
    kept: dict[str, int] = {}
    if counted:
        kept = {month: int(n) for month, n in ctx.rows(
            f"SELECT month, sum(count) FROM monthly_counts WHERE table_name = ? AND "
            f"source = ? AND month IN ({literal_list(sorted(counted))}) AND {area_where} "
            f"GROUP BY 1", [name, source])}
        for month, n in kept.items():
            loaded[month] = loaded.get(month, 0) + n
    if not loaded:
        return []
    in_span = " , ".join(f"count(*) FILTER (WHERE recorded_date BETWEEN ? AND ?)"
                         for _ in spans)
    by_span = ctx.rows(f"SELECT {in_span} FROM {name} WHERE {rows_where} AND {years}",
                       [d for p in spans for d in (p.start, p.end)])[0]
    first = min(loaded)
    out = []
    for span, records in zip(spans, by_span):
        months = periods.months_in(span)
        if months[-1] < first:
            continue
        have = [m for m in months if loaded.get(m)]
        whole = len(have) == len(months)
        n = int(records) + sum(kept.get(m, 0) for m in months) if whole else None
        if span is spans[-1] and whole:  # the current period: the figure as published
            n = (count(ctx, YEARLY_FIGURE[table])[0]
                 if cov is None or cov.complete else None)
        out.append(YearCount(span, len(have), n, tuple(m for m in have if m in counted)))
    return out


def _span(months) -> str:
    from .coverage import span

    return span(months)


# -- partner intelligence -------------------------------------------------------------------

#: Columns partner intelligence submissions are counted by (the intelligence_counts table).
INTELLIGENCE_BY = {"theme": "theme", "source": "source_agency",
                   "ward": "coalesce(ward_name, 'Not given')"}


def intelligence_submissions(ctx: "Context", flag: str, by: str | None = None):
    """Partner intelligence (CPI) submissions in period ``flag``, counted over the months of
    the exported counts (engine/coverage.py SOURCE_COVERAGE "intelligence"); the partnership's
    own area only (the app's submissions are its own). With ``by`` (a key of
    :data:`INTELLIGENCE_BY`) a dict {group: submissions}, else the total."""
    period = ctx.period_of(flag)
    months = ctx.months_used(flag, "intelligence")
    only = ("" if months is None else
            f" AND month IN ({literal_list(months)})" if months else " AND FALSE")
    where = f"WHERE recorded_date BETWEEN ? AND ?{only}"
    params = [period.start, period.end]
    if by is None:
        return int(ctx.scalar(f"SELECT coalesce(sum(submissions), 0) FROM intelligence_counts "
                              f"{where}", params))
    column = INTELLIGENCE_BY[by]
    return {str(g): int(n) for g, n in ctx.rows(
        f"SELECT {column}, sum(submissions) FROM intelligence_counts {where} GROUP BY 1 "
        "ORDER BY 1", params)}


def _intelligence(ctx, a, b):
    _need(ctx.tables.get("intelligence", False),
          "no partner intelligence counts are loaded for this period" if ctx.area.is_partnership
          else "partner intelligence is counted only for the partnership's own area")
    cover = ctx.cover_of(b, "intelligence")
    return (intelligence_submissions(ctx, a),
            intelligence_submissions(ctx, b) if cover is not None and cover.used else None)


# -- comparison -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NoComparison:
    """Stands in for ``stats.change.Change`` when the comparison period has no data loaded."""

    current: int
    previous: None = None
    difference: None = None
    change_pct: None = None
    p_value: None = None
    significant: bool = False
    direction: str = "no change"
    small_numbers: bool = False
    rate_ratio: None = None
    rate_ratio_low: None = None
    rate_ratio_high: None = None
    test: str = "none (no comparison data)"


def compare(cur: int, prev: int | None):
    """The E-test comparison of two period counts (equal exposure: same-length periods);
    ``NoComparison`` when the comparison count is None (data not loaded)."""
    from . import settings

    if prev is None:
        return NoComparison(int(cur))
    return _compare_counts(int(cur), int(prev), settings.get("small_numbers_threshold"))


@lru_cache(maxsize=1024)
def _compare_counts(cur: int, prev: int, small_below: int):
    # A figure is compared several times (a total in the overview, its group table, the
    # narrative, the scorecard); each E-test and exact interval costs milliseconds. The result
    # is a frozen dataclass, so sharing it is safe; the threshold is in the key.
    from .stats.change import compare_counts

    return compare_counts(cur, prev, small_below=small_below)


# -- named figures --------------------------------------------------------------------------


class FigureUnavailable(AssessmentError):
    """The data a figure needs is not loaded; the message says which."""


NO_VICTIMS = ("data.police.uk files have no victim records (victims are only in a police "
              "record-level extract)")
NO_FLAGS = "data.police.uk files carry no domestic abuse, hate, alcohol, drug or weapon flags"
NO_CODES = ("data.police.uk files have no Home Office offence code, so ONS offence groups and "
            "subgroups cannot be derived")

Counter = Callable[["Context", str, str], tuple[int, "int | None"]]


def _need(ok: bool, reason: str) -> None:
    if not ok:
        raise FigureUnavailable(reason[0].upper() + reason[1:] + ("" if reason.endswith(".")
                                                                   else "."))


def kept(table: str, fields) -> tuple[str, ...] | None:
    """``fields`` when the monthly counts of ``table`` keep them all (the figure can be counted
    for months whose records were purged), else None (it needs the records)."""
    fields = tuple(fields)
    return fields if set(fields) <= set(AGGREGATE_FIELDS.get(table, ())) else None


class Selection:
    """A figure that is a count of rows of one context table matching one SQL condition:
    ``select(ctx)`` returns (table, condition, the columns it selects on when the monthly
    counts kept by a purge keep them all, else None) or raises :class:`FigureUnavailable`.
    Counting it for two periods (``FIGURES``), month by month or by sector and ward
    (:func:`series`) reads the same selection."""

    def __init__(self, select: Callable[["Context"], tuple[str, str, tuple | None]]) -> None:
        self.select = select

    def __call__(self, ctx: "Context", a: str, b: str) -> tuple[int, int | None]:
        table, where, fields = self.select(ctx)
        return ctx.pair(where, table=table, a=a, b=b, fields=fields)


def _crimes(where: str, *fields: str) -> Selection:
    def select(ctx):
        _need(ctx.counted("c"), "no crimes are loaded for this area and period")
        _need(ctx.has(*fields), NO_CODES if "offence_group" in fields or "offence_code" in fields
              else NO_FLAGS if ctx.is_open_data else
              f"the crimes do not record {', '.join(f.replace('_', ' ') for f in fields)}")
        return "c", where, kept("crimes", fields)
    return Selection(select)


def _basket_select(ctx, name: str) -> tuple[str, tuple[str, ...]]:
    """(condition, columns it selects on) of a classification basket."""
    _need(ctx.counted("c"), "no crimes are loaded for this area and period")
    _need(ctx.has("offence_code"), NO_CODES)
    cond = basket_condition(name, ctx.fields)
    _need(cond is not None, f"the classification defines no '{name}' basket")
    return cond, tuple(basket_fields(name, ctx.fields))


def _basket(name: str) -> Selection:
    def select(ctx):
        cond, cols = _basket_select(ctx, name)
        return "c", cond, kept("crimes", cols)
    return Selection(select)


#: Knife and weapon crime: the knife or bladed implement basket, the firearm basket, or a crime
#: flagged as involving another weapon (classification/baskets.yaml for the first two).
WEAPON_BASKETS = ("bladed_implement", "firearm")


def _weapons(ctx):
    parts, cols = [], []
    for name in WEAPON_BASKETS:
        cond, used = _basket_select(ctx, name)
        parts.append(cond)
        cols += used
    if ctx.fields.get("weapon_other", False):
        parts.append("coalesce(weapon_other, FALSE)")
        cols.append("weapon_other")
    return "c", "(" + " OR ".join(parts) + ")", kept("crimes", dict.fromkeys(cols))


def _asb_select(ctx):
    _need(ctx.counted("a"), "no ASB data is loaded for this area and period")
    return "a", "TRUE", ()


def _hate_select(strand: str | None = None):
    def select(ctx):
        src = hate_source(ctx)
        _need(src is not None, (NO_FLAGS + ", and no hate reports are loaded")
              if ctx.is_open_data
              else "the crimes carry no hate-crime flags and no hate reports are loaded")
        table, prefix, extra = src
        flags = (kept("crimes", (f"{prefix}{s}" for s in HATE_STRANDS)) if table == "c"
                 else None)
        return table, hate_condition(prefix, extra, strand), flags
    return select


_asb = Selection(_asb_select)
_hate = Selection(_hate_select())


def _repeat_5plus(ctx, a, b):
    _need(not ctx.is_open_data, NO_VICTIMS)
    _need(ctx.tables["v"], "no victim records are loaded for this area and period")
    cur = victim_bands(ctx, a)
    prev = victim_bands(ctx, b)
    return cur["bands"]["5+"][0], (prev["bands"]["5+"][0] if prev["victims"] else None)


def _fte(ctx, a, b):
    _needs_youth(ctx)
    has_b = ctx.cover_of(b, "youth_justice") is not None and bool(
        ctx.cover_of(b, "youth_justice").used)
    return first_time_entrants(ctx, a), (first_time_entrants(ctx, b) if has_b else None)


def _needs_youth(ctx) -> None:
    _need(ctx.tables["youth_justice"],
          "no youth justice records are loaded for this period" if ctx.area.is_partnership
          else "youth justice records carry no location; they are reported only for the "
          "partnership's own area")


def _substance(flag: str, what: str) -> Counter:
    def counter(ctx, a, b):
        _need(ctx.counted("c"), "no crimes are loaded for this area and period")
        _need(ctx.has(flag), NO_FLAGS if ctx.is_open_data else f"the crimes have no {what} flag")
        return ctx.pair(f"coalesce({flag}, FALSE)", a=a, b=b, fields=kept("crimes", (flag,)))
    return counter


def _drug_offences(ctx, a, b):
    _need(ctx.counted("c"), "no crimes are loaded for this area and period")
    rule = drug_offences(ctx.fields)
    _need(rule is not None, NO_CODES)
    # the columns each of drug_offences' rules selects on (all kept in the monthly counts)
    cols = (basket_fields("drug_offences", ctx.fields) if rule[1].startswith("classification")
            else ("offence_group",) if "offence group" in rule[1] else ("police_uk_category",))
    return ctx.pair(rule[0], a=a, b=b, fields=kept("crimes", cols))


def _nte_select(ctx):
    _need(ctx.tables["c"], "no crimes are loaded for this area and period")
    rule = night_time_economy(ctx.fields)
    _need(rule is not None, NO_FLAGS + ", times or offence codes" if ctx.is_open_data else
          "the crimes have no night-time economy flag, and no offence time or offence group")
    # the hours rule needs the times of the records; the flag alone is kept in monthly counts
    cols = ("night_time_economy",) + (("committed_from", "offence_group", "lsoa11_code")
                                      if ctx.has("committed_from", "offence_group") else ())
    return "c", rule, kept("crimes", cols)


_nte = Selection(_nte_select)


def _reoffenders(ctx, a, b):
    _needs_youth(ctx)
    latest, earlier = latest_matured_cohort(ctx, a, b)
    _need(latest is not None, "no re-offending cohort in these years has completed its "
          f"{PROVEN_BY_MONTHS}-month follow-up in the youth justice records loaded")
    return latest.reoffenders, (earlier.reoffenders if earlier else None)


def figure_base(ctx: "Context", name: str, a: str = "in_cur", b: str = "in_prev"
                ) -> tuple[int, int | None] | None:
    """The denominators of a figure that is a share (re-offenders of a cohort: the cohort
    sizes), for periods ``a`` and ``b``; None for a figure that is a plain count."""
    if name != "youth_reoffending":
        return None
    latest, earlier = latest_matured_cohort(ctx, a, b)
    return ((latest.size if latest else 0), (earlier.size if earlier else None))


def figure_source(ctx: "Context", name: str) -> str | None:
    """The source whose months figure ``name`` is counted over: a key of
    ``coverage.SOURCE_COVERAGE``, or None for crimes."""
    if name == "asb_incidents":
        return "a"
    if name == "first_time_entrants":
        return "youth_justice"
    if name == "partner_intelligence":
        return "intelligence"
    if name == "hate_crime" or name.startswith("hate_crime_"):
        src = hate_source(ctx)
        return "h" if src is not None and src[0] == "h" else None
    return PARTNER_FIGURES.get(name)


#: Named figures: key -> counter(ctx, flag a, flag b) -> (count in a, count in b or None when b
#: has no data loaded). Raises FigureUnavailable with the reason when the data is missing.
FIGURES: dict[str, Counter] = {
    "recorded_crime": _crimes("TRUE"),
    "violence_against_the_person": _crimes(VAP, "offence_group"),
    "domestic_abuse_crimes": _crimes(DOMESTIC, "domestic_abuse"),
    "domestic_violent_crime": _crimes(f"{DOMESTIC} AND {VAP}", "offence_group", "domestic_abuse"),
    "residential_burglary": _crimes(RESIDENTIAL_BURGLARY, "offence_subgroup"),
    "most_serious_violence": _basket("most_serious_violence"),
    "bladed_implement_offences": _basket("bladed_implement"),
    "hate_crime": _hate,
    "asb_incidents": _asb,
    "repeat_victims_5plus": _repeat_5plus,
    "first_time_entrants": _fte,
    "sexual_offences": _crimes(SEXUAL, "offence_group"),
    "drug_offences": _drug_offences,
    "alcohol_affected_crime": _substance("alcohol_related", "alcohol"),
    "drug_affected_crime": _substance("drug_related", "drug"),
    "night_time_economy_crime": _nte,
    # re-offenders in the latest matured cohort (figure_base: its size), and a year earlier
    "youth_reoffending": _reoffenders,
    "partner_intelligence": _intelligence,
    # the monthly pack's priorities (assessment/pack_priorities.py) and the violence dashboard
    "commercial_burglary": _crimes(NON_RESIDENTIAL_BURGLARY, "offence_subgroup"),
    "knife_weapon_crime": Selection(_weapons),
    "robbery": _crimes(ROBBERY, "offence_group"),
    **{f"hate_crime_{strand}": Selection(_hate_select(strand)) for strand in HATE_STRANDS},
}


def count(ctx: "Context", name: str, a: str = "in_cur", b: str = "in_prev"
          ) -> tuple[int, int | None]:
    """Figure ``name`` for periods ``a`` and ``b`` of the context (period flags such as
    ``in_cur``/``in_prev``): (count in a, count in b, None when b has no data loaded).

    Raises :class:`FigureUnavailable` with the reason when the data it needs is not loaded.
    """
    try:
        counter = FIGURES[name]
    except KeyError:
        raise AssessmentError(f"There is no figure called {name!r}; known figures: "
                              f"{', '.join(sorted(FIGURES))}.") from None
    return counter(ctx, a, b)


def selection(ctx: "Context", name: str) -> tuple[str, str, str]:
    """(table, SQL condition, count expression) to count figure ``name`` from when it is a
    count of rows (most are; repeat victims and first-time entrants are not): the context's
    records (``c``, ``a``, ``h``) and ``count(*)``, or, when months of the window rest on the
    monthly counts a purge kept and the figure selects only on columns they keep, that table of
    counts and ``sum(n)`` (as :meth:`Context.pair` counts). Raises :class:`FigureUnavailable`
    as :func:`count` does."""
    counter = FIGURES.get(name)
    if not isinstance(counter, Selection):
        raise AssessmentError(f"The figure {name!r} is not a count of rows of one table, so it "
                              "has no monthly series.")
    table, where, fields = counter.select(ctx)
    if fields is not None and table in ctx.aggregates:
        ctx.require_counts(table, "in_cur", fields)
        counted, n = ctx.counts(table, fields)
        return counted, where, n
    return table, where, "count(*)"


#: Places a series can be broken down by: the geography's columns (``geo`` temp table).
PLACES = {"sector": "Policing sector", "ward_name": "Ward"}
NOT_KNOWN_PLACE = "Not known (no LSOA)"


def series(ctx: "Context", name: str, flags: tuple[str, ...] = ("in_cur", "in_prev"),
           by: str | None = None) -> dict[str, dict[str, int]]:
    """Figure ``name`` month by month over the months of the periods ``flags``: {place or
    "all": {"YYYY-MM": count}}. ``by`` is a key of :data:`PLACES` (rows with no LSOA are
    "Not known (no LSOA)"). A month of the periods in which the figure's source has no data is
    left out (missing, not zero); a place with none in a loaded month has 0 there."""
    if by is not None and by not in PLACES:
        raise AssessmentError(f"A series cannot be broken down by {by!r}; known: "
                              f"{', '.join(PLACES)}.")
    table, where, n = selection(ctx, name)
    within = " OR ".join(flags)
    loaded = [m for (m,) in ctx.rows(f"SELECT DISTINCT month FROM {table} WHERE {within} "
                                     "ORDER BY 1")]
    place = "'all'" if by is None else f"coalesce(g.{by}, {literal(NOT_KNOWN_PLACE)})"
    rows = ctx.rows(f"SELECT {place}, t.month, {n} FROM (SELECT * FROM {table} WHERE "
                    f"({within}) AND {where}) t LEFT JOIN geo g ON g.lsoa11_code = t.lsoa11_code "
                    "GROUP BY 1, 2")
    out: dict[str, dict[str, int]] = {}
    if by is None:
        out["all"] = {m: 0 for m in loaded}
    else:
        for (p,) in ctx.rows(f"SELECT DISTINCT {by} FROM geo WHERE {by} IS NOT NULL ORDER BY 1"):
            out[p] = {m: 0 for m in loaded}
    for p, m, n in rows:
        out.setdefault(p, {mm: 0 for mm in loaded})[m] = int(n)
    return out


def people_by_age(ctx: "Context", name: str, role: str, flag: str = "in_cur",
                  where: str = "TRUE") -> dict[str, int]:
    """Victims (``role`` "v") or suspects ("s") of the crimes of figure ``name`` in period
    ``flag``, by the assessment's age band at the offence (``sections._common.AGE_BANDS``;
    "unknown" when not recorded): one per person and crime (a victim of two crimes counts
    twice). ``where`` narrows the crimes (e.g. to a sector's LSOAs)."""
    return {band: n for (band,), n in _people(ctx, name, role, flag, where, ()).items()}


def people_by_age_by_month(ctx: "Context", name: str, role: str, flag: str = "in_cur",
                           by: str = "sector") -> dict[tuple[str, str, str], int]:
    """:func:`people_by_age` for every month of the crimes and place ``by`` (a key of
    :data:`PLACES`, as :func:`series` places them: no LSOA or none in a place is
    "Not known (no LSOA)"): {(place, "YYYY-MM", band): people}, in one scan."""
    if by not in PLACES:
        raise AssessmentError(f"People cannot be broken down by {by!r}; known: "
                              f"{', '.join(PLACES)}.")
    place = (f"coalesce((SELECT g.{by} FROM geo g WHERE g.lsoa11_code = {{role}}.lsoa11_code "
             f"LIMIT 1), {literal(NOT_KNOWN_PLACE)})")
    return _people(ctx, name, role, flag, "TRUE", (place, "month"))


def _people(ctx: "Context", name: str, role: str, flag: str, where: str,
            groups: tuple[str, ...]) -> dict[tuple, int]:
    from .assessment.sections._common import AGE_BAND_SQL

    counter = FIGURES.get(name)
    if not isinstance(counter, Selection):
        raise AssessmentError(f"The figure {name!r} is not a count of crimes.")
    table, cond, _ = counter.select(ctx)  # victims and suspects are records, never counts
    if table != "c":
        raise AssessmentError(f"The figure {name!r} is not a count of crimes.")
    if role not in ("v", "s"):
        raise AssessmentError(f"People are victims ('v') or suspects ('s'), not {role!r}.")
    _need(not ctx.is_open_data, NO_VICTIMS)
    cols = [g.format(role=role) for g in groups]
    select = ", ".join(cols + [AGE_BAND_SQL])
    by = ", ".join(str(i + 1) for i in range(len(cols) + 1))
    return {(*row[:-2], row[-2] or "unknown"): int(row[-1]) for row in ctx.rows(
        f"SELECT {select}, count(*) FROM {role} WHERE {flag} AND {cond} AND {where} "
        f"GROUP BY {by}")}

# -- partner sources (engine/partners.py) ---------------------------------------------------


def partner_in_area(located: bool, is_partnership: bool) -> str | None:
    """SQL condition: a partner row is in the area (the temp table ``geo``). Rows with an LSOA
    count where their LSOA is; rows with none (and every row of a partner whose rows carry no
    location: children's services, treatment) only for the partnership's own area, since the
    partner supplied them for it. None: the partner's rows cannot be placed in this area."""
    inside = "lsoa11_code IN (SELECT lsoa11_code FROM geo)"
    if not located:
        return "TRUE" if is_partnership else None
    return f"({inside} OR lsoa11_code IS NULL)" if is_partnership else f"({inside})"


def _partner_table(ctx: "Context", kind: str) -> tuple[str, str]:
    loaded = ctx.cache.get("partner_tables", {}).get(kind)
    _need(loaded is not None, f"no {kind} data is loaded for this area and period")
    return loaded


def _return_measures(ctx: "Context", kind: str, key: str, table: str) -> tuple[str, ...]:
    """The return measures that give ``key``: itself, or when the returns carry no rows of a
    total (partners.PartnerSource.totals) its parts."""
    from .partners import by_kind

    present = {m for (m,) in ctx.rows(f"SELECT DISTINCT measure FROM {table}")}
    if key in present:
        return (key,)
    for total, parts in by_kind(kind).totals:
        if total == key and all(p in present for p in parts):
            return tuple(parts)
    return (key,)


def partner_pair(ctx: "Context", kind: str, measure: str, a: str = "in_cur",
                 b: str = "in_prev") -> tuple[int, int | None]:
    """A partner measure (``engine/partners.py``) in periods ``a`` and ``b``, over the partner's
    own months (coverage per source, like ASB): from its record-level rows when loaded, else
    from its quarterly returns, which count only in periods of whole calendar quarters (else
    FigureUnavailable says so). The second count is None when ``b`` has no month loaded."""
    from .partners import by_kind

    table, shape = _partner_table(ctx, kind)
    spec = by_kind(kind)
    m = spec.measure(measure)
    cov_a, cov_b = ctx.cover_of(a, kind), ctx.cover_of(b, kind)
    if shape == "returns":
        _need(cov_a is not None, f"{kind} data is loaded as quarterly returns, which cannot be "
              f"counted for {ctx.period_of(a).label}: it is not made of whole calendar quarters")
        keys = _return_measures(ctx, kind, measure, table)
        cur, prev = ctx.con.execute(
            f"SELECT coalesce(sum(count) FILTER (WHERE {a}), 0), "
            f"coalesce(sum(count) FILTER (WHERE {b}), 0) FROM {table} "
            f"WHERE measure IN ({literal_list(keys)})").fetchall()[0]
    else:
        # a period with none of the partner's months loaded has no count, not a count of 0
        # (a monthly pack's month, or a year loaded only on the comparison side)
        _need(cov_a is not None and bool(cov_a.used), f"no {kind} data is loaded for "
              f"{ctx.period_of(a).label if ctx.period_of(a) else 'the period'}")
        cur, prev = ctx.con.execute(
            f"SELECT count(*) FILTER (WHERE {a}), count(*) FILTER (WHERE {b}) FROM {table} "
            f"WHERE {m.where}").fetchall()[0]
    has_b = cov_b is not None and bool(cov_b.used)
    return int(cur or 0), (int(prev or 0) if has_b else None)


def partner_grouped(ctx: "Context", kind: str, measure: str, expr: str, flag: str = "in_cur"
                    ) -> list[tuple[object, int]]:
    """[(group, count)] of a partner measure's record-level rows in period ``flag`` by the SQL
    expression ``expr`` (FigureUnavailable when only quarterly returns are loaded)."""
    from .partners import by_kind

    table, shape = _partner_table(ctx, kind)
    _need(shape == "records", f"{kind} data is loaded as quarterly returns, which carry no "
          "breakdown")
    where = by_kind(kind).measure(measure).where
    return [(g, int(n)) for g, n in ctx.rows(
        f"SELECT {expr} AS g, count(*) FROM {table} WHERE {flag} AND {where} "
        "GROUP BY 1 ORDER BY 1 NULLS LAST")]


def _partner_counter(kind: str, key: str) -> Counter:
    def counter(ctx, a, b):
        return partner_pair(ctx, kind, key, a, b)
    return counter


def _register_partner_figures() -> None:
    from .partners import SOURCES

    for spec in SOURCES:
        for m in spec.measures:
            FIGURES[m.key] = _partner_counter(spec.kind, m.key)
            PARTNER_FIGURES[m.key] = spec.kind


#: Partner measure key -> partner kind (its figures are counted over the partner's own months).
PARTNER_FIGURES: dict[str, str] = {}
_register_partner_figures()


# -- serious violence (the Serious Violence Duty needs assessment) ---------------------------


def serious_violence_condition(ctx: "Context") -> str:
    """SQL condition of the partnership's local definition of serious violence: the
    classification basket ``serious_violence`` (configurable: setting baskets_file)."""
    _need(ctx.tables["c"], "no crimes are loaded for this area and period")
    _need(ctx.has("offence_code"), NO_CODES)
    cond = basket_condition("serious_violence", ctx.fields)
    _need(cond is not None, "the classification defines no 'serious_violence' basket")
    return cond


def _sv(extra: str | None = None, *fields: str) -> Counter:
    def counter(ctx, a, b):
        cond = serious_violence_condition(ctx)
        _need(ctx.has(*fields), f"the crimes do not record "
              f"{', '.join(f.replace('_', ' ') for f in fields)}")
        return ctx.pair(cond if extra is None else f"{cond} AND {extra}", a=a, b=b)
    return counter


FIGURES.update({
    "serious_violence": _sv(),
    # Public space: the extract records no place type, so serious violence not flagged as
    # domestic abuse stands for violence in public (stated wherever it is shown).
    "public_space_serious_violence": _sv(f"NOT {DOMESTIC}", "domestic_abuse"),
    "possession_of_weapons": _crimes(label_is("offence_group", "Possession of weapons offences"),
                                     "offence_group"),
    "firearm_crimes": _crimes("coalesce(weapon_firearm, FALSE)", "weapon_firearm"),
    "other_weapon_crimes": _crimes("coalesce(weapon_other, FALSE)", "weapon_other"),
})
