"""The Knox test on a worked example counted by hand, its expectation against the closed form,
its Monte Carlo p-values against an exact enumeration of every permutation, and the alerts."""

import itertools
import math

import numpy as np
import pytest

from safecity.engine.errors import AssessmentError
from safecity.engine.stats.knox import (NearRepeatWindow, knox_test, near_repeat_alerts,
                                        near_repeat_window)

# The worked example. Five burglaries (metres, day):
#   A (0, 0) day 0;  B (50, 0) day 3;  C (0, 150) day 10;  D (1000, 0) day 1;  E (1050, 0) day 30
# Spatial bands: same location, 1-100 m, 101-200 m; temporal bands 0-7, 8-14 days.
# The ten pairs:
#   A-B  50 m,  3 days -> 1-100 m, 0-7 days
#   A-C 150 m, 10 days -> 101-200 m, 8-14 days
#   B-C 158 m,  7 days -> 101-200 m, 0-7 days (upper limits are inclusive)
#   D-E  50 m, 29 days -> beyond the temporal bands
#   the other six are more than 200 m apart
# So the observed table is [[0, 0], [1, 0], [1, 1]].
# Expected (exact): N_s pairs per spatial band = (0, 2, 2) of P = 10 pairs; the ten day
# differences are 3, 10, 1, 30, 7, 2, 27, 9, 20, 29, so M_t = (4 in 0-7, 2 in 8-14); the cell
# (s, t) expects N_s M_t / P: [[0, 0], [0.8, 0.4], [0.8, 0.4]].
X = [0, 50, 0, 1000, 1050]
Y = [0, 0, 150, 0, 0]
DAY = [0, 3, 10, 1, 30]
SPACE = (0, 100, 200)
TIME = (7, 14)


def test_worked_example_observed_table():
    r = knox_test(X, Y, DAY, SPACE, TIME, n_iter=99)
    assert r.observed == ((0, 0), (1, 0), (1, 1))
    assert r.events == 5 and r.space_bands == (0.0, 100.0, 200.0) and r.time_bands == (7.0, 14.0)


def test_simulated_mean_converges_to_the_exact_expectation():
    r = knox_test(X, Y, DAY, SPACE, TIME, n_iter=20_000, seed=3)
    exact = [[0, 0], [0.8, 0.4], [0.8, 0.4]]
    assert np.allclose(r.expected, exact, atol=0.03)
    assert r.ratio[0] == (None, None)  # nothing expected at the same location
    assert r.ratio[1][0] == pytest.approx(1 / 0.8, rel=0.05)
    assert r.ratio[2][1] == pytest.approx(1 / 0.4, rel=0.08)


def _exact_tail(x, y, day, s, t):
    """P(pairs in cell (s, t) >= observed) over all 5! permutations of the days, counted by
    brute force over every pair (a second, independent implementation)."""
    def cell_count(days):
        n = 0
        for i, j in itertools.combinations(range(len(x)), 2):
            d = math.dist((x[i], y[i]), (x[j], y[j]))
            dt = abs(days[i] - days[j])
            sb = next((k for k, up in enumerate(SPACE) if d <= up), None)
            tb = next((k for k, up in enumerate(TIME) if dt <= up), None)
            n += (sb, tb) == (s, t)
        return n
    obs = cell_count(day)
    perms = list(itertools.permutations(day))
    return sum(cell_count(p) >= obs for p in perms) / len(perms)


@pytest.mark.parametrize(("s", "t"), [(1, 0), (2, 0), (2, 1)])
def test_monte_carlo_p_matches_the_exact_permutation_p(s, t):
    n_iter = 9_999
    r = knox_test(X, Y, DAY, SPACE, TIME, n_iter=n_iter, seed=11)
    exact = _exact_tail(X, Y, DAY, s, t)
    # binomial standard error of the simulated share is at most 0.005
    assert r.p[s][t] == pytest.approx(exact, abs=0.02)


def test_p_value_bounds():
    n_iter = 199
    r = knox_test(X, Y, DAY, SPACE, TIME, n_iter=n_iter)
    flat = [v for row in r.p for v in row]
    assert all(1 / (n_iter + 1) <= v <= 1 for v in flat)
    assert r.p[0] == (1.0, 1.0)  # nothing observed: every simulation has at least as many


def test_planted_near_repeats_are_found_and_give_the_window():
    # 200 burglaries spread over 5 km and a year, plus 30 follow-ups each 20-80 m and 1-6 days
    # after one of them: the 1-100 m x 0-7 day cell must stand out at the smallest p
    rng = np.random.default_rng(5)
    x, y, t = rng.uniform(0, 5000, 200), rng.uniform(0, 5000, 200), rng.integers(0, 365, 200)
    src = rng.choice(200, 30, replace=False)
    ang = rng.uniform(0, 2 * np.pi, 30)
    dist = rng.uniform(20, 80, 30)
    x = np.concatenate([x, x[src] + dist * np.cos(ang)])
    y = np.concatenate([y, y[src] + dist * np.sin(ang)])
    t = np.concatenate([t, t[src] + rng.integers(1, 7, 30)])
    r = knox_test(x, y, t, (0, 100, 200, 300, 400), (7, 14, 21, 28), n_iter=199)
    assert r.p[1][0] == 1 / 200
    assert r.ratio[1][0] > 3
    window = near_repeat_window(r)
    assert window.metres is not None and window.metres >= 100
    assert window.days is not None and window.days >= 7
    # reproducible: the same seed gives the same table
    assert knox_test(x, y, t, (0, 100, 200, 300, 400), (7, 14, 21, 28), n_iter=199) == r


def test_manhattan_distance_changes_the_band():
    # B-C is 158 m as the crow flies but 200 m along the grid: still 101-200 m (inclusive)
    r = knox_test(X, Y, DAY, SPACE, TIME, n_iter=9, metric="manhattan")
    assert r.observed == ((0, 0), (1, 0), (1, 1))
    r = knox_test(X, Y, DAY, (0, 100, 190), TIME, n_iter=9, metric="manhattan")
    assert r.observed == ((0, 0), (1, 0), (0, 1))  # B-C (200 m) now beyond 190 m


def test_alerts_near_recent_burglaries_only():
    window = NearRepeatWindow(metres=200, days=14)
    places = [(0, 0), (150, 0), (1000, 0)]
    # one burglary at (100, 0) on day 95 (recent), one at (1000, 50) on day 60 (too old)
    alerts = near_repeat_alerts(places, [100, 1000], [0, 50], [95, 60], today=100, window=window)
    assert [(a.x, a.y, a.burglaries, a.until_day) for a in alerts] == [
        (0.0, 0.0, 1, 109.0), (150.0, 0.0, 1, 109.0)]
    assert near_repeat_alerts(places, [100], [0], [95], 100, NearRepeatWindow(None, None)) == ()


def test_bad_bands_refused():
    with pytest.raises(AssessmentError, match="increasing"):
        knox_test(X, Y, DAY, (100, 50), TIME)
    with pytest.raises(AssessmentError, match="at least three"):
        knox_test([0], [0], [0], SPACE, TIME)
