"""The partner sources of the demo: ASB incidents, hate reports, youth justice and MARAC referrals.

* ASB: exact yearly totals (2018/19 and 2019/20 are calibration targets), summer and evening peaks,
  city-centre concentration.
* Hate reports: every police-recorded hate crime once (channel ``police``, ``is_crime`` true, same
  reference, date and strands), plus non-crime hate incidents reported to the police and reports
  to third-party reporting centres and online (``is_crime`` false).
* Youth justice: complete histories of young people whose first caution or court sentence falls
  from April 2015 (so first-time entrants from 2017/18 on are genuinely first); about 100 first-time
  entrants a year aged 10-17; after each outcome about four in ten re-offend within a year, so
  quarterly re-offending cohorts show binary rates around 35-40 %.
* Referrals: high-risk domestic abuse referrals of the demo's own domestic-abuse victims (same
  identifiers, so they join after pseudonymisation), with exactly ``HRDA_WITH_CHILDREN_PCT`` having
  children in the household between April 2018 and March 2020.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from . import calibration as cal
from . import places, timing
from .allocate import choose_exact
from .crimes import STRANDS, STRAND_P
from .offences import YEARS
from .people import Ids

DAY = np.timedelta64(1, "D")
ASB = dict(zip(YEARS, (8_420, cal.ASB_INCIDENTS_PREVIOUS, cal.ASB_INCIDENTS, 7_350)))
ASB_TYPES = ("nuisance", "personal", "environmental")
ASB_TYPE_P = (0.68, 0.24, 0.08)
ASB_AGENCIES = ("police", "council", "housing")
ASB_AGENCY_P = (0.72, 0.18, 0.10)
NON_CRIME_PER_CRIME = 0.35   # police non-crime hate incidents per hate crime
THIRD_PARTY_PER_CRIME = 0.08
ONLINE_PER_CRIME = 0.03
YOUTH_START = date(2015, 4, 1)
FIRST_TIME_ENTRANTS = (134, 126, 117, 110, 105, 72)  # FY 2015/16 … 2019/20, then Apr–Dec 2020
REOFFEND_P = (0.38, 0.5)     # after a first outcome, after a later one
YOUTH_CODES = ("105A", "8N", "46", "92E", "58D", "10D", "49", "34B", "9A", "28E", "8R", "48")
YOUTH_CODE_P = (0.2, 0.14, 0.12, 0.1, 0.08, 0.07, 0.07, 0.05, 0.06, 0.04, 0.04, 0.03)
REFERRALS_PER_YEAR = {2017: 530, 2018: 560, 2019: 590, 2020: 470}
AGENCIES = ("police", "idva", "childrens_services", "health", "housing", "probation", "other")
AGENCY_P = (0.64, 0.12, 0.08, 0.06, 0.04, 0.03, 0.03)


def asb(rng: np.random.Generator) -> dict[str, np.ndarray]:
    parts = []
    for year in YEARS:
        k = ASB[year]
        days = timing.sample_days(rng, "asb", k, year)
        lsoa = rng.choice(len(places.southampton()), size=k, p=places.lsoa_weights("asb"))
        parts.append((days, lsoa))
    days = np.concatenate([p[0] for p in parts])
    lsoa = np.concatenate([p[1] for p in parts])
    order = np.argsort(days, kind="stable")
    days, lsoa = days[order], lsoa[order]
    lon, lat = places.sample_points(rng, lsoa)
    n = len(days)
    return {
        "incident_ref": np.array([f"ASB{i:07d}" for i in 1 + np.cumsum(rng.integers(1, 4, n))],
                                 dtype=object),
        "recorded_date": days, "lsoa": lsoa, "lon": lon, "lat": lat,
        "asb_type": np.array(ASB_TYPES, dtype=object)[rng.choice(3, n, p=ASB_TYPE_P)],
        "reporting_agency": np.array(ASB_AGENCIES, dtype=object)[rng.choice(3, n, p=ASB_AGENCY_P)],
    }


def hate_reports(rng: np.random.Generator, crimes: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    flags = np.stack([crimes[f"hate_{s}"] for s in STRANDS], axis=1)
    hate = np.flatnonzero(flags.any(axis=1))
    n_crime = len(hate)
    recorded = [crimes["recorded"][hate]]
    channel = [np.full(n_crime, "police", dtype=object)]
    is_crime = [np.ones(n_crime, bool)]
    crime_ref = [crimes["crime_ref"][hate]]
    strands = [flags[hate]]
    lsoa = [crimes["lsoa"][hate]]
    for year in YEARS:
        n_year = int(np.sum(crimes["year"][hate] == year))
        for name, rate in (("police", NON_CRIME_PER_CRIME), ("third_party", THIRD_PARTY_PER_CRIME),
                           ("online", ONLINE_PER_CRIME)):
            k = round(rate * n_year)
            recorded.append(timing.sample_days(rng, "day", k, year))
            channel.append(np.full(k, name, dtype=object))
            is_crime.append(np.zeros(k, bool))
            crime_ref.append(np.full(k, "", dtype=object))
            s = np.zeros((k, len(STRANDS)), bool)
            s[np.arange(k), rng.choice(len(STRANDS), k, p=STRAND_P)] = True
            strands.append(s)
            where = rng.choice(len(places.southampton()), k, p=places.lsoa_weights("mixed"))
            lsoa.append(np.where(np.array([name == "online"] * k, bool), -1, where))
    out = {"recorded_date": np.concatenate(recorded), "channel": np.concatenate(channel),
           "is_crime": np.concatenate(is_crime), "crime_ref": np.concatenate(crime_ref),
           "strands": np.concatenate(strands), "lsoa": np.concatenate(lsoa)}
    order = np.lexsort((out["crime_ref"].astype(str), out["recorded_date"]))
    out = {k: v[order] for k, v in out.items()}
    n = len(order)
    out["report_ref"] = np.array([f"HR{i:06d}" for i in 1 + np.cumsum(rng.integers(1, 3, n))],
                                 dtype=object)
    return out


def youth_justice(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Outcome records (one per proven offence) of synthetic young people, April 2015 on."""
    end = np.datetime64(cal.PERIOD_END)
    people, rows = [], []
    for fy, k in enumerate(FIRST_TIME_ENTRANTS):
        start = np.datetime64(date(YOUTH_START.year + fy, 4, 1))
        stop = min(np.datetime64(date(YOUTH_START.year + fy + 1, 3, 31)), end)
        span = int((stop - start) / DAY) + 1
        outcome = start + rng.integers(0, span, k) * DAY
        lag = rng.integers(14, 120, k) * DAY
        age = rng.choice(np.arange(10, 18), k, p=np.array([1, 2, 4, 7, 10, 13, 14, 12]) / 63)
        dob = outcome - lag - (age * 365.25 + rng.integers(0, 365, k)).astype("int64") * DAY
        for i in range(k):
            people.append((dob[i], "male" if rng.random() < 0.8 else "female"))
            pid = len(people) - 1
            off, out = outcome[i] - lag[i], outcome[i]
            first = True
            while out <= end:
                kind = (rng.choice(["caution", "conditional_caution", "court_sentence"], p=[0.5, 0.2, 0.3])
                        if first else rng.choice(["caution", "conditional_caution", "court_sentence",
                                                  "other"], p=[0.2, 0.2, 0.5, 0.1]))
                rows.append((pid, off, out, kind, rng.choice(YOUTH_CODES, p=YOUTH_CODE_P)))
                if rng.random() >= REOFFEND_P[0 if first else 1]:
                    break
                first = False
                off = out + int(rng.exponential(110) + 1) * DAY
                out = off + int(rng.integers(10, 150)) * DAY
                if (off - people[pid][0]) / DAY >= 18 * 365.25:
                    break  # an adult now: no longer in the youth justice records
    rows.sort(key=lambda r: (r[2], r[0]))
    pid = np.array([r[0] for r in rows])
    ids = Ids(rng, "YP", 6).take(len(people))
    return {
        "young_person_id": ids[pid],
        "date_of_birth": np.array([people[p][0] for p in pid], dtype="datetime64[D]"),
        "offence_date": np.array([r[1] for r in rows], dtype="datetime64[D]"),
        "outcome_date": np.array([r[2] for r in rows], dtype="datetime64[D]"),
        "outcome_type": np.array([r[3] for r in rows], dtype=object),
        "offence_code": np.array([r[4] for r in rows], dtype=object),
        "sex": np.array([people[p][1] for p in pid], dtype=object),
    }


