"""Gi* hotspots: esda's docstring anchor (methods.md s. 8) and the s. 4.4 formula in numpy."""

import numpy as np
import pytest
from libpysal.weights import DistanceBand
from scipy import stats

from safecity.engine.errors import AssessmentError
from safecity.engine.stats import hotspots

ANCHOR_POINTS = [(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
ANCHOR_Y = [2, 3, 3.2, 5, 8, 7]
ANCHOR_Z = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]


def test_gi_star_reproduces_the_esda_docstring_anchor():
    w = DistanceBand(ANCHOR_POINTS, threshold=15, silence_warnings=True)
    cells = hotspots.gi_star(ANCHOR_Y, ANCHOR_POINTS, w)
    assert [c.z for c in cells] == pytest.approx(ANCHOR_Z, abs=1e-7)
    assert [(c.x, c.y) for c in cells] == [tuple(map(float, p)) for p in ANCHOR_POINTS]


def test_gi_star_accepts_values_points_and_weights_as_one_tuple():
    w = DistanceBand(ANCHOR_POINTS, threshold=15, silence_warnings=True)
    cells = hotspots.gi_star((ANCHOR_Y, ANCHOR_POINTS, w))
    assert cells[5].z == pytest.approx(2.02424331, abs=1e-7)
    # two-sided p: 2 * (1 - Phi(2.024)) = 0.0429, hot at 95 %
    assert cells[5].p == pytest.approx(0.04295, abs=1e-4)
    assert cells[5].label == "hot (95%)"
    assert cells[0].label == "not significant"


def _gi_star_numpy(values, cols, rows):
    # methods.md 4.4 written out: queen contiguity with w_ii = 1, binary weights
    x = np.asarray(values, float)
    cols, rows = np.asarray(cols), np.asarray(rows)
    w = ((np.abs(cols[:, None] - cols[None, :]) <= 1)
         & (np.abs(rows[:, None] - rows[None, :]) <= 1)).astype(float)
    n = len(x)
    xbar = x.sum() / n
    s = np.sqrt((x**2).sum() / n - xbar**2)
    wsum = w.sum(axis=1)
    num = w @ x - xbar * wsum
    den = s * np.sqrt((n * (w**2).sum(axis=1) - wsum**2) / (n - 1))
    return num / den


def _clustered_points(seed=5):
    rng = np.random.default_rng(seed)
    background = rng.uniform([436_000, 109_000], [441_000, 113_000], size=(900, 2))
    cluster = rng.normal([438_600, 111_100], 150, size=(250, 2))
    return np.vstack([background, cluster])


def test_grid_gi_star_matches_the_formula_written_in_numpy():
    pts = _clustered_points()
    grid = hotspots.grid_counts(pts[:, 0], pts[:, 1], cell_size=250)
    cells = hotspots.gi_star(grid)
    expected = _gi_star_numpy(grid.counts, grid.col, grid.row)
    assert [c.z for c in cells] == pytest.approx(list(expected), rel=1e-9, abs=1e-9)
    assert [c.p for c in cells] == pytest.approx(list(2 * stats.norm.sf(np.abs(expected))))


def test_a_planted_cluster_is_found_hot_and_nowhere_far_from_it():
    pts = _clustered_points()
    cells = hotspots.gi_star(hotspots.grid_counts(pts[:, 0], pts[:, 1], cell_size=250))
    hot = [c for c in cells if c.label.startswith("hot (99")]
    assert hot
    centre = min(hot, key=lambda c: -c.z)
    assert abs(centre.x - 438_600) <= 375 and abs(centre.y - 111_100) <= 375
    assert all(np.hypot(c.x - 438_600, c.y - 111_100) < 1_000 for c in hot)


def test_grid_counts_are_aligned_to_the_cell_size_and_sum_to_the_points():
    pts = _clustered_points()
    grid = hotspots.grid_counts(pts[:, 0], pts[:, 1], cell_size=250)
    assert sum(grid.counts) == len(pts) == grid.points
    assert all((x - 125) % 250 == 0 for x in grid.x)
    assert all((y - 125) % 250 == 0 for y in grid.y)
    weighted = hotspots.grid_counts(pts[:, 0], pts[:, 1], cell_size=250,
                                    weights=np.full(len(pts), 0.5))
    assert sum(weighted.counts) == pytest.approx(len(pts) / 2)


def test_the_study_area_is_the_convex_hull_not_the_bounding_box():
    # a right triangle of points: the far corner of its bounding box is outside the area
    rng = np.random.default_rng(2)
    u = rng.uniform(0, 2_000, size=(3_000, 2))
    tri = u[u[:, 0] + u[:, 1] <= 2_000]
    grid = hotspots.grid_counts(tri[:, 0], tri[:, 1], cell_size=250)
    assert (1_875.0, 1_875.0) not in set(zip(grid.x, grid.y))
    assert (125.0, 125.0) in set(zip(grid.x, grid.y))
    assert len(grid.counts) < 64  # the 8 x 8 bounding box


def test_empty_cells_inside_the_area_take_part_as_zeros():
    grid = hotspots.grid_counts([125, 1_125, 125, 1_125, 600], [125, 125, 1_125, 1_125, 600],
                                cell_size=250)
    assert len(grid.counts) == 25 and grid.counts.count(0.0) == 20


def test_cell_size_defaults_to_the_setting_and_zero_means_sfhotspots_rule(monkeypatch):
    pts = _clustered_points()
    assert hotspots.grid_counts(pts[:, 0], pts[:, 1]).cell_size == 250
    monkeypatch.setenv("SAFECITY_HOTSPOT_CELL_SIZE", "0")
    # shorter side about 4,000 m: 4000 / 50 = 80 m, floored to a multiple of 100 gives 0, so 80
    size = hotspots.grid_counts(pts[:, 0], pts[:, 1]).cell_size
    assert size == pytest.approx(np.ptp(pts[:, 1]) / 50)
    assert hotspots.sfhotspot_cell_size([0, 10_900], [0, 8_600]) == 100.0
    assert hotspots.sfhotspot_cell_size([0, 30_000], [0, 26_000]) == 500.0


def test_fdr_adjustment_is_benjamini_hochberg():
    pts = _clustered_points()
    cells = hotspots.gi_star(hotspots.grid_counts(pts[:, 0], pts[:, 1], cell_size=250), fdr=True)
    p = np.array([c.p for c in cells])
    order = np.argsort(p)
    m = len(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    bh = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1)
    expected = np.empty(m)
    expected[order] = bh
    assert [c.p_adjusted for c in cells] == pytest.approx(list(expected))
    assert sum(c.label != "not significant" for c in cells) <= sum(c.p < 0.1 for c in cells)


def test_fdr_adjustment_agrees_with_statsmodels():
    """A second implementation: statsmodels' multipletests (method "fdr_bh")."""
    from statsmodels.stats.multitest import multipletests

    pts = _clustered_points()
    cells = hotspots.gi_star(hotspots.grid_counts(pts[:, 0], pts[:, 1], cell_size=250), fdr=True)
    p = np.array([c.p for c in cells])
    assert [c.p_adjusted for c in cells] == pytest.approx(
        list(multipletests(p, method="fdr_bh")[1]), abs=1e-12)


def test_cells_with_no_variation_have_no_z_score():
    grid = hotspots.grid_counts([125, 375, 125, 375], [125, 125, 375, 375], cell_size=250)
    cells = hotspots.gi_star(grid)
    assert all(c.z is None and c.p is None and c.label == "not significant" for c in cells)


def test_points_without_coordinates_are_dropped_and_counted():
    grid = hotspots.grid_counts([125, np.nan, 400], [125, 300, np.nan], cell_size=250)
    assert (grid.points, grid.dropped) == (1, 2)
    with pytest.raises(AssessmentError, match="for example"):
        hotspots.grid_counts([np.nan], [np.nan])


def test_explicit_values_without_weights_get_a_sentence():
    with pytest.raises(AssessmentError, match="DistanceBand"):
        hotspots.gi_star([1, 2, 3])


def test_the_helper_process_gives_the_same_gi_star_as_this_one():
    """`safecity assess` computes Gi* in a forked helper that imported esda meanwhile
    (engine/helper.py): the cells must be exactly those computed here."""
    import os

    from safecity.engine import helper

    rng = np.random.default_rng(7)
    xy = np.vstack([rng.normal(0, 900, (400, 2)), rng.normal(300, 120, (200, 2))])
    grid = hotspots.grid_counts(xy[:, 0], xy[:, 1], cell_size=250)
    here = hotspots.gi_star(grid)
    # a module this process has not imported makes the helper worth starting
    with helper.started("safecity.engine.report.pdf", "json.tool"):
        assert helper.running()
        assert helper.call(os.getpid) != os.getpid()
        there = hotspots.gi_star(grid)
    assert not helper.running()
    assert there == here
    assert any(c.label.startswith("hot") for c in there)
