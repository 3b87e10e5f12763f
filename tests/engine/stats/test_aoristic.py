"""Aoristic hour-of-week weights against a brute-force hour-by-hour walk with datetime."""

import datetime as dt

import numpy as np
import pytest

from safecity.engine.errors import AssessmentError
from safecity.engine.stats import aoristic


def _hours_touched(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    # independent walk: every clock hour from start's hour, end exclusive when on the hour
    hour = start.replace(minute=0, second=0)
    stop = end if end > start else start + dt.timedelta(seconds=1)
    out = []
    while hour < stop:
        out.append(hour)
        hour += dt.timedelta(hours=1)
    return out


def _brute_profile(starts, ends, cap):
    grid = np.zeros((7, 24))
    for s, e in zip(starts, ends):
        hours = _hours_touched(s, e)
        if e < s or len(hours) > cap:
            continue
        for h in hours:
            grid[h.weekday(), h.hour] += 1 / len(hours)
    return grid


def _random_windows(seed=8, n=400, longest_hours=200):
    rng = np.random.default_rng(seed)
    base = dt.datetime(2020, 1, 1)
    starts = [base + dt.timedelta(minutes=int(m)) for m in rng.integers(0, 60 * 24 * 365, n)]
    lengths = rng.choice([0, 30, 60, 120, 59, 600, 60 * 48, 60 * longest_hours], n)
    ends = [s + dt.timedelta(minutes=int(m)) for s, m in zip(starts, lengths)]
    return starts, ends


def _as_np(values):
    return np.array(values, dtype="datetime64[s]")


def test_profile_matches_a_brute_force_walk_through_each_window():
    starts, ends = _random_windows()
    profile = aoristic.hour_of_week_profile(_as_np(starts), _as_np(ends), max_span_hours=168)
    assert np.array(profile.weights) == pytest.approx(_brute_profile(starts, ends, 168), abs=1e-12)
    assert profile.total == pytest.approx(profile.used)
    assert profile.used + profile.excluded_long == len(starts)


def test_windows_longer_than_a_week_are_spread_correctly_when_the_cap_allows():
    starts, ends = _random_windows(seed=9, longest_hours=400)
    profile = aoristic.hour_of_week_profile(_as_np(starts), _as_np(ends), max_span_hours=500)
    assert np.array(profile.weights) == pytest.approx(_brute_profile(starts, ends, 500), abs=1e-12)
    assert profile.excluded_long == 0


def test_a_window_crossing_sunday_midnight_wraps_to_monday():
    start, end = dt.datetime(2020, 3, 8, 22, 0), dt.datetime(2020, 3, 9, 2, 0)  # Sun 22 - Mon 02
    weights = np.array(aoristic.hour_of_week_profile(_as_np([start]), _as_np([end])).weights)
    assert weights[6, 22] == weights[6, 23] == weights[0, 0] == weights[0, 1] == 0.25
    assert weights.sum() == pytest.approx(1.0)


def test_an_exact_time_puts_the_whole_offence_in_its_hour():
    start = dt.datetime(2020, 3, 6, 23, 0)  # a Friday
    for end in ([start], None):
        weights = aoristic.hour_of_week_profile(_as_np([start]),
                                                None if end is None else _as_np(end)).weights
        assert weights[4][23] == 1.0


def test_the_default_cap_is_a_week_and_long_windows_are_excluded_and_counted(monkeypatch):
    start = dt.datetime(2020, 3, 1)
    ends = [start + dt.timedelta(hours=168), start + dt.timedelta(hours=169)]
    profile = aoristic.hour_of_week_profile(_as_np([start, start]), _as_np(ends))
    assert (profile.used, profile.excluded_long, profile.max_span_hours) == (1, 1, 168)
    assert np.array(profile.weights) == pytest.approx(np.full((7, 24), 1 / 168))
    monkeypatch.setenv("SAFECITY_AORISTIC_MAX_SPAN_HOURS", "24")
    assert aoristic.hour_of_week_profile(_as_np([start]), _as_np(ends[:1])).excluded_long == 1


def test_invalid_and_missing_windows_are_counted_not_used():
    starts = _as_np([dt.datetime(2020, 3, 2, 10), None, dt.datetime(2020, 3, 2, 10)])
    ends = _as_np([dt.datetime(2020, 3, 2, 9), None, None])
    profile = aoristic.hour_of_week_profile(starts, ends)
    assert (profile.used, profile.excluded_invalid, profile.missing) == (1, 1, 1)


def test_share_in_hours_matches_the_brute_force_walk():
    starts, ends = _random_windows(seed=10)
    mask = np.zeros((7, 24), bool)
    mask[4:6, 20:] = True
    mask[5:7, :4] = True  # Friday and Saturday nights, 20:00-04:00
    shares = aoristic.share_in_hours(_as_np(starts), _as_np(ends), mask, max_span_hours=168)
    for share, s, e in zip(shares, starts, ends):
        hours = _hours_touched(s, e)
        if len(hours) > 168:
            assert np.isnan(share)
        else:
            expected = sum(mask[h.weekday(), h.hour] for h in hours) / len(hours)
            assert share == pytest.approx(expected, abs=1e-12)


def test_a_mask_of_the_wrong_shape_gets_a_sentence():
    with pytest.raises(AssessmentError, match="7 x 24"):
        aoristic.share_in_hours(_as_np([dt.datetime(2020, 1, 1)]), None, np.zeros(24, bool))
