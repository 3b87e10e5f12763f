"""Emerging hot spots: Gi* per period per cell, a Mann-Kendall trend per cell, ArcGIS's classes.

Each period's points are counted on one grid (the cells of :func:`hotspots.grid_counts` over all
periods' points, so a cell is the same place in every period) and :func:`hotspots.gi_star` gives
each cell a z-score and a hot/cold/neither status per period. This is Gi* per period on space
only (ArcGIS's space-time cube also lets neighbouring time steps into each bin's neighbourhood).

The trend in each cell's series of Gi* z-scores is the Mann-Kendall test (as ArcGIS: "the
Mann-Kendall trend test is performed on every location ... as an independent bin time-series
test"), written out below because SciPy has no Mann-Kendall with the tie-corrected variance;
the tests check it against ``pymannkendall`` and ``scipy.stats.kendalltau``:

``S = sum_{i<j} sign(x_j - x_i)``,
``Var(S) = [n(n-1)(2n+5) - sum_g t_g(t_g-1)(2t_g+5)] / 18`` (``t_g`` the size of tie group g),
``Z = (S - 1)/sqrt(Var S)`` if S > 0, ``(S + 1)/sqrt(Var S)`` if S < 0, else 0; two-sided
``p = 2 Phi(-|Z|)``.

The classes, as ArcGIS Pro documents them ("How Emerging Hot Spot Analysis works"); "hot" means a
statistically significant hot spot in that period, "90 %" means at least 90 % of the periods:

- **new**: hot in the final period and never hot before;
- **consecutive**: a single uninterrupted run of at least two hot periods ending in the final
  period, never hot before the run, and less than 90 % of periods hot;
- **intensifying**: hot in 90 % of periods including the final one, and the z-scores have a
  significant increasing trend;
- **persistent**: hot in 90 % of periods with no significant trend;
- **diminishing**: hot in 90 % of periods including the final one, with a significant
  decreasing trend;
- **sporadic**: hot in the final period, on-again off-again before, less than 90 % hot, never
  cold;
- **oscillating**: hot in the final period, cold in some earlier period, less than 90 % hot;
- **historical**: not hot in the final period, but hot in at least 90 % of periods;
- **no pattern**: none of these.

The cold classes are the same rules with hot and cold swapped and the trend's direction reversed
(an intensifying cold spot's z-scores fall significantly). Where two rules could both hold the
classes are tried in the order listed (ArcGIS's order), so a cell cold once and then hot only in
the final period is *new*, not oscillating; and a cell hot in 90 % of periods but not in the
final one is *historical* (ArcGIS's persistent, intensifying and diminishing cells are hot in the
final period in all of its examples).

References
----------
Esri, ArcGIS Pro, "How Emerging Hot Spot Analysis works" (Space Time Pattern Mining toolbox).
Mann H.B. (1945) *Econometrica* 13:245-259. Kendall M.G. (1975) *Rank Correlation Methods*.
Hussain M. & Mahmud I. (2019) pyMannKendall, *JOSS* 4(39):1556.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np
from scipy.special import ndtr

from ..errors import AssessmentError
from .hotspots import gi_star, grid_counts

__all__ = ["MannKendall", "mann_kendall", "classify", "EmergingCell", "EmergingHotspots",
           "emerging_hotspots", "HOT_CLASSES", "COLD_CLASSES", "NO_PATTERN"]

_KINDS = ("new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic",
          "oscillating", "historical")
HOT_CLASSES = tuple(f"{k} hot spot" for k in _KINDS)
COLD_CLASSES = tuple(f"{k} cold spot" for k in _KINDS)
NO_PATTERN = "no pattern detected"
#: the share of periods that makes a cell persistent, intensifying, diminishing or historical
MOST = 0.9


@dataclass(frozen=True)
class MannKendall:
    """Mann-Kendall trend test of one series: S, its tie-corrected variance, Z and two-sided p."""

    s: int
    var_s: float
    z: float
    p: float

    def trend(self, alpha: float = 0.05) -> str:
        """'increasing', 'decreasing' or 'no trend' at significance ``alpha``."""
        if self.p < alpha and self.s != 0:
            return "increasing" if self.s > 0 else "decreasing"
        return "no trend"


def mann_kendall(values: Sequence[float]) -> MannKendall:
    """The Mann-Kendall test with the tie correction (formula in the module docstring).

    Examples
    --------
    >>> r = mann_kendall([1, 2, 3, 4, 5])  # every pair rises: S = 10, Var S = 5*4*15/18
    >>> r.s, round(r.var_s, 4), round(r.z, 4), round(r.p, 4)
    (10, 16.6667, 2.2045, 0.0275)
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 2 or not np.all(np.isfinite(x)):
        raise AssessmentError(f"A Mann-Kendall trend needs at least two finite values; got {n}.",
                              fix="Pass one finite value per period, for example [1.2, 0.4, 2.1].")
    i, j = np.triu_indices(n, 1)
    s = int(np.sign(x[j] - x[i]).sum())
    ties = [t for t in Counter(x.tolist()).values() if t > 1]
    var_s = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    if var_s <= 0:  # every value equal: no trend can be seen
        return MannKendall(s=s, var_s=0.0, z=0.0, p=1.0)
    z = (s - 1) / math.sqrt(var_s) if s > 0 else (s + 1) / math.sqrt(var_s) if s < 0 else 0.0
    return MannKendall(s=s, var_s=float(var_s), z=float(z), p=float(2 * ndtr(-abs(z))))


