"""Trends: Lucas's CUSUM reference value (methods.md s. 8), c-chart limits and pack exceptions."""

import math

import pytest
from scipy import stats

from safecity.engine.errors import AssessmentError
from safecity.engine.stats import trends


def test_poisson_cusum_reference_value_matches_the_lucas_anchor():
    assert round(trends.poisson_cusum_k(10, 15), 2) == 12.33


def test_cusum_follows_the_recursion_worked_by_hand():
    # k = 12: 14 -> 2, 15 -> 5, 9 -> 2, 20 -> 10 (signal at h = 10), 12 -> 10 (signal)
    run = trends.cusum([14, 15, 9, 20, 12, 0], mu0=10, k=12, h=10)
    assert run.values == (2, 5, 2, 10, 10, 0)
    assert run.signals == (3, 4) and run.first_signal == 3
    reset = trends.cusum([14, 15, 9, 20, 12, 0], mu0=10, k=12, h=10, reset=True)
    assert reset.values == (2, 5, 2, 10, 0, 0) and reset.signals == (3,)


def test_cusum_stays_quiet_in_control():
    run = trends.cusum([10, 9, 11, 10, 12, 8, 10], mu0=10, k=trends.poisson_cusum_k(10, 15), h=5)
    assert run.first_signal is None and max(run.values) == 0


def test_c_chart_limits_are_three_sigma_for_large_means():
    lim = trends.c_chart_limits(400)
    assert (lim.low, lim.high) == (340.0, 460.0)
    assert trends.c_chart_limits(25, sigma=2).low == 15.0


@pytest.mark.parametrize("mean", [0.5, 3, 8.2, 19.9])
def test_small_mean_limits_are_exact_poisson_quantiles(mean):
    tail = stats.norm.sf(3)
    lim = trends.c_chart_limits(mean)

    def cdf(k):  # pure Python Poisson cdf, independent of scipy.stats.poisson
        return sum(math.exp(-mean) * mean**j / math.factorial(j) for j in range(int(k) + 1))

    assert 1 - cdf(lim.high) <= tail < 1 - cdf(lim.high - 1)
    assert lim.low == 0 or cdf(lim.low) >= tail > cdf(lim.low - 1)


def test_bad_cusum_means_get_a_sentence():
    with pytest.raises(AssessmentError, match="for example 10 and 15"):
        trends.poisson_cusum_k(10, 10)


