"""Emerging trends in monthly counts: Poisson CUSUM, c-chart limits and performance-pack exceptions.

References
----------
Lucas J.M. (1985) Counted data CUSUMs. *Technometrics* 27(2):129-144.
Montgomery D.C. (2009) *Introduction to Statistical Quality Control*, 6th ed., s. 7.3 (c chart).
Krishnamoorthy K. & Thomson J. (2004), the E-test (see :mod:`.change`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Mapping, Sequence

import numpy as np
from scipy import stats

from .. import periods
from ..errors import AssessmentError
from .change import compare_counts, format_p_value

__all__ = ["poisson_cusum_k", "Cusum", "cusum", "ControlLimits", "c_chart_limits",
           "ExceptionFlag", "exceptions", "series_exceptions", "cusum_exception",
           "EXACT_BELOW_MEAN", "CUSUM_SHIFT_SD", "CUSUM_H_SD"]

#: Below this mean the c-chart uses exact Poisson probability limits instead of mean ± 3 sqrt(mean).
EXACT_BELOW_MEAN = 20.0


def poisson_cusum_k(mu0: float, mu1: float) -> float:
    """Reference value of a Poisson CUSUM detecting a shift from ``mu0`` to ``mu1`` (Lucas 1985).

    ``k = (mu1 - mu0) / (ln mu1 - ln mu0)``.

    Examples
    --------
    >>> round(poisson_cusum_k(10, 15), 2)
    12.33
    """
    if not (mu0 > 0 and mu1 > 0) or mu0 == mu1:
        raise AssessmentError(f"A CUSUM needs two different positive means, not {mu0} and {mu1}.",
                              fix="Give the in-control and the shifted mean, for example 10 and 15.")
    return (mu1 - mu0) / (math.log(mu1) - math.log(mu0))


@dataclass(frozen=True)
class Cusum:
    """Upper CUSUM path ``S_t``, the indices where ``S_t >= h``, and the first of them."""

    values: tuple[float, ...]
    signals: tuple[int, ...]
    first_signal: int | None
    k: float
    h: float


def cusum(series: Sequence[float], mu0: float, k: float, h: float, *,
          reset: bool = False) -> Cusum:
    """Upper Poisson CUSUM ``S_t = max(0, S_{t-1} + X_t - k)``, signalling when ``S_t >= h``.

    ``mu0`` is the in-control mean (recorded; ``k`` already encodes it, see
    :func:`poisson_cusum_k`). ``h`` sets the in-control average run length and must be chosen for
    the series (Lucas 1985, tables; R ``spc::pois.cusum.crit``). With ``reset=True`` the sum
    restarts at 0 after each signal.

    Examples
    --------
    >>> k = poisson_cusum_k(10, 15)
    >>> run = cusum([9, 11, 10, 16, 17, 15, 18], mu0=10, k=k, h=10)
    >>> [round(v, 2) for v in run.values], run.first_signal
    ([0.0, 0.0, 0.0, 3.67, 8.34, 11.01, 16.67], 5)
    """
    if h <= 0:
        raise AssessmentError(f"A CUSUM decision interval of {h} is not possible.",
                              fix="Use a positive h, for example 10.")
    values, signals, s = [], [], 0.0
    for t, x in enumerate(series):
        s = max(0.0, s + float(x) - k)
        values.append(s)
        if s >= h:
            signals.append(t)
            if reset:
                s = 0.0
    return Cusum(tuple(values), tuple(signals), signals[0] if signals else None, float(k),
                 float(h))


@dataclass(frozen=True)
class ControlLimits:
    centre: float
    low: float
    high: float
    method: str


def c_chart_limits(mean: float, sigma: float = 3.0) -> ControlLimits:
    """Control limits for a Poisson count with mean ``mean``.

    From a mean of 20 up, the c chart ``mean ± sigma sqrt(mean)`` (Montgomery 2009, s. 7.3; lower
    clipped at 0). Below 20 the normal shape is poor, so the exact Poisson quantiles at the same
    tail probabilities ``Phi(-sigma)`` and ``Phi(sigma)`` are used (probability limits).

    Examples
    --------
    >>> lim = c_chart_limits(100)
    >>> lim.low, lim.high
    (70.0, 130.0)
    >>> c_chart_limits(4).high
    11.0
    """
    if mean is None or mean < 0 or not math.isfinite(mean):
        raise AssessmentError(f"A control chart needs a mean of zero or more, not {mean}.",
                              fix="Use the average count of the baseline months, for example 35.2.")
    if mean >= EXACT_BELOW_MEAN:
        half = sigma * math.sqrt(mean)
        return ControlLimits(mean, max(mean - half, 0.0), mean + half, f"{sigma:g}-sigma c chart")
    tail = float(stats.norm.sf(sigma))
    low = float(stats.poisson.ppf(tail, mean)) if mean > 0 else 0.0
    high = float(stats.poisson.ppf(1 - tail, mean)) if mean > 0 else 0.0
    return ControlLimits(mean, low, high, f"exact Poisson probability limits ({sigma:g}-sigma tails)")


@dataclass(frozen=True)
class ExceptionFlag:
    """One thing worth a meeting's attention, with the sentence that says why."""

    measure: str
    month: str
    kind: Literal["same_month_last_year", "previous_12_months", "cusum"]
    direction: Literal["higher", "lower"]
    current: int
    reference: float  # last year's count, or the expected count from the 12-month mean
    #                   (for a CUSUM, the in-control monthly mean)
    p_value: float | None  # E-test p for the year-on-year flag
    limit: float | None  # the control limit crossed (12-month flag) or the CUSUM's h
    reason: str


