"""Getis-Ord Gi* hotspots on a square grid in British National Grid metres (esda ``G_Local``).

Counts (or weights, e.g. aoristic or harm) are binned into square cells; the study area is the
cells whose centre lies inside the convex hull of the points, plus every cell holding a point.
Neighbours are queen contiguity (the 8 adjacent cells) with the cell itself (Gi*), binary
weights, as in sfhotspot ``hotspot_gistar``. The z-score is esda's analytic ``Zs``:

``G*_i = (sum_j w_ij x_j - xbar sum_j w_ij) / (S sqrt((n sum_j w_ij^2 - (sum_j w_ij)^2) / (n - 1)))``

with ``xbar`` and ``S`` the mean and (population) standard deviation of all cells, ``w_ii = 1``.
The p-value is two-sided, ``2 Phi(-|z|)``; optionally Benjamini-Hochberg adjusted (``scipy.stats.false_discovery_control``).
Cells are classed hot or cold at 99, 95 or 90 % (p < 0.01, 0.05, 0.10).

Cell size. The ``hotspot_cell_size`` setting defaults to 250 m. sfhotspot's rule (50 cells on the
shorter side of the bounding box, rounded down to a multiple of 100 m; setting 0) gives 100 m for
Southampton (10.9 x 8.6 km): about 7,000 cells, most holding 0-2 of a year's crimes and many
driven by one data.police.uk snap point, where Gi*'s normal approximation is poor and a month's
pack would be mostly empty cells. 250 m gives about 35 cells across the shorter side, roughly 20
crimes per cell-year for a city of 30,000 crimes, and a 750 m neighbourhood (3 x 3 cells), a
walkable patch that matches how patrol areas are drawn.

References
----------
Getis A. & Ord J.K. (1992) The analysis of spatial association by use of distance statistics.
*Geographical Analysis* 24:189-206. Ord J.K. & Getis A. (1995) *Geographical Analysis*
27:286-306. Ashby M. (2023) sfhotspot, ``hotspot_gistar``. Benjamini Y. & Hochberg Y. (1995)
*JRSS B* 57:289-300.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.special import ndtr  # the normal CDF; scipy.stats itself costs ~0.7 s to import

from .. import settings
from ..errors import AssessmentError
from . import gi_worker

__all__ = ["Grid", "HotspotCell", "grid_counts", "cell_index", "gi_star", "grid_weights",
           "sfhotspot_cell_size",
           "LEVELS"]

#: (p below, confidence label) from the strictest down.
LEVELS = ((0.01, "99%"), (0.05, "95%"), (0.10, "90%"))
NOT_SIGNIFICANT = "not significant"


@dataclass(frozen=True)
class Grid:
    """Square cells of the study area; ``x``/``y`` are cell centres (BNG metres)."""

    cell_size: float
    x: tuple[float, ...]
    y: tuple[float, ...]
    col: tuple[int, ...]
    row: tuple[int, ...]
    counts: tuple[float, ...]
    points: int  # points binned
    dropped: int  # points without finite coordinates


@dataclass(frozen=True)
class HotspotCell:
    """One cell's Gi* result. ``p`` is two-sided; ``p_adjusted`` is set when FDR was applied."""

    x: float
    y: float
    count: float
    z: float | None
    p: float | None
    label: str
    p_adjusted: float | None = None


def sfhotspot_cell_size(easting: Sequence[float], northing: Sequence[float]) -> float:
    """sfhotspot's default: 50 cells on the bounding box's shorter side, floored to 100 m.

    ``floor(min(width, height) / 50 / 100) * 100``, or ``min(width, height) / 50`` if that is 0.

    Examples
    --------
    >>> sfhotspot_cell_size([436_803, 447_711], [109_082, 117_634])  # Southampton's extent
    100.0
    """
    e = np.asarray(easting, dtype=float)
    n = np.asarray(northing, dtype=float)
    side = min(np.ptp(e), np.ptp(n))
    size = math.floor(side / 50 / 100) * 100
    return float(size if size > 0 else side / 50)


