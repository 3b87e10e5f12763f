"""ASB incidents: default layout, derivations, rejects, replacement by month."""

from __future__ import annotations

from safecity.engine.ingest.asb import ADAPTER, sniff

from .extract_helpers import load, rejects, rows, write_csv

HEADER = ["incident_ref", "recorded_date", "asb_type", "reporting_agency", "lsoa_code",
          "latitude", "longitude", "caller_name"]


def test_asb_file_loads_with_month_lsoa_and_grid_reference(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "asb.csv", HEADER, [
        ["A1", "2019-04-01", "Nuisance", "council", "E01017140", "50.91", "-1.40", "Ann Other"],
        ["A2", "15/05/2019", "environmental", "police", "", "", "", ""],
        ["A3", "2019-05-20", "noisy", "police", "", "", "", ""],
        ["A4", "2019-05-20", "", "police", "", "91.0", "-1.40", ""],
    ])
    (batch,) = load(ADAPTER, [p], wh)
    assert (batch.read, batch.stored, batch.rejected) == (4, 2, 2)
    assert batch.months == ["2019-04", "2019-05"] and batch.scope == "asb"
    got = rows(wh, "SELECT incident_ref, source, asb_type, month, lsoa11_code, "
                   "round(easting, -2) FROM asb_incidents ORDER BY 1")
    assert got == [("A1", "asb", "nuisance", "2019-04", "E01017140", 442300.0),
                   ("A2", "asb", "environmental", "2019-05", None, None)]
    reasons = [r["reason"] for r in rejects(wh, batch)]
    assert reasons[0].startswith("asb_type 'noisy' is not one of personal, nuisance")
    assert "not in the UK" in reasons[1]
    assert b"Ann Other" not in b"".join(f.read_bytes() for f in wh.rglob("*") if f.is_file())


def test_newer_asb_file_replaces_the_months_it_covers(tmp_path, home):
    wh = tmp_path / "w"
    header = ["incident_ref", "recorded_date"]
    load(ADAPTER, [write_csv(tmp_path / "a.csv", header, [["X", "2019-04-01"], ["Y", "2019-05-01"]])], wh)
    load(ADAPTER, [write_csv(tmp_path / "b.csv", header, [["Y2", "2019-05-02"]])], wh)
    assert rows(wh, "SELECT incident_ref FROM asb_incidents ORDER BY 1") == [("X",), ("Y2",)]


def test_sniff_recognises_the_asb_layout():
    assert sniff(["incident_ref", "recorded_date", "asb_type"])
    assert not sniff(["crime_ref", "recorded_date"])
