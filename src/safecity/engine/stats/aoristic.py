"""Aoristic weighting over the hour of the week (Ratcliffe 2002), vectorised with numpy.

An offence known only to lie between ``committed_from`` and ``committed_to`` (a burglary while
the owner was away) gives an equal share of its one unit to every clock hour its window touches.
The window's end is exclusive when it falls exactly on the hour (18:00-20:00 touches 18 and 19);
a window of zero length (from = to, or no ``to``) puts the whole unit in its hour. Profiles are
7 x 24, Monday first.

Windows longer than the ``aoristic_max_span_hours`` setting (168, one week) are **excluded** and
counted, not spread: a window of a week or more touches every hour of the week nearly equally, so
spreading it only flattens the profile towards a constant and hides the pattern of the
well-timed offences. Windows that end before they start are excluded as invalid and counted.

No maintained Python package computes aoristic weights (the R ``aoristic`` package is the usual
reference), hence this module.

References
----------
Ratcliffe J.H. (2002) Aoristic signatures and the spatio-temporal analysis of high volume crime
patterns. *J Quant Criminol* 18(1):23-43.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import settings
from ..errors import AssessmentError

__all__ = ["AoristicProfile", "hour_of_week_profile", "share_in_hours", "WEEKDAYS"]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_IN_WEEK = 168
_EPOCH_MONDAY_OFFSET = 3 * 24  # 1970-01-01 was a Thursday: Monday 00:00 is 72 hours earlier


@dataclass(frozen=True)
class AoristicProfile:
    """Expected offences by weekday (rows, Monday first) and hour (columns, 0-23).

    ``total`` equals ``used``: each offence used contributes exactly one unit.
    """

    weights: tuple[tuple[float, ...], ...]
    used: int
    excluded_long: int
    excluded_invalid: int
    missing: int
    max_span_hours: int

    @property
    def total(self) -> float:
        return float(sum(map(sum, self.weights)))


def _hours(values) -> tuple[np.ndarray, np.ndarray]:
    """Whole hours since the epoch (floor) and whether the instant is exactly on the hour."""
    stamps = np.asarray(values, dtype="datetime64[s]")
    seconds = stamps.astype("int64")
    missing = np.isnat(stamps)
    return np.floor_divide(seconds, 3600), (seconds % 3600 == 0) & ~missing


def _windows(committed_from, committed_to, max_span_hours):
    start = np.asarray(committed_from, dtype="datetime64[s]")
    end = start if committed_to is None else np.asarray(committed_to, dtype="datetime64[s]")
    if start.shape != end.shape or start.ndim != 1:
        raise AssessmentError("Aoristic weights need one committed_from and committed_to per "
                              "offence.", fix="Pass two arrays of equal length, for example "
                              "[2020-03-06T18:00] and [2020-03-06T20:00].")
    missing = np.isnat(start)
    end = np.where(np.isnat(end), start, end)  # no end: a point in time
    invalid = ~missing & (end < start)
    first, _ = _hours(start)
    last, on_hour = _hours(end)
    # an end exactly on the hour closes the previous hour, unless the window has no length
    last = np.where(on_hour & (end > start), last - 1, last)
    span = last - first + 1
    cap = settings.get("aoristic_max_span_hours") if max_span_hours is None else max_span_hours
    if cap <= 0:
        raise AssessmentError(f"An aoristic span cap of {cap} hours is not possible.",
                              fix="Use a positive number of hours, for example 168.")
    long = ~missing & ~invalid & (span > cap)
    use = ~missing & ~invalid & ~long
    return first[use], span[use], use, int(missing.sum()), int(invalid.sum()), int(long.sum()), cap


def hour_of_week_profile(committed_from: Sequence, committed_to: Sequence | None = None, *,
                         max_span_hours: int | None = None) -> AoristicProfile:
    """Aoristic hour-of-week profile: each offence adds ``1/n`` to each of the ``n`` hours touched.

    Examples
    --------
    >>> f = np.array(["2020-03-06T18:30", "2020-03-07T02:00", "2020-03-09T09:00"], "datetime64[s]")
    >>> t = np.array(["2020-03-06T20:15", "2020-03-07T02:00", "2020-03-20T09:00"], "datetime64[s]")
    >>> p = hour_of_week_profile(f, t)
    >>> [round(v, 3) for v in p.weights[4][18:21]], p.weights[5][2], p.used, p.excluded_long
    ([0.333, 0.333, 0.333], 1.0, 2, 1)
    """
    first, span, _, missing, invalid, long, cap = _windows(committed_from, committed_to,
                                                           max_span_hours)
    share = 1.0 / span
    start = (first + _EPOCH_MONDAY_OFFSET) % HOURS_IN_WEEK
    full_weeks, rest = np.divmod(span, HOURS_IN_WEEK)
    # spread by a difference array over two laps of the week, so ranges that wrap past Sunday
    # 23:00 need no special case; every hour also gets full_weeks shares
    diff = np.zeros(2 * HOURS_IN_WEEK + 1)
    np.add.at(diff, start, share)
    np.add.at(diff, start + rest, -share)
    laps = np.cumsum(diff)[:2 * HOURS_IN_WEEK]
    week = laps[:HOURS_IN_WEEK] + laps[HOURS_IN_WEEK:] + float(np.sum(full_weeks * share))
    grid = week.reshape(7, 24)
    return AoristicProfile(weights=tuple(tuple(float(v) for v in row) for row in grid),
                           used=int(len(first)), excluded_long=long, excluded_invalid=invalid,
                           missing=missing, max_span_hours=int(cap))


def share_in_hours(committed_from: Sequence, committed_to: Sequence | None, hours: np.ndarray, *,
                   max_span_hours: int | None = None) -> np.ndarray:
    """Each offence's aoristic probability of falling in the marked hours of the week.

    ``hours`` is a 7 x 24 boolean mask (Monday first), e.g. Friday and Saturday nights for the
    night-time economy. The result, one weight per offence (``NaN`` for excluded ones), can
    weight :func:`~safecity.engine.stats.hotspots.grid_counts`.

    Examples
    --------
    >>> nights = np.zeros((7, 24), bool); nights[4:6, 20:24] = True  # Fri and Sat 20:00-24:00
    >>> f = np.array(["2020-03-06T18:00", "2020-03-09T09:00"], "datetime64[s]")
    >>> t = np.array(["2020-03-06T22:00", "2020-03-09T10:00"], "datetime64[s]")
    >>> share_in_hours(f, t, nights).tolist()
    [0.5, 0.0]
    """
    mask = np.asarray(hours, dtype=bool)
    if mask.shape != (7, 24):
        raise AssessmentError(f"The hours mask has shape {mask.shape}, not 7 x 24.",
                              fix="Pass a 7 x 24 boolean array, Monday first, for example "
                                  "numpy.zeros((7, 24), bool).")
    first, span, used, *_ = _windows(committed_from, committed_to, max_span_hours)
    out = np.full(used.shape, np.nan)
    flat = mask.reshape(-1).astype(float)
    cumulative = np.concatenate([[0.0], np.cumsum(np.concatenate([flat, flat]))])
    start = (first + _EPOCH_MONDAY_OFFSET) % HOURS_IN_WEEK
    full_weeks, rest = np.divmod(span, HOURS_IN_WEEK)
    hits = full_weeks * flat.sum() + cumulative[start + rest] - cumulative[start]
    out[used] = hits / span
    return out

