"""Person identifiers: the same id gets the same key across files; the raw id is stored nowhere."""

from __future__ import annotations

from safecity.engine.ingest import police_extract, referrals, youth_justice

from .extract_helpers import load, rows, write_csv


def all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_same_person_gets_the_same_key_in_different_files_and_tables(tmp_path, home):
    wh = tmp_path / "w"
    crimes = write_csv(tmp_path / "c.csv", ["crime_ref", "offence_code", "recorded_date"],
                       [["C1", "8N", "2019-04-01"], ["C2", "8N", "2019-05-01"]])
    v1 = write_csv(tmp_path / "v1.csv", ["crime_ref", "person_key", "victim_type"],
                   [["C1", "PERSON-77", "person"]])
    v2 = write_csv(tmp_path / "v2.csv", ["crime_ref", "person_key", "victim_type", "age"],
                   [["C2", " person-77 ", "person", "40"]])
    load(police_extract.ADAPTER, [crimes, v1, v2], wh)
    keys = rows(wh, "SELECT DISTINCT person_key FROM victims")
    assert len(keys) == 1 and len(keys[0][0]) == 32


def test_raw_identifiers_appear_in_no_parquet_or_rejects_file(tmp_path, home):
    wh = tmp_path / "w"
    v = write_csv(tmp_path / "v.csv", ["crime_ref", "person_key", "victim_type", "age"],
                  [["C1", "RAWVICTIM1", "person", "30"], ["C2", "RAWVICTIM2", "person", "999"]])
    yj = write_csv(tmp_path / "yj.csv", ["young_person_id", "date_of_birth", "offence_date",
                                         "outcome_date", "outcome_type"],
                   [["RAWYOUTH1", "2003-02-01", "2019-05-01", "2019-06-01", "caution"],
                    ["RAWYOUTH2", "2003-02-01", "2019-05-01", "2019-04-01", "caution"]])
    rf = write_csv(tmp_path / "rf.csv", ["referral_ref", "referral_date", "person_id"],
                   [["R1", "2019-05-01", "RAWREFERRAL1"], ["R2", "31/02/2019", "RAWREFERRAL2"]])
    load(police_extract.ADAPTER, [v], wh)
    load(youth_justice.ADAPTER, [yj], wh)
    load(referrals.ADAPTER, [rf], wh)
    blob = all_bytes(wh)
    assert list((wh / "rejects").glob("*.csv"))  # rejects exist and were searched too
    for raw in (b"RAWVICTIM", b"RAWYOUTH", b"RAWREFERRAL", b"2003-02-01"):
        assert raw not in blob