def referrals(rng: np.random.Generator, victims: dict[int, tuple[np.ndarray, np.ndarray]]
              ) -> dict[str, np.ndarray]:
    """MARAC referrals of domestic-abuse victims; ``victims[year]`` = (person ids, crime dates)."""
    ids, dates = [], []
    end = np.datetime64(cal.PERIOD_END)
    for year in YEARS:
        person, crime_date = victims[year]
        people, first, n_crimes = np.unique(person, return_index=True, return_counts=True)
        w = n_crimes.astype("float64") ** 1.5  # repeat victims are likelier to be high risk
        k = REFERRALS_PER_YEAR[year]
        pick = rng.choice(len(people), size=k, p=w / w.sum())
        ids.append(people[pick])
        dates.append(np.minimum(crime_date[first[pick]] + rng.integers(0, 21, k) * DAY, end))
    ids = np.concatenate(ids)
    dates = np.concatenate(dates)
    order = np.lexsort((ids.astype(str), dates))
    ids, dates = ids[order], dates[order]
    n = len(ids)
    lo, hi = (np.datetime64(d) for d in cal.HRDA_WINDOW)
    inside = (dates >= lo) & (dates <= hi)
    children = np.zeros(n, bool)
    children[choose_exact(rng, inside.astype(float), round(cal.HRDA_WITH_CHILDREN_PCT / 100 * inside.sum()))] = True
    outside = np.flatnonzero(~inside)
    children[outside] = rng.random(len(outside)) < 0.5
    count = np.where(children, np.minimum(rng.geometric(0.5, n), 6), 0)
    repeat = np.zeros(n, bool)
    last: dict[str, np.datetime64] = {}
    for i in range(n):
        prev = last.get(ids[i])
        repeat[i] = prev is not None and (dates[i] - prev) / DAY <= 365
        last[ids[i]] = dates[i]
    return {
        "referral_ref": np.array([f"MARAC{d.astype(object).year}-{i:05d}" for i, d in
                                  enumerate(dates, start=1)], dtype=object),
        "referral_date": dates, "person_id": ids, "children_in_household": count,
        "repeat_referral": repeat,
        "referring_agency": np.array(AGENCIES, dtype=object)[rng.choice(len(AGENCIES), n, p=AGENCY_P)],
    }
