"""Youth justice outcomes: ages from date of birth (then discarded), date checks, pseudonyms."""

from __future__ import annotations

from safecity.engine.ingest.youth_justice import ADAPTER, sniff

from .extract_helpers import load, rejects, rows, write_csv

HEADER = ["young_person_id", "date_of_birth", "offence_date", "outcome_date", "outcome_type",
          "offence_code", "sex", "age_at_offence"]


def test_ages_are_derived_from_date_of_birth_which_is_never_stored(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "yj.csv", HEADER, [
        ["YP1", "2004-02-29", "2019-02-28", "2019-03-01", "caution", "008n", "M", ""],
        ["YP1", "2004-02-29", "2019-06-01", "2019-08-01", "court_sentence", "46", "M", "15"],
        ["YP2", "2005-01-01", "2019-06-01", "2019-05-01", "caution", "", "F", ""],
        ["YP3", "2005-01-01", "2019-06-01", "2019-07-01", "caution", "", "F", "16"],
        ["YP4", "", "2019-06-01", "2019-07-01", "youth_conditional", "", "F", "15"],
        ["YP5", "2012-01-01", "2019-06-01", "2019-07-01", "other", "", "", ""],
    ])
    (batch,) = load(ADAPTER, [p], wh)
    assert (batch.read, batch.stored, batch.rejected) == (6, 3, 3)
    got = rows(wh, "SELECT age_at_offence, age_at_outcome, outcome_type, offence_code, month "
                   "FROM youth_justice ORDER BY outcome_date")
    assert got == [(14, 15, "caution", "8N", "2019-03"), (7, 7, "other", None, "2019-07"),
                   (15, 15, "court_sentence", "46", "2019-08")]
    assert rows(wh, "SELECT count(DISTINCT young_person_key) FROM youth_justice") == [(2,)]
    reasons = [r["reason"] for r in rejects(wh, batch)]
    assert reasons[0].startswith("outcome_date 2019-05-01 is before offence_date")
    assert reasons[1] == "age_at_offence 16 does not agree with the date of birth (14)"
    assert reasons[2].startswith("outcome_type 'youth_conditional' is not one of")
    assert all(r["date_of_birth"] in ("", "(withheld)") for r in rejects(wh, batch))
    assert any("outside 10-17" in n for n in batch.notes)
    blob = b"".join(f.read_bytes() for f in wh.rglob("*") if f.is_file())
    assert b"2004-02-29" not in blob and b"YP1" not in blob


def test_sniff_recognises_the_youth_justice_layout():
    assert sniff(["young_person_id", "offence_date", "outcome_date", "outcome_type"])
    assert not sniff(["referral_ref", "referral_date"])
