"""The ingest dispatcher: guessing the source, idempotency, replacement, archives, mappings."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from safecity.engine.errors import ConfigError, SourceError
from safecity.engine.ingest.run import ALREADY_LOADED, guess_kind, ingest_paths, load_mapping
from safecity.engine.warehouse import Warehouse

from .police_uk_helpers import HEADER, cid, snapshot, street_row, write_street


def test_a_police_uk_street_file_is_recognised_by_its_header(tmp_path):
    path = write_street(tmp_path / "my-export.csv", [street_row(cid(1))])
    assert guess_kind(path) == "police-uk"


def test_a_file_no_reader_recognises_asks_for_source(tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("colour,size\nred,3\n", encoding="utf-8")
    with pytest.raises(SourceError, match="--source"):
        guess_kind(path)


def test_an_unknown_source_kind_is_refused_with_the_known_kinds(tmp_path):
    path = write_street(tmp_path / "x.csv", [street_row(cid(1))])
    with pytest.raises(SourceError, match="police-uk"):
        ingest_paths([path], source="burglar-alarms", warehouse=tmp_path / "w")


def test_loading_the_same_file_twice_changes_nothing(home, tmp_path):
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", [street_row(cid(1))])
    first = ingest_paths([path], warehouse=tmp_path / "w")
    before = snapshot(tmp_path / "w")
    again = ingest_paths([path], warehouse=tmp_path / "w")
    assert first.files[0].stored == 1
    assert again.files[0].skipped and again.files[0].notes == (ALREADY_LOADED,)
    assert snapshot(tmp_path / "w") == before


def test_the_same_content_twice_in_one_run_is_loaded_once(home, tmp_path):
    rows = [street_row(cid(1))]
    a = write_street(tmp_path / "a" / "2019-01-hampshire-street.csv", rows)
    b = write_street(tmp_path / "b" / "2019-01-hampshire-street.csv", rows)
    report = ingest_paths([a, b], warehouse=tmp_path / "w")
    assert [f.skipped for f in report.files] == [False, True]
    assert Warehouse(tmp_path / "w").connect().execute(
        "SELECT count(*) FROM crimes").fetchall()[0][0] == 1


def test_a_newer_file_for_the_same_force_and_month_replaces_the_old_and_says_so(home, tmp_path):
    old = write_street(tmp_path / "old" / "2019-01-hampshire-street.csv",
                       [street_row(cid(1)), street_row(cid(2))])
    other = write_street(tmp_path / "old" / "2019-01-dorset-street.csv",
                         [street_row(cid(3), force="Dorset Police")])
    ingest_paths([old, other], warehouse=tmp_path / "w")
    new = write_street(tmp_path / "new" / "2019-01-hampshire-street.csv",
                       [street_row(cid(1), outcome="Awaiting court outcome")])
    report = ingest_paths([new], warehouse=tmp_path / "w")
    [sentence] = report.replacements
    assert sentence.startswith("A newer file replaces months already loaded:")
    assert str(new) in sentence and "2019-01" in sentence and str(old) in sentence
    con = Warehouse(tmp_path / "w").connect()
    assert con.execute("SELECT crime_ref, outcome FROM crimes WHERE force LIKE 'Hamp%'"
                       ).fetchall() == [(cid(1), "Awaiting court outcome")]
    assert con.execute("SELECT count(*) FROM crimes WHERE force = 'Dorset Police'"
                       ).fetchall()[0][0] == 1  # another force's same month is untouched


def test_a_folder_of_months_loads_recursively_and_skips_outcomes_files(home, tmp_path):
    root = tmp_path / "download"
    write_street(root / "2019-01" / "2019-01-hampshire-street.csv", [street_row(cid(1))])
    write_street(root / "2019-02" / "2019-02-hampshire-street.csv",
                 [street_row(cid(2), "2019-02")])
    (root / "2019-02" / "2019-02-hampshire-outcomes.csv").write_text("Crime ID,Month\n")
    report = ingest_paths([root], warehouse=tmp_path / "w")
    loaded = [f for f in report.files if not f.skipped]
    skipped = [f for f in report.files if f.skipped]
    assert [f.months for f in loaded] == [("2019-01",), ("2019-02",)]
    assert len(skipped) == 1 and "outcomes file" in skipped[0].notes[0]


def test_the_monthly_archive_zip_loads_its_street_members(home, tmp_path):
    a = write_street(tmp_path / "a.csv", [street_row(cid(1))])
    b = write_street(tmp_path / "b.csv", [street_row(cid(2), "2019-01", force="Dorset Police")])
    archive = tmp_path / "2019-01.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(a, "2019-01/2019-01-hampshire-street.csv")
        zf.write(b, "2019-01/2019-01-dorset-street.csv")
        zf.writestr("2019-01/2019-01-dorset-stop-and-search.csv", "Type,Date\n")
    assert guess_kind(archive) == "police-uk"
    report = ingest_paths([archive], warehouse=tmp_path / "w")
    names = sorted(f.name for f in report.files if not f.skipped)
    assert names == [f"{archive}:2019-01/2019-01-dorset-street.csv",
                     f"{archive}:2019-01/2019-01-hampshire-street.csv"]
    assert {b.scope for b in Warehouse(tmp_path / "w").batches()} == {"dorset", "hampshire"}
    assert any("stop-and-search" in n for f in report.files for n in f.notes)
    assert ingest_paths([archive], warehouse=tmp_path / "w").stored == 0  # idempotent


def test_a_mapping_file_is_parsed_and_a_bad_one_is_a_sentence(tmp_path):
    good = tmp_path / "map.yaml"
    good.write_text("kind: police-extract\ntables:\n  crimes:\n    columns: {crime_ref: Ref}\n")
    assert load_mapping(good)["tables"]["crimes"]["columns"] == {"crime_ref": "Ref"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_mapping(bad)
    with pytest.raises(ConfigError, match="cannot be read"):
        load_mapping(tmp_path / "missing.yaml")


def test_an_early_file_with_easting_northing_and_no_crime_id_loads(home, tmp_path):
    header = ["Month", "Reported by", "Falls within", "Easting", "Northing", "Location",
              "Crime type", "Context"]
    rows = [["2011-03", "Hampshire Constabulary", "Hampshire Constabulary", "441970", "112420",
             "On or near High Street", "Violent crime", ""],
            ["2011-03", "Hampshire Constabulary", "Hampshire Constabulary", "441970", "112420",
             "On or near High Street", "Anti-social behaviour", ""]]
    path = write_street(tmp_path / "2011-03-hampshire-street.csv", rows, header=header)
    report = ingest_paths([path], warehouse=tmp_path / "w")
    assert (report.read, report.stored, report.rejected) == (2, 2, 0)
    con = Warehouse(tmp_path / "w").connect()
    [(ref, category, lon, lat)] = con.execute(
        "SELECT crime_ref, police_uk_category, longitude, latitude FROM crimes").fetchall()
    assert ref == "2011-03-hampshire-street.csv#2" and category == "Violent crime"
    assert lon == pytest.approx(-1.4044, abs=1e-3) and lat == pytest.approx(50.9097, abs=1e-3)


def test_coordinates_are_projected_to_british_national_grid(home, tmp_path):
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", [street_row(cid(1))])
    ingest_paths([path], warehouse=tmp_path / "w")
    [(e, n, lsoa11)] = Warehouse(tmp_path / "w").connect().execute(
        "SELECT easting, northing, lsoa11_code FROM crimes").fetchall()
    assert (round(e, -1), round(n, -1)) == (441970.0, 112420.0)  # as geo.to_bng's example
    assert lsoa11 == "E01017140"


def test_header_names_are_matched_whatever_their_case_and_spacing(home, tmp_path):
    header = [f" {h.upper()} " for h in HEADER]
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", [street_row(cid(1))],
                        header=header)
    assert ingest_paths([path], source="police-uk", warehouse=tmp_path / "w").stored == 1


def test_files_hashed_while_they_load_record_their_sha256_and_are_skipped_next_time(
        home, tmp_path):
    import hashlib

    # Different sizes: nothing loaded could match, so each is hashed while it loads.
    a = write_street(tmp_path / "2019-01-hampshire-street.csv", [street_row(cid(1))])
    b = write_street(tmp_path / "2019-02-hampshire-street.csv",
                     [street_row(cid(2), month="2019-02"), street_row(cid(3), month="2019-02")])
    ingest_paths([a, b], warehouse=tmp_path / "w")
    recorded = {i["name"]: i["sha256"] for batch in Warehouse(tmp_path / "w").batches()
                for i in batch.inputs}
    assert recorded == {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in (a, b)}
    again = ingest_paths([b, a], warehouse=tmp_path / "w")
    assert [f.skipped for f in again.files] == [True, True]


def test_the_content_hash_is_sha256_of_the_bytes_whatever_the_size(tmp_path):
    """sha256_file hashes through a memory map in 16 MB blocks: an empty file, a small one
    and one spanning several blocks give hashlib's own digest of their bytes."""
    import hashlib

    from safecity.engine.ingest.base import sha256_file

    for name, data in (("empty", b""), ("small", b"Crime ID,Month\n" * 3),
                       ("blocks", bytes(range(256)) * (40 * 2**20 // 256 + 7))):
        path = tmp_path / name
        path.write_bytes(data)
        assert sha256_file(path) == hashlib.sha256(data).hexdigest(), name
