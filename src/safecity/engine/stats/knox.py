"""Near-repeat analysis: the Knox test with Monte Carlo p-values, and near-repeat alerts.

Every pair of events is placed in a spatial band by the distance between them and a temporal
band by the days between them. Bands are given by their upper limits, each inclusive: spatial
``(0, 100, 200)`` means "same location" (0 m), 1-100 m and 101-200 m (``(0, 0]``, ``(0, 100]``,
``(100, 200]``), as Ratcliffe's Near Repeat Calculator lays them out; temporal ``(7, 14)`` means
0-7 and 8-14 days. Pairs beyond the last band of either kind are not tabulated.

Under the null hypothesis (no space-time interaction) the events' days are exchangeable between
their locations, so the expected table is estimated by permuting the days among the events
``n_iter`` times, keeping locations fixed (Johnson et al. 2007). For each cell of the table:

- **Knox ratio** = observed pairs / mean of the simulated pairs (the NRC's ratio);
- **p** = (number of simulations with at least the observed pairs + 1) / (n_iter + 1), so the
  smallest possible p is 1 / (n_iter + 1).

The exact expectation of a cell is ``N_s M_t / P`` (``N_s`` pairs in spatial band s, ``M_t``
pairs in temporal band t, ``P`` all pairs), because a permutation gives each pair of locations a
uniformly random pair of the days; the tests check the simulated mean against it. Written here
because no packaged Python Knox test exists (the NRC is a Windows program; tobydavies/NearRepeat
and open_cp are unpackaged repositories).

References
----------
Knox G. (1964) *Applied Statistics* 13:25-29. Johnson S.D. et al. (2007) Space-time patterns
of risk: a cross national assessment of residential burglary victimization. *J Quant Criminol*
23:201-219. Ratcliffe J.H. (2009) Near Repeat Calculator v1.3, Temple University.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..errors import AssessmentError

__all__ = ["KnoxResult", "knox_test", "NearRepeatWindow", "near_repeat_window", "Alert",
           "near_repeat_alerts"]


@dataclass(frozen=True)
class KnoxResult:
    """The Knox table: rows are spatial bands, columns temporal bands (upper limits)."""

    space_bands: tuple[float, ...]
    time_bands: tuple[float, ...]
    observed: tuple[tuple[int, ...], ...]
    expected: tuple[tuple[float, ...], ...]  # mean of the simulations
    ratio: tuple[tuple[float | None, ...], ...]  # None where nothing was expected
    p: tuple[tuple[float, ...], ...]
    n_iter: int
    events: int


def _bands(values: np.ndarray, uppers: np.ndarray) -> np.ndarray:
    """Band index per value (upper limits inclusive); len(uppers) when beyond the last."""
    return np.searchsorted(uppers, values, side="left")


def knox_test(x: Sequence[float], y: Sequence[float], day: Sequence[float],
              space_bands: Sequence[float], time_bands: Sequence[float], *,
              n_iter: int = 999, seed: int | None = 0,
              metric: str = "euclidean") -> KnoxResult:
    """The Knox test of events at ``(x, y)`` (metres) on ``day`` (days, e.g. ordinal dates).

    ``metric`` is 'euclidean' or 'manhattan' (the NRC offers both). ``seed`` fixes the
    permutations so a pack is reproducible.

    Examples
    --------
    >>> r = knox_test([0, 50, 1000], [0, 0, 0], [0, 3, 40], (0, 100), (7,), n_iter=99)
    >>> r.observed  # the one pair 50 m and 3 days apart
    ((0,), (1,))
    """
    xy = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    t = np.asarray(day, dtype=float)
    s_up = np.asarray(space_bands, dtype=float)
    t_up = np.asarray(time_bands, dtype=float)
    if len(xy) != len(t):
        raise AssessmentError("The Knox test needs one x, y and day per event.",
                              fix="Pass equal-length lists, for example ([0, 50], [0, 0], [1, 4]).")
    if len(t) < 3 or not (np.all(np.isfinite(xy)) and np.all(np.isfinite(t))):
        raise AssessmentError(f"The Knox test needs at least three events with coordinates and "
                              f"dates; got {len(t)}.",
                              fix="Select burglaries with eastings, northings and dates.")
    for name, up in (("spatial", s_up), ("temporal", t_up)):
        if len(up) == 0 or np.any(np.diff(up) <= 0) or up[0] < 0:
            raise AssessmentError(f"The {name} bands must be increasing upper limits from 0.",
                                  fix="Use for example (0, 100, 200, 300) metres and "
                                      "(7, 14, 21) days.")
    if metric not in ("euclidean", "manhattan"):
        raise AssessmentError(f"Unknown distance {metric!r}.", fix="Use 'euclidean' or 'manhattan'.")
    # only pairs within the last spatial band can enter the table, and locations never move
    from scipy.spatial import cKDTree

    pairs = cKDTree(xy).query_pairs(float(s_up[-1]), p=2 if metric == "euclidean" else 1,
                                    output_type="ndarray")
    i, j = (pairs[:, 0], pairs[:, 1]) if len(pairs) else (np.empty(0, int), np.empty(0, int))
    d = (np.hypot(*(xy[i] - xy[j]).T) if metric == "euclidean"
         else np.abs(xy[i] - xy[j]).sum(axis=1))
    s_band = _bands(d, s_up)
    ns, nt = len(s_up), len(t_up)

    def table(days: np.ndarray) -> np.ndarray:
        t_band = _bands(np.abs(days[i] - days[j]), t_up)
        keep = (s_band < ns) & (t_band < nt)
        return np.bincount(s_band[keep] * nt + t_band[keep], minlength=ns * nt).reshape(ns, nt)

    observed = table(t)
    rng = np.random.default_rng(seed)
    total = np.zeros((ns, nt))
    at_least = np.zeros((ns, nt), dtype=np.int64)
    for _ in range(n_iter):
        sim = table(rng.permutation(t))
        total += sim
        at_least += sim >= observed
    expected = total / n_iter
    ratio = [[float(o / e) if e > 0 else None for o, e in zip(orow, erow)]
             for orow, erow in zip(observed, expected)]
    p = (at_least + 1) / (n_iter + 1)
    return KnoxResult(space_bands=tuple(float(v) for v in s_up),
                      time_bands=tuple(float(v) for v in t_up),
                      observed=tuple(tuple(int(v) for v in row) for row in observed),
                      expected=tuple(tuple(float(v) for v in row) for row in expected),
                      ratio=tuple(tuple(row) for row in ratio),
                      p=tuple(tuple(float(v) for v in row) for row in p),
                      n_iter=n_iter, events=len(t))


@dataclass(frozen=True)
class NearRepeatWindow:
    """How far and for how long risk is raised: the largest spatial and temporal band limits
    of the cells with a Knox ratio above 1 and p below alpha (None when none are)."""

    metres: float | None
    days: float | None


def near_repeat_window(result: KnoxResult, alpha: float = 0.05) -> NearRepeatWindow:
    """The near-repeat window from a Knox table.

    Examples
    --------
    >>> r = KnoxResult((0, 100, 200), (7, 14), ((0, 0), (9, 1), (1, 1)), ((1, 1), (2, 2), (1, 1)),
    ...                ((0, 0), (4.5, 0.5), (1, 1)), ((1, 1), (0.01, 0.9), (0.6, 0.6)), 99, 20)
    >>> near_repeat_window(r)
    NearRepeatWindow(metres=100.0, days=7.0)
    """
    hits = [(s, t) for s in range(len(result.space_bands)) for t in range(len(result.time_bands))
            if result.p[s][t] < alpha and (result.ratio[s][t] or 0) > 1]
    if not hits:
        return NearRepeatWindow(None, None)
    return NearRepeatWindow(metres=float(max(result.space_bands[s] for s, _ in hits)),
                            days=float(max(result.time_bands[t] for _, t in hits)))


@dataclass(frozen=True)
class Alert:
    """A place within the near-repeat window of recent burglaries, until ``until_day``."""

    x: float
    y: float
    burglaries: int  # recent burglaries within the window's distance
    until_day: float  # the last day of raised risk (the latest burglary's day + window days)


def near_repeat_alerts(places: Sequence[tuple[float, float]], x: Sequence[float],
                       y: Sequence[float], day: Sequence[float], today: float,
                       window: NearRepeatWindow) -> tuple[Alert, ...]:
    """Places (cell or LSOA centres, metres) within ``window.metres`` of a burglary in the last
    ``window.days`` days up to ``today``; none when the Knox test found no window.

    Examples
    --------
    >>> near_repeat_alerts([(0, 0), (500, 0)], [50], [0], [98], 100, NearRepeatWindow(100, 14))
    (Alert(x=0.0, y=0.0, burglaries=1, until_day=112.0),)
    """
    if window.metres is None or window.days is None:
        return ()
    t = np.asarray(day, dtype=float)
    recent = (t <= today) & (t >= today - window.days)
    ex, ey, et = (np.asarray(x, dtype=float)[recent], np.asarray(y, dtype=float)[recent],
                  t[recent])
    alerts = []
    for px, py in places:
        near = np.hypot(ex - px, ey - py) <= window.metres
        if near.any():
            alerts.append(Alert(x=float(px), y=float(py), burglaries=int(near.sum()),
                                until_day=float(et[near].max() + window.days)))
    return tuple(alerts)