def grid_counts(easting: Sequence[float], northing: Sequence[float],
                cell_size: float | None = None, weights: Sequence[float] | None = None) -> Grid:
    """Bin points into square cells aligned to multiples of ``cell_size`` (stable across years).

    ``cell_size`` defaults to the ``hotspot_cell_size`` setting (250 m; 0 means
    :func:`sfhotspot_cell_size`). ``weights`` (e.g. aoristic or harm) are summed instead of
    counting 1 per point. Points without finite coordinates are dropped and counted.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> g = grid_counts(rng.uniform(0, 1000, 200), rng.uniform(0, 1000, 200), cell_size=250)
    >>> len(g.counts), sum(g.counts), g.x[0], g.y[0]
    (16, 200.0, 125.0, 125.0)
    """
    e = np.asarray(easting, dtype=float)
    n = np.asarray(northing, dtype=float)
    w = np.ones_like(e) if weights is None else np.asarray(weights, dtype=float)
    if e.shape != n.shape or e.shape != w.shape:
        raise AssessmentError("Hotspot grids need one easting, northing (and weight) per point.",
                              fix="Pass arrays of equal length, for example ([437100], [112300]).")
    finite = np.isfinite(e) & np.isfinite(n) & np.isfinite(w)
    e, n, w = e[finite], n[finite], w[finite]
    if len(e) == 0:
        raise AssessmentError("No point has coordinates, so there is nothing to grid.",
                              fix="Load crimes with eastings and northings (BNG metres), "
                                  "for example 437100, 112300.")
    if cell_size is None:
        cell_size = settings.get("hotspot_cell_size")
    if not cell_size:
        cell_size = sfhotspot_cell_size(e, n)
    if cell_size <= 0:
        raise AssessmentError(f"A cell size of {cell_size} m is not possible.",
                              fix="Use a positive number of metres, for example 250.")
    col, row = cell_index(e, n, cell_size)
    c0, r0 = col.min(), row.min()
    ncols, nrows = col.max() - c0 + 1, row.max() - r0 + 1
    sums = np.zeros(ncols * nrows)
    np.add.at(sums, (row - r0) * ncols + (col - c0), w)
    occupied = np.zeros(ncols * nrows, dtype=bool)
    occupied[(row - r0) * ncols + (col - c0)] = True
    all_cols = np.tile(np.arange(ncols), nrows) + c0
    all_rows = np.repeat(np.arange(nrows), ncols) + r0
    cx, cy = (all_cols + 0.5) * cell_size, (all_rows + 0.5) * cell_size
    keep = occupied | _inside_hull(np.column_stack([e, n]), np.column_stack([cx, cy]))
    as_tuple = lambda a, kind=float: tuple(kind(v) for v in a)  # noqa: E731
    return Grid(cell_size=float(cell_size), x=as_tuple(cx[keep]), y=as_tuple(cy[keep]),
                col=as_tuple(all_cols[keep], int), row=as_tuple(all_rows[keep], int),
                counts=as_tuple(sums[keep]), points=int(len(e)), dropped=int((~finite).sum()))


def cell_index(easting, northing, cell_size: float) -> tuple[np.ndarray, np.ndarray]:
    """(column, row) of the grid cell holding each point: cells are aligned to multiples of
    ``cell_size`` (the rule :func:`grid_counts` bins by, so a point can be matched to its cell).

    >>> [a.tolist() for a in cell_index([125.0, 260.0], [10.0, 500.0], 250)]
    [[0, 1], [0, 2]]
    """
    e = np.asarray(easting, dtype=float)
    n = np.asarray(northing, dtype=float)
    return (np.floor(e / cell_size).astype(np.int64), np.floor(n / cell_size).astype(np.int64))


