"""When the demo's crimes happen and are recorded: seasonality, weekday, hour, committed windows.

A timing profile (``PROFILES``) has an annual cycle ``1 + amplitude · cos(2π(day − peak)/365.25)``
(violence peaks in July, burglary in December), weekday factors (Monday first), an hour-of-day
profile and, for violence and the night-time economy, a weekend-night boost (Friday and Saturday
from 21:00 to 03:59). Burglary and overnight vehicle crime are mostly recorded as committed *windows*
(from–to spanning hours) because victims find them later; everything else mostly has an exact
time. The recorded date is the committed-to date plus a short lag, kept inside the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np


@dataclass(frozen=True)
class Profile:
    amplitude: float
    peak_day: int                 # day of year of the seasonal peak
    weekday: tuple[float, ...]    # Monday … Sunday
    hours: tuple[float, ...]      # 00 … 23
    weekend_night: float = 1.0    # extra factor, Fri/Sat 21:00-03:59
    windows: str = "exact"        # exact | burglary | overnight


FLAT = (1.0,) * 7
PROFILES = {
    "violence": Profile(0.13, 196, (0.85, 0.8, 0.85, 0.9, 1.1, 1.3, 1.2),
                        (6, 5, 4, 3, 1.5, .8, .7, 1, 1.5, 2, 2.5, 3, 3.5, 3.5, 3.5, 4, 4.5, 5,
                         5.5, 6, 6.5, 7, 7.5, 7), weekend_night=2.6),
    "night": Profile(0.10, 196, (0.85, 0.8, 0.85, 0.9, 1.1, 1.3, 1.2),
                     (7, 7, 6, 4, 2, 1, .5, .5, .8, 1, 1.2, 1.5, 2, 2, 2, 2.5, 3, 3.5, 4, 5, 6, 7,
                      8, 8), weekend_night=2.2),
    "domestic": Profile(0.08, 190, (0.95, 0.9, 0.9, 0.95, 1.0, 1.2, 1.25),
                        (3, 2.5, 2, 1.2, .8, .6, .7, 1, 1.5, 2, 2.5, 2.8, 3, 3, 3, 3.2, 3.6, 4.2,
                         5, 5.6, 6, 6, 5.2, 4)),
    "evening": Profile(0.06, 200, (1, 1, 1, 1, 1.05, 1.1, 1),
                       (2, 1.5, 1, .6, .4, .3, .4, .8, 1.5, 2, 2.5, 3, 3.2, 3.2, 3.3, 3.6, 4, 4.5,
                        5, 5.5, 5.5, 5, 4, 3)),
    "day": Profile(0.03, 200, (1.05, 1.05, 1.05, 1.05, 1.05, 0.9, 0.85),
                   (.5, .3, .2, .2, .2, .3, .6, 1.5, 3, 4, 4.5, 4.8, 5, 5, 4.8, 4.8, 4.6, 4.2, 3.6,
                    3, 2.4, 1.8, 1.2, .8)),
    "shop": Profile(0.08, 345, (1, 1, 1, 1, 1.05, 1.2, 0.85),
                    (0, 0, 0, 0, 0, 0, .1, .5, 2, 4, 5, 5.5, 6, 6, 6, 6, 6, 5.5, 4.5, 3, 1.5, .8,
                     .2, 0)),
    "asb": Profile(0.20, 200, (0.9, 0.9, 0.95, 1.0, 1.15, 1.2, 1.0),
                   (1.5, 1, .6, .4, .3, .3, .4, .8, 1.5, 2, 2.5, 3, 3.2, 3.2, 3.4, 3.8, 4.5, 5,
                    5.5, 5.8, 5.5, 4.5, 3.5, 2.5)),
    "burglary": Profile(0.16, 350, FLAT,
                        (2, 1.5, 1, .6, .4, .3, .4, .8, 1.5, 2, 2.5, 3, 3.2, 3.2, 3.3, 3.6, 4, 4.5,
                         5, 5.5, 5.5, 5, 4, 3), windows="burglary"),
    "overnight": Profile(0.10, 340, FLAT,
                         (2, 1.5, 1, .6, .4, .3, .4, .8, 1.5, 2, 2.5, 3, 3.2, 3.2, 3.3, 3.6, 4,
                          4.5, 5, 5.5, 5.5, 5, 4, 3), windows="overnight"),
}

MINUTE = np.timedelta64(1, "m")
DAY = np.timedelta64(1, "D")


def year_bounds(year: int) -> tuple[np.datetime64, np.datetime64]:
    """First and last day of financial year ``year``/``year+1``; 2020 stops at 31 December."""
    start = np.datetime64(date(year, 4, 1))
    end = np.datetime64(date(2020, 12, 31)) if year == 2020 else np.datetime64(date(year + 1, 3, 31))
    return start, end


def _hour_matrix(p: Profile) -> np.ndarray:
    """7 × 24 weights (weekday × hour), with the weekend-night boost."""
    m = np.outer(np.asarray(p.weekday), np.asarray(p.hours, dtype="float64"))
    if p.weekend_night != 1.0:
        m[4:6, 21:] *= p.weekend_night   # Friday, Saturday evenings
        m[5:7, :4] *= p.weekend_night    # early hours of Saturday, Sunday
    return m


def sample_days(rng: np.random.Generator, profile: str, n: int, year: int) -> np.ndarray:
    """``n`` dates in the year, weighted by season and weekday."""
    p = PROFILES[profile]
    start, end = year_bounds(year)
    days = np.arange(start, end + DAY)
    doy = (days - days.astype("datetime64[Y]")).astype("int64")
    dow = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday
    w = (1 + p.amplitude * np.cos(2 * np.pi * (doy - p.peak_day) / 365.25))
    w = w * _hour_matrix(p).sum(axis=1)[dow]
    return rng.choice(days, size=n, p=w / w.sum())


def sample_hours(rng: np.random.Generator, profile: str, days: np.ndarray) -> np.ndarray:
    """An hour for each date, from the profile's hour weights for that weekday."""
    m = _hour_matrix(PROFILES[profile])
    cdf = np.cumsum(m, axis=1)
    cdf /= cdf[:, -1:]
    dow = (days.astype("datetime64[D]").astype("int64") + 3) % 7
    u = rng.random(len(days))
    hours = np.empty(len(days), dtype="int64")
    for d in range(7):
        rows = dow == d
        hours[rows] = np.searchsorted(cdf[d], u[rows], side="right")
    return hours.clip(0, 23)


