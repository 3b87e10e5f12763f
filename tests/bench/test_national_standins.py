"""The national archive's stand-ins for the forces the shared police.uk data lacks
(bench/standins.py): a stand-in month lands in its own force's places (every point inside the
polygon of the LSOA its row names, that LSOA in one of the force's CSPs once loaded), scaled to
the force's residents, and the same month is generated the same way every time."""

from __future__ import annotations

import csv
import gzip
import math
import sys
from pathlib import Path

import duckdb
import pytest
import shapely
from shapely.geometry import shape

from safecity.engine import reference
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "bench"))
import standins  # noqa: E402

WEST_YORKSHIRE = next(s for s in standins.STAND_INS if s.slug == "west-yorkshire")


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    path = tmp_path_factory.mktemp("standin") / "2016-03-west-yorkshire-street.csv.gz"
    rows = standins.write_month(DATA, WEST_YORKSHIRE, "2016-03", 2, path)
    return path, rows


def _rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _csv_lsoas_of(pfa: str) -> set[str]:
    """West Yorkshire's 2011 LSOAs read here with the csv module: its CSPs from the population
    file, their LSOAs from the package's LSOA geography."""
    with open(DATA / "population" / "csp_population_mid2018_mid2019.csv", newline="",
              encoding="utf-8") as fh:
        csps = {r["csp_code"] for r in csv.DictReader(fh) if r["pfa_name"] == pfa}
    table = reference.lsoa_csps().to_pydict()
    return {lsoa for lsoa, csp in zip(table["lsoa11_code"], table["csp_code"]) if csp in csps}


def test_every_point_lies_in_the_lsoa_its_row_names_and_in_the_force(month):
    path, n = month
    rows = _rows(path)
    assert len(rows) == n
    assert {r["Month"] for r in rows} == {"2016-03"}
    assert {r["Falls within"] for r in rows} == {"West Yorkshire Police"}
    located = [r for r in rows if r["LSOA code"]]
    assert len(located) > 0.95 * len(rows)
    assert all(not r["Longitude"] and not r["Latitude"] for r in rows if not r["LSOA code"])
    assert {r["LSOA code"] for r in located} <= _csv_lsoas_of("West Yorkshire")
    # spread over the force, not piled into a few of its 1,388 LSOAs
    assert len({r["LSOA code"] for r in located}) > 1200
    with gzip.open(DATA / "boundaries" / "lsoa11_bsc_england_wales.geojson.gz", "rt") as fh:
        import json
        polygons = {f["properties"]["LSOA11CD"]: (shape(f["geometry"]),
                                                  f["properties"]["LSOA11NM"])
                    for f in json.load(fh)["features"]}
    for r in located:
        polygon, name = polygons[r["LSOA code"]]
        assert r["LSOA name"] == name
        assert shapely.contains_xy(polygon, float(r["Longitude"]), float(r["Latitude"])), r


def test_volume_is_the_donor_month_scaled_to_the_force_residents(month):
    path, n = month
    donor = standins.donor_files(DATA / "police-uk", WEST_YORKSHIRE)[2]
    donor_rows = len(_rows(donor))
    # mid-2019 residents: West Yorkshire 2,332,469, South Yorkshire 1,409,020
    scale = 2_332_469 / 1_409_020
    assert standins.factor(DATA, WEST_YORKSHIRE) == pytest.approx(scale)
    # every row once, and a seeded draw of each row for the fraction: binomial, 5 sd
    extra = donor_rows * (scale - 1)
    sd = math.sqrt(donor_rows * (scale - 1) * (2 - scale))
    assert abs(n - donor_rows - extra) < 5 * sd
    ids = [r["Crime ID"] for r in _rows(path) if r["Crime ID"]]
    assert len(ids) == len(set(ids))  # copies are distinct crimes, not duplicates


def test_the_same_month_is_generated_the_same_way(month, tmp_path):
    path, _ = month
    again = tmp_path / path.name
    standins.write_month(DATA, WEST_YORKSHIRE, "2016-03", 2, again)
    assert _rows(again) == _rows(path)
    other = tmp_path / "2016-04-west-yorkshire-street.csv.gz"
    standins.write_month(DATA, WEST_YORKSHIRE, "2016-04", 2, other)
    assert [r["LSOA code"] for r in _rows(other)] != [r["LSOA code"] for r in _rows(path)]


def test_loaded_rows_join_to_the_force_csps_with_a_grid_reference(month, tmp_path):
    path, n = month
    wh = Warehouse(tmp_path / "wh")
    report = ingest_paths([path], source="police-uk", warehouse=wh)
    assert (report.read, report.stored, report.rejected) == (n, n, 0)
    con = wh.connect()
    con.register("lsoa_csps", reference.lsoa_csps())
    got = con.execute(
        "SELECT count(*), count(l.csp_code), count(c.easting), min(c.easting), max(c.easting), "
        "min(c.northing), max(c.northing) FROM crimes c LEFT JOIN lsoa_csps l USING "
        "(lsoa11_code) WHERE c.lsoa_code IS NOT NULL").fetchone()
    located = got[0]
    assert got[1] == got[2] == located
    # West Yorkshire's extent on the British National Grid (metres)
    assert 380_000 < got[3] < got[4] < 470_000 and 400_000 < got[5] < got[6] < 470_000
    csps = {c for (c,) in con.execute(
        "SELECT DISTINCT l.csp_code FROM crimes c JOIN lsoa_csps l USING (lsoa11_code)")
        .fetchall()}
    assert csps == {"E22000342", "E22000343", "E22000344", "E22000345", "E22000346"}
    assert duckdb.__version__  # the engine's own reader did the work above
