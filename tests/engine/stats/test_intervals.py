"""Intervals against methods.md section 8 anchors, Newcombe (1998) and second implementations."""

import math

import numpy as np
import pytest
from scipy import stats

from safecity.engine.errors import AssessmentError
from safecity.engine.stats import intervals


def test_byar_interval_for_50_matches_the_phe_anchor():
    low, high = intervals.byar_interval(50)
    assert low == pytest.approx(37.108, abs=5e-4)
    assert high == pytest.approx(65.920, abs=5e-4)


def test_byar_interval_for_5_matches_the_phe_anchor():
    low, high = intervals.byar_interval(5)
    assert (round(low, 3), round(high, 3)) == (1.611, 11.668)


def test_exact_poisson_interval_for_5_matches_the_chi_square_anchor():
    low, high = intervals.exact_poisson_interval(5)
    assert (round(low, 3), round(high, 3)) == (1.623, 11.668)
    assert [round(v, 3) for v in intervals.exact_poisson_interval(50)] == [37.111, 65.919]


def test_exact_interval_agrees_with_the_gamma_definition():
    # second implementation: Garwood limits as gamma quantiles, a different scipy distribution
    for x in [1, 3, 9, 40, 700]:
        low, high = intervals.exact_poisson_interval(x, alpha=0.1)
        assert low == pytest.approx(stats.gamma.ppf(0.05, x), rel=1e-9)
        assert high == pytest.approx(stats.gamma.ppf(0.95, x + 1), rel=1e-9)


def test_exact_interval_of_zero_starts_at_zero():
    low, high = intervals.exact_poisson_interval(0)
    assert low == 0.0
    assert high == pytest.approx(-math.log(0.025), rel=1e-9)  # P(X=0 | mu) = e^-mu = 0.025


def test_poisson_interval_is_exact_below_ten_and_byar_from_ten():
    assert intervals.poisson_interval(9) == intervals.exact_poisson_interval(9)
    assert intervals.poisson_interval(10) == intervals.byar_interval(10)
    assert intervals.poisson_interval(500)[0] == pytest.approx(457.128, abs=5e-4)
    assert intervals.poisson_interval(500)[1] == pytest.approx(545.810, abs=5e-4)


def test_rate_interval_is_the_count_interval_per_thousand():
    rate, low, high = intervals.rate_interval(50, 25_000)
    assert rate == pytest.approx(2.0)
    assert low == pytest.approx(37.108 / 25, abs=1e-4)
    assert high == pytest.approx(65.920 / 25, abs=1e-4)
    rate100k, *_ = intervals.rate_interval(50, 25_000, per=100_000)
    assert rate100k == pytest.approx(200.0)


def test_rate_with_no_population_is_none_not_zero():
    assert intervals.rate_interval(5, 0) == (None, None, None)


def _conditional_ratio_limits(x1, n1, x2, n2, alpha=0.05):
    # second implementation: Clopper-Pearson limits as beta quantiles, mapped to the ratio
    pl = stats.beta.ppf(alpha / 2, x1, x2 + 1) if x1 > 0 else 0.0
    pu = stats.beta.ppf(1 - alpha / 2, x1 + 1, x2)
    return pl / (1 - pl) * n2 / n1, pu / (1 - pu) * n2 / n1


@pytest.mark.parametrize("x1,n1,x2,n2", [
    (60, 10_000, 20, 10_000), (3, 1_200, 11, 5_000), (412, 31_000, 97, 29_500), (0, 100, 7, 90)])
def test_rate_ratio_interval_matches_the_beta_form_of_the_conditional_interval(x1, n1, x2, n2):
    ratio, low, high = intervals.rate_ratio_interval(x1, n1, x2, n2)
    expected_low, expected_high = _conditional_ratio_limits(x1, n1, x2, n2)
    assert ratio == pytest.approx((x1 / n1) / (x2 / n2))
    assert low == pytest.approx(expected_low, rel=1e-6, abs=1e-12)
    assert high == pytest.approx(expected_high, rel=1e-6)


def test_rate_ratio_interval_covers_the_true_ratio_at_least_nominally():
    # exact conditional intervals are conservative: coverage >= 95 % for every true ratio
    rng = np.random.default_rng(20240611)
    x1 = rng.poisson(30 * 2.0, 400)
    x2 = rng.poisson(30, 400)
    covered = [low <= 2.0 <= high for low, high in
               (intervals.rate_ratio_interval(a, 1, b, 1)[1:] for a, b in zip(x1, x2))]
    assert np.mean(covered) >= 0.94


def test_rate_ratio_without_a_denominator_count_is_none():
    ratio, low, high = intervals.rate_ratio_interval(5, 100, 0, 100)
    assert ratio is None and high is None and low > 0
    assert intervals.rate_ratio_interval(0, 100, 0, 100) == (None, None, None)
    assert intervals.rate_ratio_interval(3, 0, 4, 100) == (None, None, None)


def test_wilson_interval_matches_newcombe_1998_example():
    # Newcombe (1998) Stat Med 17:857, Table I: 81/263, score (Wilson) method 0.2553 to 0.3662
    p, low, high = intervals.proportion_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert p == pytest.approx(81 / 263)


def test_wilson_interval_matches_the_closed_form():
    z = stats.norm.ppf(0.975)
    for k, n in [(0, 10), (1, 29), (15, 15), (140, 1000)]:
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        _, low, high = intervals.proportion_interval(k, n)
        assert (low, high) == (pytest.approx(centre - half, abs=1e-12), pytest.approx(centre + half))


def test_wilson_interval_agrees_with_statsmodels():
    """A second implementation: statsmodels' proportion_confint (method "wilson")."""
    from statsmodels.stats.proportion import proportion_confint

    for k, n in [(0, 10), (1, 1), (81, 263), (5, 1000), (29_000, 30_000)]:
        for alpha in (0.1, 0.05, 0.01):
            _, low, high = intervals.proportion_interval(k, n, alpha=alpha)
            assert (low, high) == pytest.approx(
                proportion_confint(k, n, alpha=alpha, method="wilson"), abs=1e-12)


def test_proportion_of_nothing_is_none():
    assert intervals.proportion_interval(0, 0) == (None, None, None)


@pytest.mark.parametrize("call", [
    lambda: intervals.exact_poisson_interval(-1),
    lambda: intervals.byar_interval(3, alpha=1.5),
    lambda: intervals.proportion_interval(5, 4),
])
def test_impossible_input_gets_a_sentence(call):
    with pytest.raises(AssessmentError, match="for example"):
        call()
