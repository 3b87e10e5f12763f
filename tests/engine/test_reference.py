"""Built-in reference data, checked against the source files in shared/data read independently."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest
import xlrd  # a test dependency: reads the ONS workbook independently

from safecity.engine import contract, reference


def test_lsoa_geography_has_every_england_and_wales_lsoa_with_contract_columns(shared_data):
    table = reference.lsoa_geography()
    assert table.column_names == [c.name for c in contract.GEOGRAPHY.columns]
    assert table.num_rows == 34_753
    codes = set(table["lsoa11_code"].to_pylist())
    with open(shared_data / "imd/imd2019_lsoa_rank_decile.csv", encoding="utf-8") as fh:
        england = {r["LSOA code (2011)"]: r for r in csv.DictReader(fh)}
    assert set(england) <= codes
    assert sum(c.startswith("W") for c in codes) == 1_909


def test_the_lsoa_to_csp_table_for_benchmarking_equals_the_lsoa_geography():
    """``lsoa_csps`` (read straight into Arrow for all-CSP benchmarking) gives every LSOA the
    CSP ``lsoa_geography`` gives it."""
    fast = reference.lsoa_csps()
    full = reference.lsoa_geography()
    assert fast.column_names == ["lsoa11_code", "csp_code"]
    assert (dict(zip(fast["lsoa11_code"].to_pylist(), fast["csp_code"].to_pylist()))
            == dict(zip(full["lsoa11_code"].to_pylist(), full["csp_code"].to_pylist())))
    assert fast.num_rows == full.num_rows


def test_imd_and_population_match_the_published_files_for_southampton(shared_data):
    with open(shared_data / "imd/imd2019_lsoa_rank_decile.csv", encoding="utf-8") as fh:
        imd = {r["LSOA code (2011)"]: r for r in csv.DictReader(fh)
               if r["Local Authority District name (2019)"] == "Southampton"}
    with open(shared_data / "population/mysociety_2019_lsoa_population.csv",
              encoding="utf-8-sig") as fh:
        pop = {r["lsoa"]: int(r["pop"].replace(",", "")) for r in csv.DictReader(fh)}
    rows = {r["lsoa11_code"]: r for r in reference.lsoa_geography().to_pylist()
            if r["csp_code"] == "E22000120"}
    assert set(rows) == set(imd) and len(rows) == 148
    for code, r in rows.items():
        assert r["imd_rank"] == int(imd[code][next(k for k in imd[code] if "Rank" in k)])
        assert r["imd_decile"] == int(imd[code][next(k for k in imd[code] if "Decile" in k)])
        assert r["population"] == pop[code]
        assert r["lad_code"] == "E06000045" and r["csp_name"] == "Southampton"
    assert sum(r["population"] for r in rows.values()) == 252_520


def test_lsoa_populations_add_up_to_every_csp_population():
    sums: Counter = Counter()
    for r in reference.lsoa_geography().to_pylist():
        sums[r["csp_code"]] += r["population"]
    csps = reference.csps().to_pylist()
    assert len(csps) == 314
    assert all(sums[c["csp_code"]] == c["population_mid2019"] for c in csps)
    assert sum(c["population_mid2019"] for c in csps) == 59_439_840


def test_split_lads_are_resolved_by_lsoa_name():
    by_csp = defaultdict(set)
    for r in reference.lsoa_geography().to_pylist():
        if r["lad_code"] in ("E06000058", "E07000244"):
            by_csp[r["csp_name"]].add(r["lsoa_name"].rsplit(" ", 1)[0])
    assert by_csp == {"Bournemouth": {"Bournemouth"}, "Poole": {"Poole"},
                      "Dorset": {"Christchurch"}, "Suffolk Coastal": {"Suffolk Coastal"},
                      "Waveney": {"Waveney"}}


@pytest.mark.parametrize("lad, expected", [
    ("E06000045", "E22000120"),          # Southampton
    ("E07000154", "E22000237"),          # Northampton (April 2019 district) -> its own CSP
    ("E07000151", "E22000357"),          # Daventry -> Daventry and South Northamptonshire
    ("E06000058", None),                 # BCP: three CSPs
    ("E06000062", None),                 # West Northamptonshire (2021): two CSPs
    ("E06000065", "E22000372"),          # North Yorkshire (2023): one CSP
    ("X99", None),
])
def test_csp_for_lad(lad, expected):
    assert reference.csp_for_lad(lad) == expected


def test_population_10_17_is_the_sum_of_single_years_in_mye2(shared_data):
    sheet = xlrd.open_workbook(
        str(shared_data / "population/ukmidyearestimates20192019ladcodes.xls")
    ).sheet_by_name("MYE2 - Persons")
    header_row = next(i for i in range(20) if sheet.cell_value(i, 0) == "Code")
    header = sheet.row_values(header_row)
    cols = [i for i, h in enumerate(header) if isinstance(h, float) and 10 <= h <= 17]
    values = {sheet.cell_value(i, 0): sum(sheet.row_values(i)[c] for c in cols)
              for i in range(header_row + 1, sheet.nrows) if sheet.cell_value(i, 3) != ""}
    for lad in ("E06000045", "E06000044", "W06000015", "E07000154"):
        assert reference.population_10_17(lad) == values[lad]
    # North Hampshire CSP = Basingstoke and Deane + Hart + Rushmoor
    nh = reference.csps().to_pylist()
    row = next(r for r in nh if r["csp_name"] == "North Hampshire")
    assert row["population_10_17"] == sum(values[c] for c in ("E07000084", "E07000089", "E07000092"))
    assert reference.population_10_17("E22000063") is None  # Bournemouth: part of a LAD


def test_package_data_stays_small():
    from importlib import resources

    folder = resources.files("safecity.engine") / "data"
    total = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    assert total < 3_000_000
