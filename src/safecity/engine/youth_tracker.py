"""The live youth re-offending tracker: children by pseudonymised key, monthly cohorts maturing
under the proven re-offending rules, who re-offended this month, and first-time entrants.

The rules are the engine's single definitions (``figures``): an outcome that counts is a youth
caution, conditional caution or court sentence (:data:`figures.YOUTH_OUTCOMES`); a proven
re-offence is one committed within the 12-month follow-up after the index date and proven
within a further 6-month waiting period (:func:`figures.proven_reoffence`); a first-time entrant
follows :func:`figures.first_entries`. A monthly cohort is the children with a counted outcome
in the month, each with the index date of their first such outcome in it (MoJ proven
re-offending, research/methods.md §3.2, with months in place of quarters). A cohort is
*maturing* until 18 months after its month ends (as of the tracker's month); its rates can
still rise.

This is an operational list for the youth justice service, shown only to the youth-justice role
and administrators and audited on every view (web/youth); it names children by key, so it is
never published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from . import figures, periods

COHORT_MONTHS = 24  # monthly cohorts shown, ending with the tracker's month


@dataclass(frozen=True)
class Offence:
    offence_date: dt.date | None
    outcome_date: dt.date | None
    outcome_type: str
    offence_code: str | None

    @property
    def outcome_label(self) -> str:
        return self.outcome_type.replace("_", " ")


@dataclass(frozen=True)
class Child:
    key: str  # the pseudonymised key (keyed hash) from the warehouse
    cohort: str  # "YYYY-MM": their earliest cohort among those shown
    index_date: dt.date
    reoffences: int  # proven re-offences against that index date, as of the tracker's month
    last_proven_offence: dt.date | None
    days_since_last_proven: int | None
    reoffended_this_month: bool
    offences: tuple[Offence, ...]


@dataclass(frozen=True)
class Cohort:
    month: str
    children: int
    reoffenders: int
    reoffences: int
    binary_rate: float | None  # % of the cohort with a proven re-offence
    frequency: float | None  # re-offences per child in the cohort
    per_reoffender: float | None
    matures_on: dt.date  # 18 months after the month ends
    final: bool


@dataclass(frozen=True)
class FirstEntrants:
    month: str
    count: int
    rate_per_100k: float | None  # the month's entrants per 100,000 residents aged 10-17


@dataclass(frozen=True)
class NationalComparison:
    """The 12 months' first-time entrant rate beside a national table (``engine.national``:
    the same comparison and sentence as the assessment's)."""
    year: str  # the financial year compared: the one holding most of the 12 months
    comparison: object | None  # national.Comparison; None: nothing to compare (``text`` says)
    text: str


@dataclass(frozen=True)
class YouthTracker:
    month: str
    as_of: dt.date
    children: tuple[Child, ...]
    cohorts: tuple[Cohort, ...]
    reoffended_this_month: tuple[str, ...]
    first_entrants: tuple[FirstEntrants, ...]
    first_entrants_12_months: int
    rate_12_months_per_100k: float | None
    population_10_17: int | None
    national: NationalComparison | None = None  # None: no national table is loaded


