"""Golden tests of the live youth re-offending tracker on a worked cohort example.

The January 2019 cohort (as of December 2020, so it has matured: 31 Jan 2019 + 18 months =
31 Jul 2020):

- A: caution 10 Jan 2019 (index). Re-offends 1 Mar 2019 (court sentence 1 May 2019) and
  15 Nov 2019 (court sentence 1 Jun 2020, inside index + 18 months = 10 Jul 2020): 2.
- B: court sentence 20 Jan 2019. Next offence 1 Feb 2020, after index + 12 months
  (20 Jan 2020): not a re-offence. 0.
- C: conditional caution 5 Jan 2019. Offence 1 Jun 2019 proven 1 Aug 2020, after
  index + 18 months (5 Jul 2020): not proven in time. Offence 1 Feb 2019 with outcome 'other'
  (not a caution or sentence): not counted. 0.
- D: caution 31 Jan 2019. Re-offends 10 Feb 2019 (caution 1 Apr 2019): 1.

Expected: 4 children, 2 re-offenders, 3 re-offences: binary rate 50.0 %, frequency 0.75
re-offences per child, 1.5 per re-offender. D's re-offence also puts D in the April 2019
cohort, and B's later sentence in the February 2020 cohort.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from safecity.engine.youth_tracker import youth_tracker

D = dt.date
RECORDS = [  # key, age at offence, offence date, outcome date, outcome type
    ("A", 15, D(2018, 12, 20), D(2019, 1, 10), "caution"),
    ("A", 15, D(2019, 3, 1), D(2019, 5, 1), "court_sentence"),
    ("A", 16, D(2019, 11, 15), D(2020, 6, 1), "court_sentence"),
    ("B", 16, D(2018, 12, 1), D(2019, 1, 20), "court_sentence"),
    ("B", 17, D(2020, 2, 1), D(2020, 2, 20), "court_sentence"),
    ("C", 14, D(2018, 11, 1), D(2019, 1, 5), "conditional_caution"),
    ("C", 14, D(2019, 2, 1), D(2019, 3, 1), "other"),
    ("C", 15, D(2019, 6, 1), D(2020, 8, 1), "court_sentence"),
    ("D", 12, D(2019, 1, 2), D(2019, 1, 31), "caution"),
    ("D", 12, D(2019, 2, 10), D(2019, 4, 1), "caution"),
]


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute("CREATE TABLE youth_justice (young_person_key VARCHAR, age_at_offence INTEGER, "
              "age_at_outcome INTEGER, offence_date DATE, outcome_date DATE, month VARCHAR, "
              "outcome_type VARCHAR, offence_code VARCHAR)")
    for k, age, od, d, kind in RECORDS:
        c.execute("INSERT INTO youth_justice VALUES (?, ?, NULL, ?, ?, ?, ?, '8N')",
                  [k, age, od, d, f"{d:%Y-%m}", kind])
    return c


def test_the_worked_cohort_has_the_stated_binary_rate_and_frequency(con):
    t = youth_tracker(con, "2020-12", population_10_17=20000)
    jan = next(c for c in t.cohorts if c.month == "2019-01")
    assert (jan.children, jan.reoffenders, jan.reoffences) == (4, 2, 3)
    assert jan.binary_rate == 50.0
    assert jan.frequency == 0.75
    assert jan.per_reoffender == 1.5
    assert jan.final and jan.matures_on == D(2020, 7, 31)
    children = {c.key: c for c in t.children}
    assert {k: children[k].reoffences for k in "ABCD"} == {"A": 2, "B": 0, "C": 0, "D": 1}
    assert children["D"].cohort == "2019-01"  # the earliest cohort shown
    assert children["C"].last_proven_offence == D(2019, 6, 1)
    assert children["C"].days_since_last_proven == (D(2020, 12, 31) - D(2019, 6, 1)).days


def test_a_cohort_is_maturing_until_18_months_after_its_month(con):
    t = youth_tracker(con, "2020-06")
    jan = next(c for c in t.cohorts if c.month == "2019-01")
    assert not jan.final
    # as of June 2020, A's court sentence of 1 Jun 2020 is known; C's of Aug 2020 is not
    assert jan.reoffences == 3
    t = youth_tracker(con, "2020-05")
    jan = next(c for c in t.cohorts if c.month == "2019-01")
    assert jan.reoffences == 2  # A's second re-offence is not yet proven


def test_who_reoffended_this_month(con):
    # A re-offence shows in the month it is proven (its outcome): D's offence of 10 Feb 2019
    # in April 2019 (caution 1 Apr), A's of 1 Mar 2019 in May 2019 and of 15 Nov 2019 in June
    # 2020; B's sentence of 20 Feb 2020 is for an offence beyond 12 months of B's index date.
    assert youth_tracker(con, "2019-02").reoffended_this_month == ()
    assert youth_tracker(con, "2019-04").reoffended_this_month == ("D",)
    assert youth_tracker(con, "2019-05").reoffended_this_month == ("A",)
    assert youth_tracker(con, "2020-06").reoffended_this_month == ("A",)
    assert youth_tracker(con, "2020-02").reoffended_this_month == ()
    first = youth_tracker(con, "2019-04").children[0]
    assert first.key == "D" and first.reoffended_this_month  # listed first


def test_first_time_entrants_per_month_and_rate(con):
    t = youth_tracker(con, "2019-12", population_10_17=20000)
    by_month = {f.month: f.count for f in t.first_entrants}
    assert by_month["2019-01"] == 4 and sum(by_month.values()) == 4
    assert t.first_entrants_12_months == 4
    assert t.rate_12_months_per_100k == 20.0
    jan = next(f for f in t.first_entrants if f.month == "2019-01")
    assert jan.rate_per_100k == 20.0


def test_the_national_comparison_is_the_assessments_for_the_year_holding_most_months():
    from pathlib import Path

    from safecity.engine import national
    from safecity.engine.youth_tracker import compare_nationally

    rows = national.read(Path(__file__).parent / "national_files" / "fte_example.csv")
    # 12 months to Aug 2019: 7 in 2018/19, 5 in 2019/20 -> 2018/19 (England 207, no areas)
    aug = compare_nationally(rows, "2019-08", 150.0)
    assert aug.year == "2018/19" and aug.comparison.national == 207.0
    assert aug.comparison.quartile is None
    # 12 months to Sep 2019: 6 and 6 -> the later year, 2019/20 (Q1 142.5, Q2 170)
    sep = compare_nationally(rows, "2019-09", 150.0)
    assert sep.year == "2019/20" and sep.comparison.quartile == 2
    assert sep.text == national.sentence(national.compare(rows, "fte_rate_per_100k",
                                                          "2019/20", 150.0), "2019/20")
    assert compare_nationally(rows, "2019-09", None).comparison is None
    assert "no first-time entrant rate" in compare_nationally(
        [r for r in rows if r.measure != "fte_rate_per_100k"], "2019-09", 1.0).text
