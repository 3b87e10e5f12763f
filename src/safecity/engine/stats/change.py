"""Change between two counts: size, significance, rate ratio and a wording key for the narrative.

Significance is the two-sided Poisson E-test of Krishnamoorthy & Thomson (2004), computed by
``scipy.stats.poisson_means_test``. The E-test sums over a grid of outcomes whose side grows with
the square root of the counts, so a city's annual total (about 30,000) takes 0.4-0.7 s; an
assessment makes dozens of such comparisons. When **both** counts are at least
:data:`FAST_PATH_MIN_COUNT` (1,000) the p-value is instead ``2 Phi(-|T|)``, the normal tail of the
E-test's own statistic ``T``. p-values are reported by :func:`format_p_value` to two decimal
places, to three below 0.01 and as "< 0.001" below that. On a grid of counts from 1,000 upwards,
ratios 0.85-1.15 and unequal exposures the fast path differs from ``poisson_means_test`` by less
than 0.004 everywhere (the largest gaps are lattice steps of the exact test near p = 1), by less
than 0.0003 where p < 0.05 and 0.00003 where p < 0.01, so the reported digits and the decisions at
0.05 and 0.01 are the same (tested in ``tests/engine/stats/test_change.py``). The exact
conditional binomial test was rejected as the fast path: it is a different, more conservative
test and differs by up to 0.017 at counts of 1,000; the pooled-variance normal test and the
mid-p binomial test were each further from the E-test than ``2 Phi(-|T|)``.

Small numbers: a comparison is marked when either count is below the
``small_numbers_threshold`` setting (default 20, after ONS, which flags rates from fewer than
20 events as unreliable; a count of 20 has a relative standard error of 22 %).

References
----------
Krishnamoorthy K. & Thomson J. (2004) A more powerful test for comparing two Poisson means.
*J. Statistical Planning and Inference* 119(1):23-35.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy import stats

from .. import settings
from ..errors import AssessmentError
from .intervals import rate_ratio_interval

__all__ = ["Change", "compare_counts", "classify_change", "e_test", "format_p_value",
           "FAST_PATH_MIN_COUNT", "WORDING_KEYS"]

#: Both counts at least this: the normal tail of the E-test statistic replaces the exact sum.
FAST_PATH_MIN_COUNT = 1000

E_TEST = "Poisson E-test (Krishnamoorthy & Thomson 2004)"
E_TEST_NORMAL = "Poisson E-test statistic, normal approximation (both counts >= 1,000)"
NO_TEST = "none (both counts zero)"

WORDING_KEYS = ("significant_increase", "significant_decrease", "increase_not_significant",
                "decrease_not_significant", "small_numbers", "no_baseline", "no_change")

Direction = Literal["increase", "decrease", "no change"]


@dataclass(frozen=True)
class Change:
    """A comparison of a current count with a previous one.

    ``change_pct`` and the rate ratio compare rates (count / exposure), which equal the counts'
    ratio when the exposures are equal. They are ``None`` when the previous count is 0.
    """

    current: int
    previous: int
    difference: int
    change_pct: float | None
    p_value: float
    significant: bool
    direction: Direction
    small_numbers: bool
    rate_ratio: float | None
    rate_ratio_low: float | None
    rate_ratio_high: float | None
    test: str


def _as_count(value, name: str) -> int:
    if isinstance(value, bool) or value is None:
        raise AssessmentError(f"The {name} count {value!r} is not a number of events.",
                              fix="Pass a whole number of zero or more, for example 118.")
    as_float = float(value)
    if as_float < 0 or not as_float.is_integer():
        raise AssessmentError(f"The {name} count {value!r} is not a whole number of events; the "
                              "E-test compares counts, not weighted totals or rates.",
                              fix="Pass a whole number of zero or more, for example 118.")
    return int(as_float)


def _check_exposure(value: float, name: str) -> float:
    if value is None or not value > 0 or math.isinf(value):
        raise AssessmentError(f"The {name} exposure {value!r} must be a positive number.",
                              fix="Use the length or population of the period, for example 365.")
    return float(value)


def e_test(k1: int, n1: float, k2: int, n2: float) -> float:
    """Two-sided p-value of the Poisson E-test for ``lambda1 = lambda2``.

    ``T = (k1/n1 - k2/n2) / sqrt(k1/n1^2 + k2/n2^2)``, ``lambda_hat = (k1 + k2)/(n1 + n2)`` and
    ``p = sum over (x1, x2) of Pois(x1; n1 lambda_hat) Pois(x2; n2 lambda_hat) 1[|T(x1,x2)| >=
    |T(k1,k2)|]`` (Krishnamoorthy & Thomson 2004, eq. 3.3), via
    ``scipy.stats.poisson_means_test``.

    Examples
    --------
    >>> round(e_test(0, 1, 3, 1), 4), round(e_test(6, 1, 2, 1), 4)
    (0.0884, 0.1749)
    """
    k1, k2 = _as_count(k1, "first"), _as_count(k2, "second")
    n1, n2 = _check_exposure(n1, "first"), _check_exposure(n2, "second")
    if k1 == 0 and k2 == 0:
        return 1.0
    return float(stats.poisson_means_test(k1, n1, k2, n2, alternative="two-sided").pvalue)


def _e_test_normal(k1: int, n1: float, k2: int, n2: float) -> float:
    statistic = (k1 / n1 - k2 / n2) / math.sqrt(k1 / n1**2 + k2 / n2**2)
    return float(2 * stats.norm.sf(abs(statistic)))


def compare_counts(current: int, previous: int, *, exposure_current: float = 1.0,
                   exposure_previous: float = 1.0, alpha: float = 0.05,
                   small_below: int | None = None) -> Change:
    """Compare two Poisson counts: difference, % change, E-test p-value and rate ratio.

    ``change_pct = 100 (r1/r0 - 1)`` with ``r = count / exposure``; the rate ratio ``r1/r0`` has
    the exact conditional interval (:func:`~safecity.engine.stats.intervals.rate_ratio_interval`).
    ``significant`` is ``p < alpha``. ``small_numbers`` is true when either count is below
    ``small_below`` (default: the ``small_numbers_threshold`` setting, 20).

    Examples
    --------
    >>> c = compare_counts(1650, 1500)
    >>> c.difference, c.change_pct, round(c.p_value, 4), c.significant, c.direction
    (150, 10.0, 0.0075, True, 'increase')
    >>> classify_change(c)
    'significant_increase'
    >>> classify_change(compare_counts(16, 14))
    'small_numbers'
    """
    k1, k0 = _as_count(current, "current"), _as_count(previous, "previous")
    n1 = _check_exposure(exposure_current, "current")
    n0 = _check_exposure(exposure_previous, "previous")
    if not 0 < alpha < 1:
        raise AssessmentError(f"alpha={alpha!r} is not a significance level.",
                              fix="Use a number between 0 and 1, for example 0.05.")
    threshold = settings.get("small_numbers_threshold") if small_below is None else small_below

    if k1 == 0 and k0 == 0:
        p_value, test = 1.0, NO_TEST
    elif min(k1, k0) >= FAST_PATH_MIN_COUNT:
        p_value, test = _e_test_normal(k1, n1, k0, n0), E_TEST_NORMAL
    else:
        p_value, test = e_test(k1, n1, k0, n0), E_TEST

    rate_now, rate_before = k1 / n1, k0 / n0
    direction: Direction = ("increase" if rate_now > rate_before
                            else "decrease" if rate_now < rate_before else "no change")
    ratio, low, high = rate_ratio_interval(k1, n1, k0, n0, alpha)
    return Change(
        current=k1,
        previous=k0,
        difference=k1 - k0,
        # written as one division so equal exposures give the counts' exact percentage
        change_pct=None if k0 == 0 else 100.0 * (k1 * n0 - k0 * n1) / (k0 * n1),
        p_value=p_value,
        significant=p_value < alpha,
        direction=direction,
        small_numbers=min(k1, k0) < threshold,
        rate_ratio=ratio,
        rate_ratio_low=None if ratio is None else low,
        rate_ratio_high=high,
        test=test,
    )


def classify_change(change: Change) -> str:
    """The narrative's wording key for a change, one of :data:`WORDING_KEYS`.

    Checked in this order: both zero or equal rates -> "no_change"; previous count 0 ->
    "no_baseline"; either count small -> "small_numbers" (even when p < alpha: the size of a
    change between small counts is too uncertain to headline); then significant or not.

    Examples
    --------
    >>> classify_change(compare_counts(25, 0))
    'no_baseline'
    """
    if change.direction == "no change":
        return "no_change"
    if change.previous == 0:
        return "no_baseline"
    if change.small_numbers:
        return "small_numbers"
    if change.significant:
        return f"significant_{change.direction}"
    return f"{change.direction}_not_significant"


def format_p_value(p: float | None) -> str:
    """A p-value as reported: two decimals, three below 0.01, "< 0.001" below that, "" if None.

    Examples
    --------
    >>> format_p_value(0.1749), format_p_value(0.0076), format_p_value(1.3e-20)
    ('0.17', '0.008', '< 0.001')
    """
    if p is None:
        return ""
    if p < 0.001:
        return "< 0.001"
    return f"{p:.3f}" if p < 0.01 else f"{p:.2f}"
