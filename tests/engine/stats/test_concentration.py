"""Crime concentration: golden values from the worked examples of Bernasco & Steenbeek's own
package (lorenzgini, R, documented examples of ``gini``), a second Gini implementation (the mean
absolute difference), and the expected Gini under chance by exact enumeration."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from safecity.engine.stats.concentration import (concentration, expected_gini,
                                                 generalized_gini, gini, lorenz,
                                                 share_of_places, top_shares)


def test_the_published_examples():
    """lorenzgini's ``gini`` examples: 20 crimes over 10 places (10, 8, 2, then zeros) give
    0.78 both ways (as many crimes as places); 8 crimes (5, 2, 1, zeros) give 0.80 standard and
    0.75 generalized; all crimes in one of 10 (100) places give 0.9 (0.99).

    By hand, (5, 2, 1, 0 x 7): sorted ascending the non-zero counts sit at ranks 8, 9, 10, so
    G = 2 (8 x 1 + 9 x 2 + 10 x 5) / (10 x 8) - 11 / 10 = 1.9 - 1.1 = 0.8, and
    G' = (10 / 8) (0.8 - 1) + 1 = 0.75."""
    assert gini([10, 8, 2] + [0] * 7) == pytest.approx(0.78)
    assert generalized_gini([10, 8, 2] + [0] * 7) == pytest.approx(0.78)
    assert gini([5, 2, 1] + [0] * 7) == pytest.approx(0.80)
    assert generalized_gini([5, 2, 1] + [0] * 7) == pytest.approx(0.75)
    assert gini([10] + [0] * 9) == pytest.approx(0.9)
    assert gini([10] + [0] * 99) == pytest.approx(0.99)


def test_gini_equals_the_mean_absolute_difference_form():
    """G = sum_i sum_j |x_i - x_j| / (2 N^2 mean): a second, independent formula."""
    rng = np.random.default_rng(3)
    for size in (1, 2, 7, 300):
        x = rng.negative_binomial(1, 0.2, size=size)
        if x.sum() == 0:
            continue
        mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * size**2 * x.mean())
        assert gini(x) == pytest.approx(mad)
    assert gini([3, 3, 3]) == 0 and gini([0, 0]) == 0


def test_the_lorenz_curve_by_hand():
    """Counts (3, 0, 1): ascending 0, 1, 3 of 4 crimes; the curve passes (1/3, 0), (2/3, 1/4)."""
    places, crimes = lorenz([3, 0, 1])
    assert places.tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert crimes.tolist() == pytest.approx([0, 0, 0.25, 1])
    # The Gini is one less twice the area under the curve (trapezium rule): the third formula.
    area = np.sum((places[1:] - places[:-1]) * (crimes[1:] + crimes[:-1]) / 2)
    assert gini([3, 0, 1]) == pytest.approx(1 - 2 * area)


def _exact_expected_gini(places: int, crimes: int) -> float:
    """Every way ``crimes`` can fall on ``places`` with equal chance, weighted by its multinomial
    probability."""
    total = 0.0
    for spread in itertools.product(range(crimes + 1), repeat=places):
        if sum(spread) == crimes:
            total += stats.multinomial.pmf(spread, crimes, [1 / places] * places) * gini(spread)
    return total


def test_the_expected_gini_under_chance_equals_exact_enumeration():
    """2 crimes on 2 places: (1, 1) half the time (G 0), (2, 0) or (0, 2) otherwise (G 0.5): 0.25."""
    assert _exact_expected_gini(2, 2) == pytest.approx(0.25)
    for places, crimes in ((2, 2), (3, 4), (4, 3)):
        assert expected_gini(places, crimes, draws=40_000) == pytest.approx(
            _exact_expected_gini(places, crimes), abs=0.005)


def test_the_expected_gini_for_many_places_follows_the_skellam_difference():
    """For many places, E[G] ~ (N - 1) / N x E|X - Y| / (2 lambda), X, Y Poisson(lambda)
    (their difference is Skellam): a closed form to check the random draws against."""
    places, crimes = 5_000, 4_000
    lam = crimes / places
    k = np.arange(-60, 61)
    mean_abs = float(np.sum(np.abs(k) * stats.skellam.pmf(k, lam, lam)))
    assert expected_gini(places, crimes) == pytest.approx(
        (places - 1) / places * mean_abs / (2 * lam), abs=0.005)


def test_excess_gini_and_share_of_places():
    even = concentration([5] * 400)  # as even as can be: less concentrated than chance
    assert even.gini == 0 and even.excess_gini < -0.2
    hot = concentration([500] + [0] * 99)
    assert hot.gini == pytest.approx(0.99) and hot.excess_gini > 0.5
    assert share_of_places([10, 8, 2] + [0] * 7) == pytest.approx(0.1)
    assert share_of_places([1] * 4) == pytest.approx(0.5)
    assert math.isclose(hot.half_in_share_of_places, 0.01)
    with pytest.raises(ValueError):
        gini([])


def test_the_lorenz_curve_read_from_the_top():
    """(10, 8, 2, 0 x 7), 20 crimes: the top 10 % of places (one) hold 10 / 20, the top 20 % hold
    18 / 20, the top 30 % all 20; every place holds all of them."""
    assert top_shares([10, 8, 2] + [0] * 7, (0.1, 0.2, 0.3, 0.5, 1.0)) == pytest.approx(
        [0.5, 0.9, 1.0, 1.0, 1.0])
    assert top_shares([1] * 4, (0.25, 0.5)) == pytest.approx([0.25, 0.5])