def _steady(level=40, months=24, start=2018):
    out = {}
    for i in range(months):
        year, number = start + (i // 12), i % 12 + 1
        out[f"{year}-{number:02d}"] = level
    return out


def test_a_month_well_above_last_year_is_flagged_with_its_e_test():
    series = _steady()
    series["2019-06"] = 70
    flags = trends.series_exceptions("Burglary", series, "2019-06")
    yoy = [f for f in flags if f.kind == "same_month_last_year"][0]
    assert (yoy.direction, yoy.current, yoy.reference) == ("higher", 70, 40.0)
    assert yoy.p_value == pytest.approx(stats.poisson_means_test(70, 30, 40, 30).pvalue)
    assert yoy.reason.startswith("Burglary: 70 in Jun 2019, up 75.0 % on 40 in Jun 2018")


def test_a_month_outside_the_control_limits_of_the_last_12_months_is_flagged():
    series = _steady()
    series["2019-06"] = 70
    flag = [f for f in trends.series_exceptions("Burglary", series, "2019-06")
            if f.kind == "previous_12_months"][0]
    # 40 a month over the 365 days Jun 2018 - May 2019, scaled to June's 30 days
    expected = 480 / 365 * 30
    assert flag.reference == pytest.approx(expected)
    assert flag.limit == pytest.approx(expected + 3 * math.sqrt(expected))
    assert "above the upper control limit" in flag.reason


def test_a_low_month_is_flagged_lower():
    series = _steady(level=60)
    series["2019-09"] = 25
    kinds = {(f.kind, f.direction) for f in trends.series_exceptions("Theft", series, "2019-09")}
    assert kinds == {("same_month_last_year", "lower"), ("previous_12_months", "lower")}


def test_small_numbers_are_not_flagged_year_on_year():
    series = {"2018-05": 2, "2019-05": 12}
    assert trends.series_exceptions("Arson", series, "2019-05") == ()


def test_a_steady_series_has_no_exceptions():
    assert trends.series_exceptions("Burglary", _steady(), "2019-12") == ()


def test_missing_baseline_months_skip_the_12_month_check():
    series = _steady()
    del series["2019-01"]
    series["2019-06"] = 70
    kinds = [f.kind for f in trends.series_exceptions("Burglary", series, "2019-06")]
    assert kinds == ["same_month_last_year"]
    assert trends.series_exceptions("Burglary", series, "2021-01") == ()


def test_february_in_a_leap_year_is_compared_per_day():
    # 29 vs 28 crimes in 29 vs 28 days is the same daily rate: no year-on-year change at all
    series = {"2019-02": 280, "2020-02": 290}
    assert trends.series_exceptions("Violence", series, "2020-02") == ()


def test_exceptions_covers_every_measure_in_order():
    data = {"Robbery": {"2019-03": 30, "2020-03": 60}, "Burglary": {"2019-03": 80, "2020-03": 40}}
    flags = trends.exceptions(data, "2020-03")
    assert [(f.measure, f.direction) for f in flags] == [("Robbery", "higher"), ("Burglary", "lower")]


def test_a_bad_month_gets_a_sentence():
    with pytest.raises(AssessmentError, match="for example 2020-03"):
        trends.exceptions({"Robbery": {}}, "March")


# -- the pack's CUSUM exception (cusum_exception) -----------------------------------------------
def _two_years(baseline: list[int], watched: list[int]) -> dict[str, int]:
    months = [f"{y}-{m:02d}" for y in (2019, 2020) for m in range(1, 13)]
    return dict(zip(months, baseline + watched))


def test_a_sustained_rise_is_flagged_by_the_cusum_worked_by_hand():
    from safecity.engine.stats.trends import cusum_exception

    # Baseline mean 100, so sd 10, k = 10 / ln(1.1) = 104.921 (Lucas), h = 4 x 10 = 40.
    # Watched: nine months of 100 (S stays 0), then 120, 115, 115:
    # S = 15.079, 25.158, 35.237 -> below 40: no flag. With a last month of 120: S = 40.237.
    quiet = _two_years([100] * 12, [100] * 9 + [120, 115, 115])
    assert cusum_exception("Burglary", quiet, "2020-12") is None
    flag = cusum_exception("Burglary", _two_years([100] * 12, [100] * 9 + [120, 115, 120]),
                           "2020-12")
    assert flag is not None and flag.kind == "cusum" and flag.direction == "higher"
    assert flag.reference == pytest.approx(100.0)
    assert flag.limit == pytest.approx(40.0)
    assert "Over the 3 months from Oct 2020 to Dec 2020 there were 55 more than" in flag.reason
    assert "CUSUM) of 40.2 is past its decision limit of 40.0" in flag.reason


def test_a_single_high_month_alone_does_not_make_a_sustained_rise_below_h():
    from safecity.engine.stats.trends import cusum_exception

    # 139 in the last month only: S = 139 - 104.921 = 34.08 < 40.
    assert cusum_exception("X", _two_years([100] * 12, [100] * 11 + [139]), "2020-12") is None


def test_the_cusum_needs_all_24_months_and_a_baseline():
    from safecity.engine.stats.trends import cusum_exception

    series = _two_years([100] * 12, [200] * 12)
    del series["2019-05"]
    assert cusum_exception("X", series, "2020-12") is None
    assert cusum_exception("X", _two_years([0] * 12, [5] * 12), "2020-12") is None
