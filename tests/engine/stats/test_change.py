"""Change between counts: E-test anchors (methods.md s. 8), the fast path against scipy, wording."""

import itertools

import pytest
from scipy import stats

from safecity.engine.errors import AssessmentError
from safecity.engine.stats import change
from safecity.engine.stats.change import classify_change, compare_counts, e_test


def test_e_test_matches_krishnamoorthy_thomson_example_zero_and_three():
    assert e_test(0, 1, 3, 1) == pytest.approx(0.0884, abs=5e-5)


def test_e_test_matches_krishnamoorthy_thomson_example_six_and_two():
    assert e_test(6, 1, 2, 1) == pytest.approx(0.1749, abs=5e-5)


def test_compare_counts_uses_the_e_test_for_small_counts():
    result = compare_counts(6, 2)
    assert result.p_value == pytest.approx(0.1749, abs=5e-5)
    assert result.test == change.E_TEST


GRID = list(itertools.product(
    (1000, 1400, 2600, 5200), (0.85, 0.93, 0.97, 1.0, 1.04, 1.12), ((1, 1), (366, 365), (12, 10))))


def test_fast_path_agrees_with_poisson_means_test_to_the_reported_precision():
    for k1, ratio, (n1, n0) in GRID:
        k0 = max(change.FAST_PATH_MIN_COUNT, round(k1 * ratio * n0 / n1))
        result = compare_counts(k1, k0, exposure_current=n1, exposure_previous=n0)
        assert result.test == change.E_TEST_NORMAL
        reference = stats.poisson_means_test(k1, n1, k0, n0).pvalue
        where = (k1, k0, n1, n0, reference)
        # reported to 2 decimals from 0.01, to 3 below: the gap must be under half a last digit
        assert abs(result.p_value - reference) < (0.0005 if reference < 0.01 else 0.005), where
        assert change.format_p_value(result.p_value) == change.format_p_value(reference), where
        assert result.significant == (reference < 0.05), where
        assert (result.p_value < 0.01) == (reference < 0.01), where


def test_counts_just_below_the_fast_path_use_the_exact_e_test():
    result = compare_counts(1200, change.FAST_PATH_MIN_COUNT - 1)
    assert result.test == change.E_TEST
    assert result.p_value == pytest.approx(stats.poisson_means_test(1200, 1, 999, 1).pvalue, rel=1e-12)


def test_change_reports_difference_percentage_and_direction():
    result = compare_counts(110, 100)
    assert (result.current, result.previous, result.difference) == (110, 100, 10)
    assert result.change_pct == pytest.approx(10.0)
    assert result.direction == "increase"
    assert compare_counts(90, 100).direction == "decrease"
    assert compare_counts(100, 100).direction == "no change"


def test_change_is_frozen():
    result = compare_counts(5, 3)
    with pytest.raises(AttributeError):
        result.current = 6  # type: ignore[misc]


def test_change_percentage_compares_rates_when_exposures_differ():
    # 62 crimes in a 31-day month vs 56 in a 28-day month: 2.0 vs 2.0 a day
    result = compare_counts(62, 56, exposure_current=31, exposure_previous=28)
    assert result.change_pct == pytest.approx(0.0, abs=1e-12)
    assert result.rate_ratio == pytest.approx(1.0)
    assert result.p_value == pytest.approx(stats.poisson_means_test(62, 31, 56, 28).pvalue)


def test_rate_ratio_interval_is_the_exact_conditional_one():
    result = compare_counts(60, 20)
    ci = stats.binomtest(60, 80).proportion_ci(0.95, method="exact")
    assert result.rate_ratio == pytest.approx(3.0)
    assert result.rate_ratio_low == pytest.approx(ci.low / (1 - ci.low))
    assert result.rate_ratio_high == pytest.approx(ci.high / (1 - ci.high))


@pytest.mark.parametrize("x1,x2", [(1, 1), (0, 9), (9, 0), (3, 250), (412, 97), (5000, 4700)])
def test_rate_ratio_limits_agree_with_binomtest_root_search(x1, x2):
    # the limits come from beta quantiles; scipy's binomtest finds them by root search
    from safecity.engine.stats.intervals import rate_ratio_interval

    ci = stats.binomtest(x1, x1 + x2).proportion_ci(0.95, method="exact")
    _, low, high = rate_ratio_interval(x1, 1.0, x2, 1.0)
    assert low == pytest.approx(ci.low / (1 - ci.low), rel=1e-9, abs=1e-12)
    if x2:
        assert high == pytest.approx(ci.high / (1 - ci.high), rel=1e-9)


def test_a_change_from_zero_has_no_percentage_and_no_ratio():
    result = compare_counts(25, 0)
    assert result.change_pct is None
    assert result.rate_ratio is None and result.rate_ratio_low is None
    assert result.rate_ratio_high is None
    assert classify_change(result) == "no_baseline"


def test_two_zeros_are_no_change_with_p_of_one():
    result = compare_counts(0, 0)
    assert (result.p_value, result.significant, result.change_pct) == (1.0, False, None)
    assert classify_change(result) == "no_change"


def test_small_numbers_follow_the_setting(monkeypatch):
    assert compare_counts(19, 40).small_numbers
    assert not compare_counts(20, 40).small_numbers
    monkeypatch.setenv("SAFECITY_SMALL_NUMBERS_THRESHOLD", "50")
    assert compare_counts(45, 60).small_numbers
    assert not compare_counts(45, 60, small_below=10).small_numbers


@pytest.mark.parametrize("current,previous,key", [
    (1650, 1500, "significant_increase"),
    (1350, 1500, "significant_decrease"),
    (105, 100, "increase_not_significant"),
    (95, 100, "decrease_not_significant"),
    (2, 19, "small_numbers"),  # significant, but 2 and 19 are too few to headline
    (30, 0, "no_baseline"),
    (40, 40, "no_change"),
])
def test_classify_change_gives_the_wording_key(current, previous, key):
    assert classify_change(compare_counts(current, previous)) == key
    assert key in change.WORDING_KEYS


@pytest.mark.parametrize("current,previous", [(-1, 3), (2.5, 3), (None, 3), (True, 3)])
def test_a_count_that_is_not_a_count_gets_a_sentence(current, previous):
    with pytest.raises(AssessmentError, match="for example"):
        compare_counts(current, previous)


def test_zero_exposure_gets_a_sentence():
    with pytest.raises(AssessmentError, match="positive"):
        compare_counts(3, 4, exposure_previous=0)


def test_p_values_are_formatted_to_the_reported_precision():
    assert [change.format_p_value(p) for p in (0.5, 0.0884, 0.0104, 0.0099, 0.00049, None)] == [
        "0.50", "0.09", "0.01", "0.010", "< 0.001", ""]
