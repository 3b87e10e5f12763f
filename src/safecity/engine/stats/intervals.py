"""Confidence intervals for counts, rates, rate ratios and proportions.

PHE practice (Fingertips; PHEindicatormethods ``phe_rate``) is followed for counts and rates:
the exact Poisson interval below 10 events and Byar's approximation from 10 upwards
(:func:`poisson_interval`). Results are plain tuples of floats; an interval that cannot exist
(a rate with no population, a ratio with nothing to divide by) is ``None`` in every place.

References
----------
Breslow N.E. & Day N.E. (1987) *Statistical Methods in Cancer Research*, vol. II, IARC, p. 69.
Public Health England (2018) *Technical guide: confidence intervals*, Fingertips.
Wilson E.B. (1927) Probable inference, the law of succession, and statistical inference.
*JASA* 22:209-212.
"""

from __future__ import annotations

import math

from scipy import stats
from scipy.special import betaincinv

from ..errors import AssessmentError

__all__ = [
    "exact_poisson_interval", "byar_interval", "poisson_interval", "rate_interval",
    "rate_ratio_interval", "proportion_interval", "EXACT_BELOW",
]

#: PHE uses the exact interval for counts below this and Byar's formula from it upwards.
EXACT_BELOW = 10

Interval = tuple[float, float]
Estimate = tuple[float | None, float | None, float | None]


def _check_count(x: float, name: str = "count") -> None:
    if x is None or x < 0 or (isinstance(x, float) and math.isnan(x)):
        raise AssessmentError(f"A {name} of {x!r} cannot have an interval: counts must be zero "
                              "or more.", fix="Pass the number of events, for example 12.")


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise AssessmentError(f"alpha={alpha!r} is not a significance level.",
                              fix="Use a number between 0 and 1, for example 0.05 for 95 %.")


def exact_poisson_interval(x: float, alpha: float = 0.05) -> Interval:
    """Exact (Garwood) interval for a Poisson count.

    ``lower = chi2.ppf(alpha/2, 2x) / 2`` (0 when x = 0) and
    ``upper = chi2.ppf(1 - alpha/2, 2x + 2) / 2`` (Garwood 1936; PHE technical guide).

    Examples
    --------
    >>> low, high = exact_poisson_interval(5)
    >>> round(low, 3), round(high, 3)
    (1.623, 11.668)
    """
    _check_count(x)
    _check_alpha(alpha)
    lower = 0.0 if x == 0 else float(stats.chi2.ppf(alpha / 2, 2 * x) / 2)
    upper = float(stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2)
    return lower, upper


def byar_interval(x: float, alpha: float = 0.05) -> Interval:
    """Byar's approximation to the exact Poisson interval (Breslow & Day 1987).

    ``lower = x (1 - 1/(9x) - z/(3 sqrt x))^3``,
    ``upper = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3``, ``z = Phi^-1(1 - alpha/2)``.
    For x = 0 the lower limit is 0.

    Examples
    --------
    >>> low, high = byar_interval(50)
    >>> round(low, 3), round(high, 3)
    (37.108, 65.92)
    """
    _check_count(x)
    _check_alpha(alpha)
    z = float(stats.norm.ppf(1 - alpha / 2))
    lower = 0.0 if x == 0 else x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    y = x + 1
    upper = y * (1 - 1 / (9 * y) + z / (3 * math.sqrt(y))) ** 3
    return max(lower, 0.0), upper


def poisson_interval(x: float, alpha: float = 0.05) -> Interval:
    """PHE's choice: the exact interval below 10 events, Byar's from 10 upwards.

    Examples
    --------
    >>> [round(v, 3) for v in poisson_interval(5)], [round(v, 3) for v in poisson_interval(50)]
    ([1.623, 11.668], [37.108, 65.92])
    """
    return exact_poisson_interval(x, alpha) if x < EXACT_BELOW else byar_interval(x, alpha)