def classify(status: Sequence[str], z: Sequence[float | None], trend_alpha: float = 0.05) -> str:
    """ArcGIS's emerging hot spot class of one cell from its per-period status and Gi* z-scores.

    ``status`` is 'hot', 'cold' or '' per period, oldest first; ``z`` the Gi* z-scores (None when
    a period's z could not exist, taken as 0 for the trend). The rules are in the module docstring.

    Examples
    --------
    >>> classify(['', '', '', 'hot'], [0, 0.1, 0, 3])
    'new hot spot'
    >>> classify(['cold', 'cold', '', ''], [-3, -3, 0, 0])
    'no pattern detected'
    """
    if len(status) != len(z) or not status:
        raise AssessmentError("Each period needs one status and one z-score.",
                              fix="Pass equal-length lists, for example (['hot'], [2.7]).")
    zs = [0.0 if v is None else float(v) for v in z]
    for mark, other, sign, classes in (("hot", "cold", 1, HOT_CLASSES),
                                      ("cold", "hot", -1, COLD_CLASSES)):
        found = _classify_one([s == mark for s in status], [s == other for s in status],
                              [sign * v for v in zs], trend_alpha)
        if found is not None:
            return classes[_KINDS.index(found)]
    return NO_PATTERN


def _classify_one(hot: list[bool], cold: list[bool], z: list[float],
                  trend_alpha: float) -> str | None:
    n = len(hot)
    share = sum(hot) / n
    final = hot[-1]
    # the last run of hot periods ending at the final one
    run = 0
    while run < n and hot[n - 1 - run]:
        run += 1
    hot_before_run = any(hot[: n - run])
    if final and run == 1 and not hot_before_run:
        return "new"
    if final and run >= 2 and not hot_before_run and share < MOST:
        return "consecutive"
    if share >= MOST and final:
        trend = mann_kendall(z).trend(trend_alpha) if n >= 2 else "no trend"
        return {"increasing": "intensifying", "decreasing": "diminishing"}.get(trend, "persistent")
    if final and share < MOST and not any(cold):
        return "sporadic"
    if final and share < MOST and any(cold):
        return "oscillating"
    if not final and share >= MOST:
        return "historical"
    return None


@dataclass(frozen=True)
class EmergingCell:
    """One cell's series (oldest period first) and its class."""

    x: float
    y: float
    counts: tuple[float, ...]
    z: tuple[float | None, ...]
    status: tuple[str, ...]
    trend_z: float
    trend_p: float
    category: str


@dataclass(frozen=True)
class EmergingHotspots:
    """Emerging hot spot analysis of one crime type over ``periods`` (labels, oldest first)."""

    periods: tuple[str, ...]
    cell_size: float
    cells: tuple[EmergingCell, ...]

    def by_category(self) -> dict[str, int]:
        """How many cells fall in each class (classes with none left out)."""
        return dict(Counter(c.category for c in self.cells))


def emerging_hotspots(easting: Sequence[float], northing: Sequence[float],
                      period: Sequence[str], periods: Sequence[str], *,
                      cell_size: float | None = None, alpha: float = 0.05,
                      trend_alpha: float = 0.05) -> EmergingHotspots:
    """Gi* per period on one grid, a Mann-Kendall trend of each cell's z-scores, and its class.

    ``period`` gives each point's period label (e.g. '2020-03'); ``periods`` lists every period
    in order, oldest first, including any with no points (a cell is then 'neither' there). A cell
    is hot (cold) in a period when Gi*'s two-sided p is below ``alpha`` with z > 0 (z < 0).
    """
    order = {p: k for k, p in enumerate(periods)}
    if len(periods) < 2 or len(order) != len(periods):
        raise AssessmentError("Emerging hot spots need at least two distinct periods.",
                              fix="Pass the periods in order, for example "
                                  "['2020-01', '2020-02', '2020-03'].")
    e = np.asarray(easting, dtype=float)
    nn = np.asarray(northing, dtype=float)
    unknown = sorted({p for p in period if p not in order})
    if unknown:
        raise AssessmentError(f"Points fall in periods not listed: {', '.join(unknown[:3])}.",
                              fix="List every period the points fall in.")
    grid = grid_counts(e, nn, cell_size)
    index = {(c, r): k for k, (c, r) in enumerate(zip(grid.col, grid.row))}
    finite = np.isfinite(e) & np.isfinite(nn)
    cols = np.floor(e[finite] / grid.cell_size).astype(np.int64)
    rows = np.floor(nn[finite] / grid.cell_size).astype(np.int64)
    cell_of = np.array([index[(c, r)] for c, r in zip(cols, rows)], dtype=np.int64)
    period_of = np.array([order[p] for p, ok in zip(period, finite) if ok], dtype=np.int64)
    counts = np.zeros((len(periods), len(grid.counts)))
    np.add.at(counts, (period_of, cell_of), 1.0)
    results = [gi_star(replace(grid, counts=tuple(counts[k].tolist()))) for k in range(len(periods))]
    cells = []
    for i in range(len(grid.counts)):
        z = tuple(res[i].z for res in results)
        status = tuple(_status(res[i].z, res[i].p, alpha) for res in results)
        mk = mann_kendall([0.0 if v is None else v for v in z])
        cells.append(EmergingCell(x=grid.x[i], y=grid.y[i], counts=tuple(counts[:, i].tolist()),
                                  z=z, status=status, trend_z=mk.z, trend_p=mk.p,
                                  category=classify(status, z, trend_alpha)))
    return EmergingHotspots(periods=tuple(periods), cell_size=grid.cell_size, cells=tuple(cells))


def _status(z: float | None, p: float | None, alpha: float) -> str:
    if z is None or p is None or p >= alpha:
        return ""
    return "hot" if z > 0 else "cold"