def _month_key(text: str) -> tuple[int, int]:
    return periods.parse_month(text)


def _shift(year: int, number: int, months: int) -> tuple[int, int]:
    return _month_key(periods.shift_month(f"{year:04d}-{number:02d}", months))


def _days(year: int, number: int) -> int:
    return periods.days_in(periods.month(f"{year:04d}-{number:02d}"))


def _name(year: int, number: int) -> str:
    return periods.month_label(f"{year:04d}-{number:02d}")


def series_exceptions(measure: str, series: Mapping[str, int], month: str, *,
                      alpha: float = 0.05, sigma: float = 3.0,
                      small_below: int | None = None) -> tuple[ExceptionFlag, ...]:
    """Exceptions for one monthly series (``{"YYYY-MM": count}``) in ``month``.

    Two checks. (1) The month against the same month a year earlier: the E-test on counts with
    the months' lengths as exposures, flagged when ``p < alpha`` and neither count is small.
    (2) The month against the previous 12 months: expected = their mean daily count x the days in
    the month; flagged when the count lies outside :func:`c_chart_limits` of that expectation.
    Check (2) needs all 12 previous months. Months missing from ``series`` are missing data, not
    zeros; a check whose months are missing is skipped.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> months = [f"{y}-{m:02d}" for y in (2019, 2020) for m in range(1, 13)]
    >>> series = dict(zip(months, rng.poisson(40, 24).tolist()))
    >>> series["2020-03"] = 75
    >>> [f.kind for f in series_exceptions("Burglary", series, "2020-03")]
    ['same_month_last_year', 'previous_12_months']
    """
    year, number = _month_key(month)
    if month not in series:
        return ()
    current = int(series[month])
    days = _days(year, number)
    flags = []
    last_year = f"{year - 1:04d}-{number:02d}"
    if last_year in series:
        previous = int(series[last_year])
        change = compare_counts(current, previous, exposure_current=days,
                                exposure_previous=_days(year - 1, number), alpha=alpha,
                                small_below=small_below)
        if change.significant and not change.small_numbers and change.change_pct is not None:
            up = change.direction == "increase"
            flags.append(ExceptionFlag(
                measure, month, "same_month_last_year", "higher" if up else "lower", current,
                float(previous), change.p_value, None,
                f"{measure}: {current:,} in {_name(year, number)}, "
                f"{'up' if up else 'down'} {abs(change.change_pct):.1f} % on {previous:,} in "
                f"{_name(year - 1, number)}, a statistically significant "
                f"{'increase' if up else 'decrease'} (E-test p {_p_text(change.p_value)})."))
    baseline = [_shift(year, number, -i) for i in range(1, 13)]
    keys = [f"{y:04d}-{m:02d}" for y, m in baseline]
    if all(key in series for key in keys):
        total = sum(int(series[key]) for key in keys)
        per_day = total / sum(_days(y, m) for y, m in baseline)
        expected = per_day * days
        limits = c_chart_limits(expected, sigma)
        direction = "higher" if current > limits.high else "lower" if current < limits.low else None
        if direction:
            limit = limits.high if direction == "higher" else limits.low
            flags.append(ExceptionFlag(
                measure, month, "previous_12_months", direction, current, expected, None, limit,
                f"{measure}: {current:,} in {_name(year, number)} is "
                f"{'above the upper' if direction == 'higher' else 'below the lower'} control "
                f"limit of {limit:,.1f} around the {expected:,.1f} expected from the previous 12 "
                f"months' average ({limits.method})."))
    return tuple(flags)


def _p_text(p: float) -> str:
    text = format_p_value(p)
    return text if text.startswith("<") else f"= {text}"


