"""Funnel limits against independent computations (pure-Python Poisson, numpy DerSimonian-Laird)."""

import math

import numpy as np
import pytest

from safecity.engine.errors import AssessmentError
from safecity.engine.stats import rates


def _poisson_cdf(k: int, mu: float) -> float:
    # independent of scipy: the series sum e^-mu mu^j / j!, in logs to stay finite
    if k < 0:
        return 0.0
    return sum(math.exp(-mu + j * math.log(mu) - math.lgamma(j + 1)) for j in range(k + 1))


def _interpolated_quantile(p: float, mu: float) -> float:
    r = 0
    while _poisson_cdf(r, mu) < p:
        r += 1
    f_r, f_below = _poisson_cdf(r, mu), _poisson_cdf(r - 1, mu)
    return max(r - (f_r - p) / (f_r - f_below), 0.0)


@pytest.mark.parametrize("population", [500, 1500, 4000, 20_000])
def test_poisson_limits_match_a_pure_python_interpolated_quantile(population):
    overall = 23.5  # per 1,000
    limits = rates.funnel_limits([population], overall)
    mu = overall / 1000 * population
    for tail, low_or_high in ((0.025, limits.low95), (0.975, limits.high95),
                              (0.001, limits.low998), (0.999, limits.high998)):
        expected = _interpolated_quantile(tail, mu) / population * 1000
        assert low_or_high[0] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_poisson_limits_hand_worked_for_an_expected_count_of_one():
    # Pois(1): F(2) = 0.9197, F(3) = 0.9810, so the 97.5 % limit is 3 - 0.0060/0.0613 = 2.902
    limits = rates.funnel_limits([1000], overall_rate=1.0)
    assert limits.high95[0] == pytest.approx(2.902, abs=5e-4)
    assert limits.low95[0] == 0.0


def test_poisson_limits_approach_the_normal_ones_for_large_populations():
    limits = rates.funnel_limits([10_000_000], overall_rate=50.0)
    mu = 500_000
    assert limits.high95[0] == pytest.approx((mu + 1.959964 * math.sqrt(mu)) / 10_000, rel=2e-5)
    assert limits.low998[0] == pytest.approx((mu - 3.090232 * math.sqrt(mu)) / 10_000, rel=2e-5)


def _dersimonian_laird(o, n):
    # second implementation, written from Spiegelhalter (2005, QSHC) with plain numpy
    e = o.sum() / n.sum() * n
    y, s = np.sqrt(o / e), 1 / (2 * np.sqrt(e))
    z = (y - 1) / s
    z_sorted = np.sort(z)
    lo, hi = np.percentile(z_sorted, 10), np.percentile(z_sorted, 90)
    phi = np.mean(np.minimum(np.maximum(z, lo), hi) ** 2)
    w = 1 / s**2
    k = len(o)
    tau2 = max(0.0, (k * phi - (k - 1)) / (np.sum(w) - np.sum(w**2) / np.sum(w)))
    return phi, tau2, s


def _overdispersed_areas(seed=11, areas=300):
    rng = np.random.default_rng(seed)
    pops = rng.integers(1100, 3000, areas).astype(float)
    counts = rng.poisson(pops / 1000 * 60 * rng.gamma(16, 1 / 16, areas)).astype(float)
    return counts, pops


def test_overdispersion_matches_a_numpy_dersimonian_laird():
    counts, pops = _overdispersed_areas()
    phi, tau2, s = _dersimonian_laird(counts, pops)
    od = rates.overdispersion(counts, pops)
    assert od.phi == pytest.approx(phi, rel=1e-12)
    assert od.tau2 == pytest.approx(tau2, rel=1e-12)
    assert od.tau2 > 0 and od.areas == 300


def test_overdispersed_limits_match_the_square_root_scale_formula():
    counts, pops = _overdispersed_areas()
    _, tau2, s = _dersimonian_laird(counts, pops)
    overall = counts.sum() / pops.sum() * 1000
    points = rates.funnel_flags(counts, pops)
    for point, si in zip(points[:25], s[:25]):
        assert point.high95 == pytest.approx(overall * (1 + 1.959964 * math.sqrt(si**2 + tau2)) ** 2, rel=1e-6)
        assert point.low998 == pytest.approx(overall * (1 - 3.090232 * math.sqrt(si**2 + tau2)) ** 2, rel=1e-6)


def test_plain_poisson_limits_flag_most_overdispersed_areas_and_the_adjusted_ones_few():
    counts, pops = _overdispersed_areas()
    poisson = [p.flag for p in rates.funnel_flags(counts, pops, overdispersed=False)]
    adjusted = [p.flag for p in rates.funnel_flags(counts, pops)]
    assert sum(f != "within" for f in poisson) > 0.3 * len(counts)
    # about 5 % should fall outside the 95 % limits when the model fits
    assert 0.01 * len(counts) <= sum(f != "within" for f in adjusted) <= 0.12 * len(counts)


def test_poisson_data_need_no_adjustment():
    rng = np.random.default_rng(3)
    pops = rng.integers(1100, 3000, 200).astype(float)
    counts = rng.poisson(pops / 1000 * 60).astype(float)
    od = rates.overdispersion(counts, pops)
    assert od.tau2 == 0.0
    assert [p.flag for p in rates.funnel_flags(counts, pops)] == [
        p.flag for p in rates.funnel_flags(counts, pops, overdispersed=False)]


def test_flags_follow_the_limits_at_each_level():
    points = rates.funnel_flags([5, 40, 22, 90, 54], [1500, 1600, 1400, 1500, 1500],
                                overdispersed=False, overall_rate=25.0)
    assert [p.flag for p in points] == ["low (99.8%)", "within", "low (95%)", "high (99.8%)",
                                        "high (95%)"]
    for p in points[1:]:
        inside = p.low95 <= p.rate <= p.high95
        assert inside == (p.flag == "within")
    for p in points:
        assert set(rates.FLAGS) >= {p.flag}
        assert p.rate == pytest.approx(p.count / p.population * 1000)


def test_an_area_without_population_is_not_assessed_and_has_no_rate():
    points = rates.funnel_flags([3, 30, 40], [0, 1500, 1700])
    assert points[0].flag == "not assessed"
    assert points[0].rate is None and points[0].high95 is None


def test_funnel_curve_spans_the_populations_for_drawing():
    counts, pops = _overdispersed_areas()
    curve = rates.funnel_curve(counts, pops, steps=10)
    assert curve.populations[0] == pops.min() and curve.populations[-1] == pops.max()
    assert curve.tau2 == pytest.approx(rates.overdispersion(counts, pops).tau2)
    drawn = curve.as_dict()
    assert set(drawn) == {"population", "low95", "high95", "low998", "high998"}
    assert all(lo < hi for lo, hi in zip(drawn["low95"], drawn["high95"]))


def test_mismatched_counts_and_populations_get_a_sentence():
    with pytest.raises(AssessmentError, match="one count per population"):
        rates.funnel_flags([1, 2], [100])