def _inside_hull(points: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Whether each query point lies in the convex hull of ``points`` (edges included).

    The hull has a few dozen vertices however many points there are, so each query is tested
    against the hull's facet half-planes (``normal . q + offset <= 0``) instead of locating it
    in a triangulation of every point, which took seconds for a city's year of crime.
    """
    from scipy.spatial import ConvexHull, QhullError

    if len(points) < 3:
        return np.ones(len(query), dtype=bool)  # no area to speak of: keep the bounding box
    try:
        facets = ConvexHull(points).equations  # rows (a, b, c) with unit normal (a, b)
    except QhullError:  # fewer than 3 distinct or collinear points: keep the bounding box
        return np.ones(len(query), dtype=bool)
    # a relative tolerance so cell centres exactly on an edge count as inside, as they did
    # with Delaunay.find_simplex
    tol = 1e-9 * max(1.0, float(np.abs(points).max()))
    return np.all(query @ facets[:, :2].T + facets[:, 2] <= tol, axis=1)


def grid_weights(grid: Grid):
    """Queen-contiguity ``libpysal.weights.W`` over the grid's cells (self added by Gi*).

    Examples
    --------
    >>> centres = [125, 375, 625]
    >>> g = grid_counts([x for x in centres for _ in centres], centres * 3, cell_size=250)
    >>> sorted(grid_weights(g).cardinalities.values())  # corners 3, edges 5, the middle 8
    [3, 3, 3, 3, 5, 5, 5, 5, 8]
    """
    from libpysal.weights import W

    return W(_grid_neighbours(grid), silence_warnings=True)


def _grid_neighbours(grid: Grid) -> dict[int, list[int]]:
    """Each cell's queen neighbours among the grid's cells, by position."""
    index = {(c, r): i for i, (c, r) in enumerate(zip(grid.col, grid.row))}
    neighbours = {}
    for i, (c, r) in enumerate(zip(grid.col, grid.row)):
        neighbours[i] = [index[(c + dc, r + dr)] for dc in (-1, 0, 1) for dr in (-1, 0, 1)
                         if (dc or dr) and (c + dc, r + dr) in index]
    return neighbours


def _label(z: float | None, p: float | None) -> str:
    if z is None or p is None:
        return NOT_SIGNIFICANT
    for cut, level in LEVELS:
        if p < cut:
            return f"{'hot' if z > 0 else 'cold'} ({level})"
    return NOT_SIGNIFICANT


def gi_star(data, points: Sequence[tuple[float, float]] | None = None, weights=None, *,
            fdr: bool = False) -> tuple[HotspotCell, ...]:
    """Getis-Ord Gi* for each cell of a :class:`Grid`, or for explicit values, points and weights.

    ``gi_star(grid)`` uses :func:`grid_weights`. ``gi_star(values, points, w)`` (or one tuple of
    the three) takes any ``libpysal`` weights. esda ``G_Local(star=True, transform='B',
    permutations=0)`` supplies the analytic z; ``p = 2 Phi(-|z|)``; ``fdr=True`` classes cells by
    Benjamini-Hochberg adjusted p. A cell whose z cannot exist (all values equal) gets ``None``.

    Examples
    --------
    >>> from libpysal.weights import DistanceBand
    >>> pts = [(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
    >>> w = DistanceBand(pts, threshold=15)
    >>> cells = gi_star([2, 3, 3.2, 5, 8, 7], pts, w)
    >>> [round(c.z, 4) for c in cells]
    [-1.3973, -0.2892, 0.6506, -0.2892, 1.2345, 2.0242]
    >>> cells[5].label
    'hot (95%)'
    """
    if isinstance(data, tuple) and len(data) == 3 and points is None and weights is None:
        data, points, weights = data
    neighbours = None
    if isinstance(data, Grid):
        values = np.asarray(data.counts, dtype=float)
        xy = np.column_stack([data.x, data.y])
        if weights is None:  # plain lists, which a helper process can take (stats/gi_worker.py)
            neighbours = _grid_neighbours(data)
    else:
        values = np.asarray(data, dtype=float)
        if points is None or weights is None:
            raise AssessmentError("Gi* on explicit values needs their points and weights.",
                                  fix="Call gi_star(values, points, w), for example with "
                                      "w = libpysal.weights.DistanceBand(points, threshold=15).")
        xy = np.asarray(points, dtype=float)
    cells_weighted = len(neighbours) if neighbours is not None else weights.n
    if len(values) != len(xy) or len(values) != cells_weighted:
        raise AssessmentError(f"Gi* got {len(values)} values, {len(xy)} points and weights for "
                              f"{cells_weighted} cells.",
                              fix="Pass one value and one point per cell.")
    if len(values) < 3 or np.ptp(values) == 0:
        z = np.full(len(values), np.nan)  # no variation: no z-score exists
    elif neighbours is not None:
        z = gi_worker.z_scores(values, neighbours)
    else:
        import warnings

        from esda.getisord import G_Local

        with warnings.catch_warnings():
            # esda warns when libpysal weights have islands; a lone cell still has itself
            warnings.simplefilter("ignore")
            z = np.asarray(G_Local(values, weights, transform="B", star=True,
                                   permutations=0).Zs, dtype=float)
    finite = np.isfinite(z)
    p = np.full(len(z), np.nan)
    p[finite] = 2 * ndtr(-np.abs(z[finite]))  # 2 Phi(-|z|)
    adjusted = np.full(len(z), np.nan)
    if fdr and finite.any():
        from scipy.stats import false_discovery_control  # Benjamini-Hochberg adjusted p

        adjusted[finite] = false_discovery_control(p[finite], method="bh")
    cells = []
    for i in range(len(values)):
        zi = float(z[i]) if finite[i] else None
        pi = float(p[i]) if finite[i] else None
        pa = float(adjusted[i]) if fdr and finite[i] else None
        cells.append(HotspotCell(x=float(xy[i, 0]), y=float(xy[i, 1]), count=float(values[i]),
                                 z=zi, p=pi, label=_label(zi, pa if fdr else pi), p_adjusted=pa))
    return tuple(cells)