def committed_times(rng: np.random.Generator, profile: str, n: int, year: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(committed_from, committed_to, recorded_date) for ``n`` crimes recorded in ``year``."""
    p = PROFILES[profile]
    days = sample_days(rng, profile, n, year)
    hours = sample_hours(rng, profile, days)
    start = (days.astype("datetime64[m]") + hours * 60 * MINUTE
             + rng.integers(0, 60, n) * MINUTE)
    length = np.where(rng.random(n) < 0.12, rng.integers(5, 55, n), 0) * MINUTE
    if p.windows in ("burglary", "overnight"):
        u = rng.random(n)
        overnight = u < (0.45 if p.windows == "burglary" else 0.7)
        daytime = (u >= 0.45) & (u < 0.8) if p.windows == "burglary" else np.zeros(n, bool)
        evening_start = days.astype("datetime64[m]") + rng.integers(17 * 60, 24 * 60, n) * MINUTE
        morning_start = days.astype("datetime64[m]") + rng.integers(7 * 60, 10 * 60, n) * MINUTE
        start = np.where(overnight, evening_start, np.where(daytime, morning_start, start))
        length = np.where(overnight, rng.integers(6 * 60, 14 * 60, n) * MINUTE,
                          np.where(daytime, rng.integers(4 * 60, 9 * 60, n) * MINUTE, length))
    end = start + length
    lag = np.where(rng.random(n) < 0.65, 0, np.minimum(rng.geometric(0.25, n), 45))
    recorded = end.astype("datetime64[D]") + lag * DAY
    return _keep_in_year(start, end, recorded, year)


def _keep_in_year(start, end, recorded, year):
    """Pull crimes whose window or lag runs past the year end back inside it."""
    _, last = year_bounds(year)
    over = (end.astype("datetime64[D]") - last).astype("int64").clip(0)
    start = start - over * DAY
    end = end - over * DAY
    recorded = np.minimum(recorded, last)
    return start, end, recorded


def reported_late(rng: np.random.Generator, n: int, year: int, profile: str,
                  non_recent: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times for sexual offences: recorded date first, committed before it.

    ``non_recent`` rows were committed 13 months to 25 years before recording (from and to both);
    the others at most 10 months before (most within a week).
    """
    recorded = sample_days(rng, profile, n, year)
    recent_lag = np.where(rng.random(n) < 0.6, rng.integers(0, 7, n),
                          np.where(rng.random(n) < 0.75, rng.integers(7, 60, n),
                                   rng.integers(60, 300, n)))
    old_lag = (396 + rng.lognormal(np.log(900), 1.0, n)).clip(396, 25 * 365).astype("int64")
    lag = np.where(non_recent, old_lag, recent_lag)
    end_day = recorded - lag * DAY
    hours = sample_hours(rng, profile, end_day)
    end = end_day.astype("datetime64[m]") + hours * 60 * MINUTE + rng.integers(0, 60, n) * MINUTE
    # A non-recent offence is often only known to within weeks or months.
    span = np.where(non_recent & (rng.random(n) < 0.5), rng.integers(1, 180, n), 0) * DAY
    start = end - span
    return start, end, recorded
