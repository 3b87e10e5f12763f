"""Periods: financial years, months, rolling years and custom ranges."""

import datetime as dt

import pytest

from safecity.engine import periods
from safecity.engine.errors import AssessmentError


def test_financial_year_runs_from_april_to_march():
    fy = periods.financial_year("2019/20")
    assert (fy.label, fy.start, fy.end) == ("2019/20", dt.date(2019, 4, 1), dt.date(2020, 3, 31))


@pytest.mark.parametrize("label", ["2019-20", "2019/2020", " 2019 / 20 "])
def test_financial_year_accepts_other_common_spellings(label):
    assert periods.financial_year(label) == periods.financial_year("2019/20")


@pytest.mark.parametrize("label", ["2019/21", "2019", "19/20", "twenty", ""])
def test_a_bad_financial_year_gets_a_sentence_with_an_example(label):
    with pytest.raises(AssessmentError, match="for example 2019/20"):
        periods.financial_year(label)


def test_previous_year_of_a_financial_year_is_the_one_before():
    prev = periods.previous_year(periods.financial_year("2019/20"))
    assert prev == periods.financial_year("2018/19")


def test_previous_year_of_a_leap_february_ends_on_the_28th():
    prev = periods.same_period_last_year(periods.month("2020-02"))
    assert (prev.start, prev.end, prev.label) == (dt.date(2019, 2, 1), dt.date(2019, 2, 28), "Feb 2019")


def test_previous_year_of_a_whole_month_range_ending_in_february_ends_at_month_end():
    prev = periods.previous_year(periods.parse_custom_period("2018-10..2019-02"))
    assert (prev.start, prev.end) == (dt.date(2017, 10, 1), dt.date(2018, 2, 28))
    later = periods.previous_year(periods.parse_custom_period("2019-10..2020-02"))
    assert later.end == dt.date(2019, 2, 28)
    # a year before February 2021 is the leap February 2020, which ends on the 29th
    assert periods.previous_year(periods.month("2021-02")).end == dt.date(2020, 2, 29)


def test_custom_date_range_and_its_comparison_keep_their_days():
    custom = periods.parse_custom_period("2020-09-30..2020-11-30")
    assert (custom.start, custom.end, custom.label) == (
        dt.date(2020, 9, 30), dt.date(2020, 11, 30), "30 Sep – 30 Nov 2020")
    prev = periods.previous_year(custom)
    assert (prev.start, prev.end, prev.label) == (
        dt.date(2019, 9, 30), dt.date(2019, 11, 30), "30 Sep – 30 Nov 2019")


def test_custom_whole_months_cover_the_months_named():
    custom = periods.parse_custom_period("2018-10..2019-02")
    assert (custom.start, custom.end) == (dt.date(2018, 10, 1), dt.date(2019, 2, 28))
    assert custom.label == "Oct 2018 – Feb 2019"
    assert periods.months_in(custom) == ["2018-10", "2018-11", "2018-12", "2019-01", "2019-02"]


@pytest.mark.parametrize("text,words", [
    ("2020-09-30", "not a range"),
    ("2020-09-31..2020-11-30", "not a date"),
    ("2020-11-30..2020-09-30", "ends before it starts"),
    ("2020-13..2021-01", "not a month"),
    ("..2020-01", "not a range"),
])
def test_a_bad_custom_period_gets_a_sentence_with_an_example(text, words):
    with pytest.raises(AssessmentError, match=words) as err:
        periods.parse_custom_period(text)
    assert "for example" in str(err.value)


def test_rolling_12_months_ends_with_the_month_named():
    rolling = periods.rolling_12_months("2020-03")
    assert (rolling.start, rolling.end) == (dt.date(2019, 4, 1), dt.date(2020, 3, 31))
    assert len(periods.months_in(rolling)) == 12
    december = periods.rolling_12_months("2019-12")
    assert (december.start, december.end) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert periods.previous_year(rolling).label == "12 months to Mar 2019"


def test_month_is_the_whole_calendar_month():
    march = periods.month("2020-03")
    assert (march.start, march.end, march.label) == (dt.date(2020, 3, 1), dt.date(2020, 3, 31), "Mar 2020")
    with pytest.raises(AssessmentError, match="for example 2020-03"):
        periods.month("March 2020")


def test_months_in_a_part_month_range_counts_every_month_touched():
    custom = periods.parse_custom_period("2020-09-30..2020-11-01")
    assert periods.months_in(custom) == ["2020-09", "2020-10", "2020-11"]
    assert periods.days_in(custom) == 33