def youth_tracker(con: duckdb.DuckDBPyConnection, month: str, *,
                  population_10_17: int | None = None,
                  cohort_months: int = COHORT_MONTHS,
                  national_rows: list | None = None) -> YouthTracker:
    """The tracker as of the end of ``month`` ("YYYY-MM") from the ``youth_justice`` table of
    ``con``; records whose outcome came after the month are not yet known and left out.
    ``national_rows`` (``national.load``): the 12 months' first-time entrant rate is compared
    with the national value and the areas' quartiles, as the assessment compares its own."""
    the_month = periods.month(month)
    as_of = the_month.end
    first = periods.month(periods.shift_month(month, -(cohort_months - 1))).start
    counted = f"{figures.YOUTH_OUTCOMES} AND outcome_date <= ?"
    known = [as_of]
    con.execute("CREATE OR REPLACE TEMP TABLE yt AS SELECT young_person_key AS k, "
                "offence_date AS od, outcome_date AS d, outcome_type, offence_code "
                f"FROM youth_justice WHERE {counted}", known)
    # index dates: each child's first counted outcome in each cohort month
    con.execute("CREATE OR REPLACE TEMP TABLE yt_idx AS SELECT k, strftime(d, '%Y-%m') AS m, "
                "min(d) AS d0 FROM yt WHERE d >= ? GROUP BY 1, 2", [first])
    proven = figures.proven_reoffence("i.d0", "y.od", "y.d")
    per_cohort = con.execute(
        f"SELECT i.k, i.m, i.d0, count(y.k) FROM yt_idx i LEFT JOIN yt y ON y.k = i.k AND "
        f"{proven} GROUP BY 1, 2, 3").fetchall()
    cohorts = []
    by_month: dict[str, list[tuple[str, dt.date, int]]] = {}
    for k, m, d0, n in per_cohort:
        by_month.setdefault(m, []).append((k, d0, int(n)))
    for i in range(cohort_months):
        m = periods.shift_month(month, -(cohort_months - 1) + i)
        rows = by_month.get(m, [])
        size = len(rows)
        re = sum(1 for _, _, n in rows if n)
        total = sum(n for _, _, n in rows)
        matures = periods.add_months(periods.month(m).end, figures.PROVEN_BY_MONTHS)
        cohorts.append(Cohort(
            month=m, children=size, reoffenders=re, reoffences=total,
            binary_rate=round(100.0 * re / size, 1) if size else None,
            frequency=round(total / size, 2) if size else None,
            per_reoffender=round(total / re, 2) if re else None,
            matures_on=matures, final=matures <= as_of))
    # who re-offended this month: a counted outcome this month (the month it became proven)
    # for an offence that is a proven re-offence against one of the child's earlier index dates
    this_month = {k for (k,) in con.execute(
        f"SELECT DISTINCT y.k FROM yt y JOIN (SELECT k, d AS d0 FROM yt) i ON i.k = y.k "
        f"AND {proven} WHERE y.d BETWEEN ? AND ?",
        [the_month.start, the_month.end]).fetchall()}
    earliest: dict[str, tuple[str, dt.date, int]] = {}
    for k, m, d0, n in sorted(per_cohort, key=lambda r: (r[0], r[2])):
        earliest.setdefault(k, (m, d0, int(n)))
    records: dict[str, list[Offence]] = {}
    for k, od, d, kind, code in con.execute(
            "SELECT young_person_key, offence_date, outcome_date, outcome_type, offence_code "
            "FROM youth_justice WHERE outcome_date <= ? AND young_person_key IN "
            "(SELECT k FROM yt_idx) ORDER BY 1, 3, 2", known).fetchall():
        records.setdefault(k, []).append(Offence(od, d, kind, code))
    last = dict(con.execute("SELECT k, max(od) FROM yt GROUP BY 1").fetchall())
    children = []
    for k, (m, d0, n) in earliest.items():
        lp = last.get(k)
        children.append(Child(key=k, cohort=m, index_date=d0, reoffences=n,
                              last_proven_offence=lp,
                              days_since_last_proven=(as_of - lp).days if lp else None,
                              reoffended_this_month=k in this_month,
                              offences=tuple(records.get(k, ()))))
    children.sort(key=lambda c: (not c.reoffended_this_month, -c.reoffences,
                                 c.days_since_last_proven or 0, c.key))
    fte_rows = dict(con.execute(
        f"SELECT strftime(d, '%Y-%m'), count(*) FROM ({figures.first_entries()}) "
        "WHERE age BETWEEN 10 AND 17 AND d BETWEEN ? AND ? GROUP BY 1",
        [periods.month(periods.shift_month(month, -11)).start, as_of]).fetchall())
    fte = tuple(FirstEntrants(m, int(fte_rows.get(m, 0)), _rate(fte_rows.get(m, 0),
                                                                  population_10_17))
                for m in (periods.shift_month(month, -i) for i in range(11, -1, -1)))
    year = sum(f.count for f in fte)
    rate = _rate(year, population_10_17)
    return YouthTracker(month=month, as_of=as_of, children=tuple(children),
                        cohorts=tuple(cohorts),
                        reoffended_this_month=tuple(sorted(this_month)),
                        first_entrants=fte, first_entrants_12_months=year,
                        rate_12_months_per_100k=rate,
                        population_10_17=population_10_17,
                        national=None if national_rows is None else
                        compare_nationally(national_rows, month, rate))


def compare_nationally(rows: list, month: str, rate: float | None) -> NationalComparison:
    """The first-time entrant rate of the 12 months to ``month`` against the national table's
    financial year holding most of them (``national.compare``: the assessment's comparison)."""
    from . import national

    fy = periods.financial_year_of(periods.shift_month(month, -5)).label
    if rate is None:
        return NationalComparison(fy, None, "The rate is not known (no population aged 10-17 "
                                  "for the area), so it is not compared with the national "
                                  "table.")
    found = national.compare(rows, "fte_rate_per_100k", fy, rate)
    if found is None:
        return NationalComparison(fy, None, "The national tables loaded have no first-time "
                                  "entrant rate (measure fte_rate_per_100k), so the rate is "
                                  "not compared.")
    return NationalComparison(fy, found, national.sentence(found, fy))


def _rate(count: int, population: int | None) -> float | None:
    return round(100000.0 * count / population, 1) if population else None
