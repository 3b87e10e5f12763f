"""Domestic abuse referrals: month, children count, pseudonymised victim."""

from __future__ import annotations

from safecity.engine.ingest.referrals import ADAPTER, sniff

from .extract_helpers import load, rejects, rows, write_csv


def test_referrals_load_and_reject_bad_counts(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "marac.csv", ["referral_ref", "referral_date", "person_id",
                                           "children_in_household", "repeat_referral"], [
        ["R1", "2019-04-10", "V1", "2", "N"],
        ["R2", "2019-05-10", "V1", "0", "Y"],
        ["R3", "2019-05-11", "V2", "-1", "N"],
        ["R4", "2019-05-12", "V3", "two", ""],
    ])
    (batch,) = load(ADAPTER, [p], wh)
    assert (batch.read, batch.stored, batch.rejected) == (4, 2, 2)
    assert batch.months == ["2019-04", "2019-05"]
    got = rows(wh, "SELECT referral_ref, children_in_household, repeat_referral, month, "
                   "length(person_key) FROM referrals ORDER BY 1")
    assert got == [("R1", 2, False, "2019-04", 32), ("R2", 0, True, "2019-05", 32)]
    reasons = [r["reason"] for r in rejects(wh, batch)]
    assert reasons == ["children_in_household -1 is negative",
                       "children_in_household 'two' is not a whole number"]


def test_sniff_recognises_the_referrals_layout():
    assert sniff(["referral_ref", "referral_date", "person_id"])