def exceptions(series_by_measure: Mapping[str, Mapping[str, int]], month: str, *,
               alpha: float = 0.05, sigma: float = 3.0,
               small_below: int | None = None) -> tuple[ExceptionFlag, ...]:
    """Exceptions for every measure (``{measure: {"YYYY-MM": count}}``) in ``month``.

    See :func:`series_exceptions` for the two checks. Measures keep their input order.

    Examples
    --------
    >>> data = {"Robbery": {"2019-03": 30, "2020-03": 31}, "Burglary": {"2019-03": 80, "2020-03": 40}}
    >>> [f.reason for f in exceptions(data, "2020-03")]  # doctest: +NORMALIZE_WHITESPACE
    ['Burglary: 40 in Mar 2020, down 50.0 % on 80 in Mar 2019, a statistically significant
      decrease (E-test p < 0.001).']
    """
    out: list[ExceptionFlag] = []
    for measure, series in series_by_measure.items():
        out.extend(series_exceptions(measure, series, month, alpha=alpha, sigma=sigma,
                                     small_below=small_below))
    return tuple(out)


#: The pack's CUSUM: tuned to detect a rise of one standard deviation of the in-control
#: monthly count (sqrt(mu0) for a Poisson count), with the decision interval h = 4 standard
#: deviations (Montgomery 2009, s. 9.1.3: k = 0.5 sigma, h = 4 or 5 sigma; for a Poisson count
#: Lucas 1985's k for the shift mu0 -> mu0 + sqrt(mu0) is close to mu0 + 0.5 sqrt(mu0)).
CUSUM_SHIFT_SD = 1.0
CUSUM_H_SD = 4.0


def cusum_exception(measure: str, series: Mapping[str, int], month: str, *,
                    shift_sd: float = CUSUM_SHIFT_SD, h_sd: float = CUSUM_H_SD
                    ) -> ExceptionFlag | None:
    """A sustained rise in a monthly series ending in ``month``, found by the upper Poisson
    CUSUM (:func:`cusum`): the in-control mean ``mu0`` is the mean of the 12 months before the
    12 months ending in ``month``; those 12 months are monitored with
    ``k = poisson_cusum_k(mu0, mu0 + shift_sd sqrt(mu0))`` and ``h = h_sd sqrt(mu0)``.
    Flagged when the CUSUM is at or above ``h`` in ``month`` itself (the rise is still on).
    None when any of the 24 months is missing, the baseline is zero, or there is no signal.

    A CUSUM adds up small excesses month after month, so it finds a rise that no single
    month's control limit would (Lucas 1985).

    Examples
    --------
    >>> months = [f"{y}-{m:02d}" for y in (2019, 2020) for m in range(1, 13)]
    >>> flat = dict(zip(months, [100, 96, 104, 99, 101, 100, 98, 102, 100, 97, 103, 100] * 2))
    >>> cusum_exception("Burglary", flat, "2020-12") is None
    True
    >>> rising = dict(flat, **{m: 112 for m in months[-6:]})  # +1.2 sd for six months
    >>> flag = cusum_exception("Burglary", rising, "2020-12")
    >>> flag.kind, flag.direction, round(flag.reference, 1)
    ('cusum', 'higher', 100.0)
    """
    year, number = _month_key(month)
    watched = [_shift(year, number, -i) for i in range(11, -1, -1)]
    baseline = [_shift(year, number, -i) for i in range(23, 11, -1)]
    keys = [f"{y:04d}-{m:02d}" for y, m in baseline + watched]
    if not all(key in series for key in keys):
        return None
    mu0 = sum(int(series[k]) for k in keys[:12]) / 12.0
    if mu0 <= 0:
        return None
    sd = math.sqrt(mu0)
    k = poisson_cusum_k(mu0, mu0 + shift_sd * sd)
    h = h_sd * sd
    values = [int(series[key]) for key in keys[12:]]
    run = cusum(values, mu0, k, h)
    if run.values[-1] < h:
        return None
    start = len(values) - 1
    while start > 0 and run.values[start - 1] > 0:
        start -= 1
    months_on = len(values) - start
    excess = sum(values[start:]) - mu0 * months_on
    first = _name(*watched[start])
    return ExceptionFlag(
        measure, month, "cusum", "higher", values[-1], mu0, None, h,
        f"{measure}: a sustained rise. Over the {months_on} months from {first} to "
        f"{_name(year, number)} there were {excess:,.0f} more than the {mu0:,.1f} a month of the "
        f"year before would give; the cumulative sum (CUSUM) of {run.values[-1]:,.1f} is past "
        f"its decision limit of {h:,.1f}, tuned to find a rise of "
        f"{shift_sd:g} standard deviation{'s' if shift_sd != 1 else ''} ({shift_sd * sd:,.1f} a "
        "month).")