def rate_interval(count: float, population: float, per: float = 1000,
                  alpha: float = 0.05) -> Estimate:
    """A crude rate ``count / population * per`` with the :func:`poisson_interval` scaled alike.

    Returns ``(None, None, None)`` when the population is zero or missing.

    Examples
    --------
    >>> rate, low, high = rate_interval(50, 10_000)
    >>> round(rate, 2), round(low, 3), round(high, 3)
    (5.0, 3.711, 6.592)
    """
    _check_count(count)
    if not population or population <= 0:
        return None, None, None
    low, high = poisson_interval(count, alpha)
    scale = per / population
    return count * scale, low * scale, high * scale


def rate_ratio_interval(x1: int, n1: float, x2: int, n2: float, alpha: float = 0.05) -> Estimate:
    """Rate ratio ``(x1/n1) / (x2/n2)`` with the exact conditional interval.

    Given ``x1 + x2 = m``, ``x1 ~ Bin(m, pi)`` with ``pi = n1 r1 / (n1 r1 + n2 r2)``, so the
    Clopper-Pearson limits ``(pi_L, pi_U)`` for pi map to the ratio as
    ``RR = pi / (1 - pi) * n2 / n1`` (Breslow & Day 1987, s. 2.4; Ulm 1990). statsmodels lists
    this method as "not yet" implemented, so SciPy supplies the limits: the Clopper-Pearson
limits are beta quantiles, ``pi_L = B^-1(alpha/2; x1, x2 + 1)`` and ``pi_U = B^-1(1 - alpha/2;
x1 + 1, x2)``, computed with ``scipy.special.betaincinv`` (what ``binomtest(...).proportion_ci``
finds by root search, to 1e-12, at a hundredth of the cost; the tests check the two agree). The ratio and its upper limit are ``None``
    when ``x2 = 0`` (no finite ratio); everything is ``None`` when both counts or an exposure
    are zero.

    Examples
    --------
    >>> ratio, low, high = rate_ratio_interval(60, 10_000, 20, 10_000)
    >>> round(ratio, 2), round(low, 3), round(high, 3)
    (3.0, 1.783, 5.255)
    """
    _check_count(x1)
    _check_count(x2)
    _check_alpha(alpha)
    if not n1 or not n2 or n1 <= 0 or n2 <= 0 or x1 + x2 == 0:
        return None, None, None
    scale = n2 / n1
    x1, x2 = int(x1), int(x2)
    pi_low = 0.0 if x1 == 0 else float(betaincinv(x1, x2 + 1, alpha / 2))
    low = pi_low / (1 - pi_low) * scale
    if x2 == 0:
        return None, float(low), None
    pi_high = float(betaincinv(x1 + 1, x2, 1 - alpha / 2))
    high = pi_high / (1 - pi_high) * scale
    return (x1 / n1) / (x2 / n2), float(low), float(high)


def proportion_interval(k: int, n: int, alpha: float = 0.05) -> Estimate:
    """Proportion ``k / n`` with the Wilson score interval (Wilson 1927; ``scipy.stats.binomtest``).

    ``(p + z^2/2n ± z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``. ``(None, None, None)`` when
    ``n = 0``.

    Examples
    --------
    >>> p, low, high = proportion_interval(81, 263)
    >>> round(p, 4), round(low, 4), round(high, 4)
    (0.308, 0.2553, 0.3662)
    """
    _check_count(k)
    _check_count(n, "total")
    _check_alpha(alpha)
    if n == 0:
        return None, None, None
    if k > n:
        raise AssessmentError(f"A proportion of {k} out of {n} is impossible.",
                              fix="Pass the part first and the whole second, for example (81, 263).")
    # SciPy's Wilson interval (no continuity correction); statsmodels' proportion_confint
    # gives the same limits (tests/engine/stats check both), but importing statsmodels here
    # brought pandas into every assessment for this one interval.
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=1 - alpha, method="wilson")
    return k / n, float(ci.low), float(ci.high)
