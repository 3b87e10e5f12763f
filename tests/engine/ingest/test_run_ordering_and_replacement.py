"""The dispatcher's ordering of dependent files, whole-table replacement, and honest totals."""

from __future__ import annotations


from safecity.engine.ingest.run import ingest_paths
from safecity.engine.ingest.status import warehouse_status
from safecity.engine.warehouse import Warehouse
from safecity.cli.warehouse import format_status

from .extract_helpers import rows, write_csv
from .test_geography import HEADER as GEOGRAPHY_HEADER
from .test_police_extract import extract_files


def test_victims_listed_before_their_crimes_in_one_command_still_get_their_month(tmp_path, home):
    crimes, victims, suspects = extract_files(tmp_path)
    mapping = tmp_path / "mapping.yaml"
    from importlib import resources
    mapping.write_text((resources.files("safecity.engine.ingest") / "mappings"
                        / "example-police-extract.yaml").read_text(encoding="utf-8"))
    wh = tmp_path / "w"
    report = ingest_paths([victims, suspects, crimes], source="police-extract", warehouse=wh,
                          mapping=mapping)
    assert [f.name for f in report.files][0] == "crimes.csv"
    assert rows(wh, "SELECT count(*) FROM victims WHERE month IS NULL") == [(0,)]
    assert rows(wh, "SELECT DISTINCT month FROM victims ORDER BY 1") == [("2019-04",), ("2019-05",)]


def test_a_geography_file_replaces_the_whole_table_and_status_says_so(tmp_path, home):
    wh = tmp_path / "w"
    first = write_csv(tmp_path / "g1.csv", GEOGRAPHY_HEADER, [
        ["E01017140", "", "", "North", "E06000045", "E22000120", "1500"]])
    second = write_csv(tmp_path / "g2.csv", GEOGRAPHY_HEADER, [
        ["E01017139", "", "", "South", "E06000045", "E22000120", "1400"]])
    ingest_paths([first], source="geography", warehouse=wh)
    report = ingest_paths([second], source="geography", warehouse=wh)
    assert report.files[0].months == ()
    assert any("replaces the whole geography table" in s for s in report.replacements)
    assert len(Warehouse(wh).batches()) == 1
    text = "\n".join(format_status(warehouse_status(wh)))
    assert "geography: whole table" in text
    assert "0000" not in text


def test_status_totals_still_add_up_after_a_newer_file_replaces_some_months(tmp_path, home):
    header = ["crime_ref", "offence_code", "recorded_date"]
    old = write_csv(tmp_path / "old.csv", header, [["A", "8N", "2019-04-01"],
                                                  ["B", "8N", "2019-05-02"],
                                                  ["C", "8N", "2019-05-03"]])
    new = write_csv(tmp_path / "new.csv", header, [["B2", "46", "2019-05-03"]])
    wh = tmp_path / "w"
    ingest_paths([old], source="police-extract", warehouse=wh)
    ingest_paths([new], source="police-extract", warehouse=wh)
    (src,) = warehouse_status(wh).sources
    assert (src.read, src.stored, src.rejected, src.replaced) == (4, 2, 0, 2)
    assert src.read == src.stored + src.rejected + src.replaced
    assert "replaced by newer files 2" in "\n".join(format_status(warehouse_status(wh)))
