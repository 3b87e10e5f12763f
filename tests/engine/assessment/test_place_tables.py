"""Golden tests for every place table (LSOA, top LSOAs, ward, domestic abuse by IMD decile):
populations and rates per 1,000 against an independent count made with the csv module from the
files ``safecity demo`` writes (its geography lookup with mid-2019 populations, and its police
extract). Before the fix the ward table summed each LSOA's population once per crime (Bargate:
63,379,629 residents)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict

import pytest

from safecity.cli import main

START, END = dt.date(2019, 4, 1), dt.date(2020, 3, 31)
PREV_START, PREV_END = dt.date(2018, 4, 1), dt.date(2019, 3, 31)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("place-demo")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["demo"]) == 0
        assert main(["assess", "--year", "2019/20", "--out", str(home / "out"),
                     "--no-pdf"]) == 0
    finally:
        mp.undo()
    return home


def _csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _day(text: str) -> dt.date:
    return dt.datetime.strptime(text[:10], "%d/%m/%Y").date()


@pytest.fixture(scope="module")
def independent(demo):
    """Populations and crime counts per LSOA, straight from the demo's input files."""
    geo = {r["lsoa11_code"]: r for r in _csv(demo / "demo" / "geography.csv")}
    cur, prev, dom = Counter(), Counter(), Counter()
    for row in _csv(demo / "demo" / "crimes.csv"):
        lsoa, day = row["LSOA Code"], _day(row["Date Recorded"])
        if lsoa not in geo:
            continue
        if START <= day <= END:
            cur[lsoa] += 1
            if row["DA Flag"] == "Y":
                dom[lsoa] += 1
        elif PREV_START <= day <= PREV_END:
            prev[lsoa] += 1
    return geo, cur, prev, dom


def _table(demo, key) -> list[dict]:
    return _csv(demo / "out" / "tables" / f"{key}.csv")


def test_the_ward_table_sums_each_lsoas_population_once(demo, independent):
    geo, cur, prev, _ = independent
    pop, crimes, before = Counter(), Counter(), Counter()
    for lsoa, row in geo.items():
        pop[row["ward_name"]] += int(row["population"])
        crimes[row["ward_name"]] += cur[lsoa]
        before[row["ward_name"]] += prev[lsoa]
    rows = {r["ward"]: r for r in _table(demo, "crime_by_ward")}
    assert set(rows) == set(pop)
    for ward, row in rows.items():
        assert int(row["population"]) == pop[ward], ward
        assert int(row["current"]) == crimes[ward], ward
        assert int(row["previous"]) == before[ward], ward
        assert float(row["rate"]) == pytest.approx(round(1000 * crimes[ward] / pop[ward], 2))
    assert 15000 < int(rows["Bargate"]["population"]) < 40000
    assert 200 < float(rows["Bargate"]["rate"]) < 600


@pytest.mark.parametrize("key", ["crime_by_lsoa", "top_lsoas"])
def test_the_lsoa_tables_give_each_lsoas_population_crimes_and_rate(demo, independent, key):
    geo, cur, _, _ = independent
    rows = _table(demo, key)
    assert rows
    for row in rows:
        lsoa = row["lsoa11_code"]
        assert int(row["population"]) == int(geo[lsoa]["population"])
        assert int(row["crimes"]) == cur[lsoa]
        assert float(row["rate"]) == pytest.approx(
            round(1000 * cur[lsoa] / int(geo[lsoa]["population"]), 2))
    if key == "crime_by_lsoa":
        assert len(rows) == len(geo)
    else:  # the highest rates, highest first
        rates = sorted((1000 * cur[k] / int(g["population"]) for k, g in geo.items()),
                       reverse=True)
        assert [float(r["rate"]) for r in rows] == pytest.approx(
            [round(x, 2) for x in rates[:len(rows)]])


def test_the_domestic_abuse_table_by_imd_decile_sums_populations_once(demo, independent):
    geo, _, _, dom = independent
    pop, crimes = defaultdict(int), defaultdict(int)
    for lsoa, row in geo.items():
        pop[int(row["imd_decile"])] += int(row["population"])
        crimes[int(row["imd_decile"])] += dom[lsoa]
    rows = _table(demo, "domestic_by_imd_decile")
    assert {int(r["imd_decile"]) for r in rows} == set(pop)
    for row in rows:
        decile = int(row["imd_decile"])
        assert int(row["population"]) == pop[decile]
        if row["crimes"].isdigit():  # not withheld
            assert int(row["crimes"]) == crimes[decile]
            assert float(row["rate"]) == pytest.approx(round(1000 * crimes[decile] / pop[decile],
                                                             2))
