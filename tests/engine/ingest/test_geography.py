"""A partnership's geography file: wards and sectors, filled from the reference, replaced whole."""

from __future__ import annotations

from safecity.engine.ingest.geography import ADAPTER, sniff

from .extract_helpers import load, rejects, rows, write_csv

HEADER = ["lsoa11_code", "ward_code", "ward_name", "sector", "lad_code", "csp_code", "population"]


def test_geography_loads_fills_imd_from_the_reference_and_checks_codes(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "geo.csv", HEADER, [
        ["E01017140", "E05002462", "Bargate", "City Centre", "E06000045", "E22000120", "1500"],
        ["E01035443", "E05002462", "Bargate", "City Centre", "E06000045", "E22000120", "1600"],
        ["E01032756", "E05002462", "Bargate", "City Centre", "E06000045", "E22000120", "1600"],
        ["X01000001", "", "", "", "E06000045", "E22000120", "10"],
    ])
    (batch,) = load(ADAPTER, [p], wh)
    assert (batch.read, batch.stored, batch.rejected) == (4, 2, 2)
    got = rows(wh, "SELECT lsoa11_code, sector, imd_decile IS NOT NULL, lad_name, csp_name "
                   "FROM geography ORDER BY 1")
    assert got == [("E01017140", "City Centre", True, "Southampton", "Southampton"),
                   ("E01032756", "City Centre", True, "Southampton", "Southampton")]
    reasons = [r["reason"] for r in rejects(wh, batch)]
    assert "is already on line 3" in reasons[0]
    assert reasons[1] == "lsoa11_code 'X01000001' is not a 2011 LSOA code"


def test_a_second_geography_file_replaces_the_first_entirely(tmp_path, home):
    wh = tmp_path / "w"
    first = write_csv(tmp_path / "g1.csv", HEADER, [
        ["E01017140", "", "", "North", "E06000045", "E22000120", "1500"]])
    second = write_csv(tmp_path / "g2.csv", HEADER, [
        ["E01017139", "", "", "South", "E06000045", "E22000120", "1400"]])
    load(ADAPTER, [first], wh)
    load(ADAPTER, [second], wh)
    assert rows(wh, "SELECT lsoa11_code, sector FROM geography") == [("E01017139", "South")]


def test_sniff_recognises_the_geography_layout():
    assert sniff(["lsoa11_code", "lad_code", "csp_code", "population", "imd_decile"])
