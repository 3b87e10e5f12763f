"""Emerging hot spots: the Mann-Kendall test against two other implementations, and each of
ArcGIS Pro's classes ("How Emerging Hot Spot Analysis works") on a series built to be that class."""

import math

import numpy as np
import pymannkendall
import pytest
from scipy.stats import kendalltau

from safecity.engine.errors import AssessmentError
from safecity.engine.stats.emerging import classify, emerging_hotspots, mann_kendall

SERIES = [
    [0.3, 1.2, -0.4, 2.2, 2.2, 0.9, 3.1, 3.1, 3.1, 4.0],  # ties
    [5, 4, 4, 3, 6, 2, 1, 1, 0, -1, -1, -2],
    [1, 2, 3, 4, 5, 6, 7],
    [2.0, 2.0, 2.0, 2.0, 1.9],
    [1, 3, 2, 5, 4, 3, 6, 2, 5],
]


@pytest.mark.parametrize("values", SERIES)
def test_mann_kendall_matches_pymannkendall(values):
    mine = mann_kendall(values)
    theirs = pymannkendall.original_test(values)
    assert mine.s == theirs.s
    assert mine.var_s == pytest.approx(theirs.var_s)
    assert mine.z == pytest.approx(theirs.z)
    assert mine.p == pytest.approx(theirs.p)


@pytest.mark.parametrize("values", SERIES)
def test_mann_kendall_s_and_variance_match_kendalls_tau_b_on_time(values):
    # against (time, value) time has no ties, so tau-b's numerator is S and SciPy's asymptotic
    # p is 2 Phi(-|S| / sqrt(Var S)) with the same tie-corrected variance (no continuity term)
    n = len(values)
    res = kendalltau(np.arange(n), values, method="asymptotic")
    mine = mann_kendall(values)
    ties = np.unique(values, return_counts=True)[1]
    n0, n2 = n * (n - 1) / 2, sum(t * (t - 1) / 2 for t in ties)
    assert mine.s == pytest.approx(res.statistic * math.sqrt(n0 * (n0 - n2)))
    assert 2 * (1 - _phi(abs(mine.s) / math.sqrt(mine.var_s))) == pytest.approx(res.pvalue)


def _phi(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def test_mann_kendall_by_hand():
    # [1, 3, 2]: pairs (1,3) +, (1,2) +, (3,2) -: S = 1; Var = 3*2*11/18 = 11/3; Z = 0
    r = mann_kendall([1, 3, 2])
    assert (r.s, r.var_s, r.z, r.p) == (1, pytest.approx(11 / 3), 0.0, 1.0)
    with pytest.raises(AssessmentError):
        mann_kendall([1.0])


H, C, N = "hot", "cold", ""
RISING = [2.0 + k for k in range(10)]
FLAT = [3.0, 4.0] * 5  # S = 5, two tie groups of 5: Var 91.67, p = 0.68
FALLING = RISING[::-1]
ZERO = [0.0] * 10

CASES = [
    # (status, z, class), ten periods, oldest first
    ([N] * 9 + [H], ZERO, "new hot spot"),
    ([C, C, N, N, N, N, N, N, N, H], ZERO, "new hot spot"),  # cold before: new comes first
    ([N] * 7 + [H] * 3, ZERO, "consecutive hot spot"),
    ([C] + [N] * 6 + [H] * 3, ZERO, "consecutive hot spot"),
    ([N] + [H] * 9, RISING, "intensifying hot spot"),  # 90 % hot, rising z
    ([H] * 10, RISING, "intensifying hot spot"),
    ([H] * 10, FLAT, "persistent hot spot"),
    ([H, H, H, N, H, H, H, H, H, H], FLAT, "persistent hot spot"),  # 9 of 10 is 90 %
    ([H] * 10, FALLING, "diminishing hot spot"),
    ([H, N, H, N, N, N, H, N, N, H], ZERO, "sporadic hot spot"),
    ([N, H, H, H, H, H, H, H, N, H], ZERO, "sporadic hot spot"),  # 8 of 10 hot: under 90 %
    ([C, H, N, N, C, N, N, N, N, H], ZERO, "oscillating hot spot"),
    ([H, N, C, N, N, N, N, N, H, H], ZERO, "oscillating hot spot"),
    ([H] * 9 + [N], FLAT, "historical hot spot"),
    ([H] * 9 + [C], FLAT, "historical hot spot"),
    ([H, H, N, N, N, N, N, N, N, N], ZERO, "no pattern detected"),  # hot long ago, not 90 %
    ([N] * 10, ZERO, "no pattern detected"),
    # the cold classes: hot and cold swapped, the trend read on -z
    ([N] * 9 + [C], ZERO, "new cold spot"),
    ([N] * 8 + [C] * 2, ZERO, "consecutive cold spot"),
    ([C] * 10, [-v for v in RISING], "intensifying cold spot"),
    ([C] * 10, [-v for v in FLAT], "persistent cold spot"),
    ([C] * 10, [-v for v in FALLING], "diminishing cold spot"),
    ([C, N, C, N, N, N, C, N, N, C], ZERO, "sporadic cold spot"),
    ([H, C, N, N, H, N, N, N, N, C], ZERO, "oscillating cold spot"),
    ([C] * 9 + [N], ZERO, "historical cold spot"),
]


@pytest.mark.parametrize(("status", "z", "expected"), CASES)
def test_arcgis_classes_on_constructed_series(status, z, expected):
    assert classify(status, z) == expected


def test_trend_decides_between_persistent_and_intensifying():
    # the same statuses; only the Mann-Kendall trend of z differs
    assert mann_kendall(FLAT).p > 0.05 and mann_kendall(RISING).p < 0.05
    assert classify([H] * 10, FLAT) == "persistent hot spot"
    assert classify([H] * 10, RISING) == "intensifying hot spot"


def test_emerging_hotspots_on_a_constructed_city():
    # a 10 x 10 grid of 250 m cells, one crime per cell per month for ten months; a cluster of 20
    # extra crimes in cell (1, 1) every month, and in cell (8, 8) only in the last month
    periods = [f"2020-{m:02d}" for m in range(1, 11)]
    e, n, p = [], [], []
    for month in periods:
        for c in range(10):
            for r in range(10):
                e.append(c * 250 + 125)
                n.append(r * 250 + 125)
                p.append(month)
        extra = [(1, 1)] + ([(8, 8)] if month == periods[-1] else [])
        for c, r in extra:
            e += [c * 250 + 100] * 20
            n += [r * 250 + 100] * 20
            p += [month] * 20
    result = emerging_hotspots(e, n, p, periods, cell_size=250)
    cell = {(round((c.x - 125) / 250), round((c.y - 125) / 250)): c for c in result.cells}
    assert len(cell) == 100
    assert cell[(1, 1)].category == "persistent hot spot"
    assert cell[(1, 1)].counts == (21.0,) * 10
    assert cell[(8, 8)].category == "new hot spot"
    assert cell[(8, 8)].status == ("",) * 9 + ("hot",)
    assert cell[(5, 0)].category == "no pattern detected"
    assert result.by_category()["persistent hot spot"] >= 1


def test_emerging_hotspots_refuses_unlisted_periods():
    with pytest.raises(AssessmentError, match="not listed"):
        emerging_hotspots([1, 2, 3], [1, 2, 3], ["a", "b", "c"], ["a", "b"])
