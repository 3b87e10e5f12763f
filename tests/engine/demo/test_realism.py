"""The demo behaves like a real city: seasons, hours, places, repeat victims and offenders."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import numpy as np
import pytest

from safecity.engine.geo import to_bng

from .conftest import uk_date, uk_datetime
from .figures import fy

BURGLARY = {"28E", "28F", "29A"}


@pytest.fixture(scope="session")
def rows(demo):
    out = []
    for r in demo.crimes:
        start = uk_datetime(r["Committed From"])
        out.append({"group": demo.offences[r["HO Offence Code"]]["offence_group"],
                    "code": r["HO Offence Code"], "start": start,
                    "end": uk_datetime(r["Committed To"]),
                    "recorded": uk_date(r["Date Recorded"]), "lsoa": r["LSOA Code"],
                    "domestic": r["DA Flag"] == "Y", "nte": r["NTE Flag"] == "Y", "raw": r})
    return out


def _months(rows, pick, months):
    return sum(1 for r in rows if pick(r) and r["recorded"].month in months
               and date(2017, 4, 1) <= r["recorded"] <= date(2020, 3, 31))


def test_violence_peaks_in_summer_and_burglary_in_winter(rows):
    vap = lambda r: r["group"] == "Violence against the person"  # noqa: E731
    burglary = lambda r: r["code"] in BURGLARY  # noqa: E731
    assert _months(rows, vap, (6, 7, 8)) > 1.12 * _months(rows, vap, (12, 1, 2))
    assert _months(rows, burglary, (11, 12, 1)) > 1.15 * _months(rows, burglary, (5, 6, 7))


def test_violence_peaks_at_night_and_the_night_time_economy_at_weekend_nights(rows):
    vap = [r for r in rows if r["group"] == "Violence against the person" and not r["domestic"]
           and r["start"] == r["end"]]
    hours = Counter(r["start"].hour for r in vap)
    assert sum(hours[h] for h in (22, 23, 0, 1)) > 2.5 * sum(hours[h] for h in (6, 7, 8, 9))
    # Friday and Saturday nights (21:00-03:59, by the evening they belong to) carry more than
    # twice the violence of the same hours on a weeknight.
    def night_of(r):
        s = r["start"]
        return (s.weekday() - (1 if s.hour < 4 else 0)) % 7 if (s.hour >= 21 or s.hour < 4) else None
    nights = Counter(night_of(r) for r in vap if night_of(r) is not None)
    assert (nights[4] + nights[5]) / 2 > 2 * (nights[0] + nights[1] + nights[2]) / 3
    nte = [r for r in rows if r["nte"]]
    assert nte and all(r["start"].hour >= 20 or r["start"].hour < 5 for r in nte)


def test_crime_concentrates_in_a_city_centre_cluster(rows, demo):
    counts = Counter(r["lsoa"] for r in rows)
    ranked = [n for _, n in counts.most_common()]
    top = sum(ranked[: len(ranked) // 10])
    assert top / sum(ranked) > 0.30  # top 10 % of LSOAs hold over 30 % of crime
    ward = {g["lsoa11_code"]: g["ward_name"] for g in demo.geography}
    top_wards = Counter(ward[code] for code, _ in counts.most_common(10))
    assert top_wards["Bargate"] + top_wards["Bevois"] >= 8


def test_repeat_victims_and_offenders_have_heavy_tails(demo):
    victims = Counter(v["Victim ID"] for v in demo.victims if v["Victim Type"] == "Individual")
    n = np.array(list(victims.values()))
    assert n.max() >= 10 * n.mean()
    offenders = Counter(s["Suspect ID"] for s in demo.suspects)
    k = np.array(list(offenders.values()))
    assert k.max() >= 15 * k.mean() and (k >= 2).sum() > 0.2 * len(k)


def test_burglaries_are_often_recorded_as_windows_longer_than_an_hour(rows):
    burglaries = [r for r in rows if r["code"] in BURGLARY]
    spans = [(r["end"] - r["start"]).total_seconds() / 3600 for r in burglaries]
    assert sum(s > 1 for s in spans) > 0.5 * len(spans)
    assert all(r["start"] <= r["end"] and r["end"].date() <= r["recorded"] for r in rows)


def test_points_lie_in_their_lsoa_and_grid_references_agree_with_them(demo, shared_data):
    from shapely.geometry import Point, shape

    geojson = json.loads((shared_data / "boundaries" / "lsoa11_bsc_southampton.geojson")
                         .read_text(encoding="utf-8"))
    polygons = {f["properties"]["LSOA11CD"]: shape(f["geometry"]) for f in geojson["features"]}
    sample = demo.crimes[::97] + demo.asb[::53]
    for r in sample:
        code = r.get("LSOA Code") or r.get("lsoa_code")
        lon = float(r.get("Longitude") or r.get("longitude"))
        lat = float(r.get("Latitude") or r.get("latitude"))
        assert polygons[code].buffer(1e-6).contains(Point(lon, lat)), r
    lon = np.array([float(r["Longitude"]) for r in demo.crimes[::97]])
    lat = np.array([float(r["Latitude"]) for r in demo.crimes[::97]])
    e, n = to_bng(lon, lat)
    assert np.allclose(e, [float(r["Easting"]) for r in demo.crimes[::97]], atol=1)
    assert np.allclose(n, [float(r["Northing"]) for r in demo.crimes[::97]], atol=1)


def test_youth_justice_has_about_a_hundred_first_time_entrants_a_year_who_reoffend_plausibly(demo):
    first = {}
    outcomes = {}
    for y in demo.youth:
        pid = y["young_person_id"]
        out = date.fromisoformat(y["outcome_date"])
        off = date.fromisoformat(y["offence_date"])
        dob = date.fromisoformat(y["date_of_birth"])
        outcomes.setdefault(pid, []).append((out, off))
        if y["outcome_type"] != "other" and (pid not in first or out < first[pid][0]):
            first[pid] = (out, (off - dob).days // 365.25)
    fte = Counter(fy(out) for out, _ in first.values())
    for year in (2017, 2018, 2019):
        assert 80 <= fte[year] <= 125, (year, fte[year])
    assert all(10 <= age <= 17 for _, age in first.values())
    # Quarterly cohorts of 2017/18-2018/19: proven re-offence (offence within 12 months of the
    # cohort outcome, proven within a further 6) for 25-50 % of the young people.
    rates = []
    for q_start in [date(2017, m, 1) for m in (4, 7, 10)] + [date(2018, m, 1) for m in (1, 4, 7, 10)]:
        q_end = date(q_start.year + (q_start.month + 3 > 12), (q_start.month + 2) % 12 + 1, 28)
        cohort = {}
        for pid, events in outcomes.items():
            inside = [out for out, _ in events if q_start <= out <= q_end]
            if inside:
                cohort[pid] = min(inside)
        reoffended = 0
        for pid, start in cohort.items():
            if any(start < off <= date(start.year + 1, start.month, min(start.day, 28))
                   and (out - start).days <= 548 for out, off in outcomes[pid]):
                reoffended += 1
        rates.append(reoffended / len(cohort))
    assert 0.25 <= float(np.mean(rates)) <= 0.5, rates


def test_hate_reports_repeat_each_police_hate_crime_once_with_its_strands(demo):
    strands = ("race", "religion", "sexual_orientation", "disability", "transgender")
    headers = ("Hate Race", "Hate Religion", "Hate Sexual Orientation", "Hate Disability",
               "Hate Transgender")
    crimes = {c["Crime Reference"]: tuple(c[h] == "Y" for h in headers) for c in demo.crimes
              if any(c[h] == "Y" for h in headers)}
    reported = {h["crime_ref"]: tuple(h[f"strand_{s}"] == "true" for s in strands)
                for h in demo.hate if h["is_crime"] == "true"}
    assert reported == crimes
    channels = Counter(h["channel"] for h in demo.hate if h["is_crime"] == "false")
    assert channels["police"] and channels["third_party"]


def test_near_repeats_are_moved_next_to_an_earlier_burglary_and_nothing_else():
    import numpy as np

    from safecity.engine.demo.crimes import (NEAR_REPEAT_DAYS, NEAR_REPEAT_METRES,
                                             near_repeats)

    rng = np.random.default_rng(5)
    n = 4000
    start = (np.datetime64("2019-04-01T00:00") + rng.integers(0, 365 * 1440, n).astype(
        "timedelta64[m]"))
    burglary = rng.random(n) < 0.5
    lsoa = rng.integers(0, 100, n)
    lon = -1.4 + rng.random(n) * 0.1
    lat = 50.9 + rng.random(n) * 0.05
    before = (lsoa.copy(), lon.copy(), lat.copy())
    moved = near_repeats(np.random.default_rng(1), burglary, start, lsoa, lon, lat)
    changed = np.flatnonzero((lon != before[1]) | (lat != before[2]))
    assert 0.08 * burglary.sum() < moved == len(changed) < 0.14 * burglary.sum()
    assert burglary[changed].all()  # only burglaries move
    day = start.astype("datetime64[D]").astype("int64")
    for i in changed:  # each is within 200 m of an earlier burglary 1-14 days before
        dx = (lon[i] - lon) * 111_320 * np.cos(np.radians(lat[i]))
        dy = (lat[i] - lat) * 111_320
        near = (np.hypot(dx, dy) <= NEAR_REPEAT_METRES + 1) & burglary
        gap = day[i] - day
        assert (near & (gap >= 1) & (gap <= NEAR_REPEAT_DAYS) & (lsoa == lsoa[i])).any()
