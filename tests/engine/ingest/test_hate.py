"""Hate reports: channels, several strands per report, crime links."""

from __future__ import annotations

from safecity.engine.ingest.hate import ADAPTER, sniff

from .extract_helpers import load, rejects, rows, write_csv

HEADER = ["report_ref", "recorded_date", "channel", "is_crime", "crime_ref", "strand_race",
          "strand_religion", "strand_disability", "lsoa_code", "free_text"]


def test_hate_reports_load_with_several_strands_and_linked_crimes(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "hate.csv", HEADER, [
        ["H1", "2020-09-01", "police", "", "SC/9", "Y", "Y", "", "E01017140", "abuse shouted"],
        ["H2", "2020-10-05", "third_party", "N", "", "", "", "yes", "", ""],
        ["H3", "2020-10-06", "letter", "", "", "Y", "", "", "", ""],
        ["H4", "2020-10-07", "online", "", "", "", "", "", "", ""],
    ])
    (batch,) = load(ADAPTER, [p], wh)
    assert (batch.read, batch.stored, batch.rejected) == (4, 3, 1)
    got = rows(wh, "SELECT report_ref, channel, is_crime, strand_race, strand_religion, "
                   "strand_disability, month FROM hate_reports ORDER BY 1")
    assert got == [("H1", "police", True, True, True, False, "2020-09"),
                   ("H2", "third_party", False, False, False, True, "2020-10"),
                   ("H4", "online", False, False, False, False, "2020-10")]
    assert "channel 'letter' is not one of" in rejects(wh, batch)[0]["reason"]
    assert any("no strand marked" in n for n in batch.notes)


def test_sniff_recognises_the_hate_layout():
    assert sniff(["report_ref", "recorded_date", "channel"])
    assert not sniff(["report_ref", "recorded_date"])
