"""The police record-level extract: mapping, derivations, linking, replacement, sniffing."""

from __future__ import annotations

from importlib import resources

import openpyxl
import pytest
import yaml

from safecity.engine.errors import ConfigError, SourceError
from safecity.engine.ingest import police_extract
from safecity.engine.ingest.police_extract import ADAPTER, sniff

from .extract_helpers import load, rejects, rows, write_csv

CRIME_HEADER = ["Crime Reference", "HO Offence Code", "Date Recorded", "Committed From",
                "Committed To", "LSOA Code", "Easting", "Northing", "DA Flag", "Hate Race",
                "Knife Flag", "Officer Notes"]
VICTIM_HEADER = ["Crime Reference", "Victim ID", "Victim Type", "Age", "Gender",
                 "Relationship to Offender", "Victim Surname"]
SUSPECT_HEADER = ["Crime Reference", "Suspect ID", "Age", "Gender"]


@pytest.fixture
def example_mapping() -> dict:
    text = (resources.files("safecity.engine.ingest") / "mappings"
            / "example-police-extract.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def extract_files(tmp_path):
    crimes = write_csv(tmp_path / "crimes.csv", CRIME_HEADER, [
        ["SC/1", "008N", "02/04/2019 10:00", "01/04/2019 22:00", "", "E01017140", "442000",
         "112000", "Y", "N", "Knife", "Victim Jane Smith said..."],
        ["SC/2", "28E", "03/05/2019", "01/05/2019 08:00", "02/05/2019 18:00", "E01035443", "",
         "", "N", "", "None", ""],
        ["SC/3", "4/1", "2019-06-10", "", "", "", "", "", "", "", "", ""],
        ["SC/4", "XYZ", "2019-06-11", "", "", "", "", "", "", "", "", ""],
    ])
    victims = write_csv(tmp_path / "victims.csv", VICTIM_HEADER, [
        ["SC/1", "V-001", "Individual", "34", "F", "Spouse/Partner", "Smith"],
        ["SC/2", "V-002", "Individual", "71", "M", "Stranger", "Jones"],
        ["SC/2", "", "Organisation", "", "", "", ""],
    ])
    suspects = write_csv(tmp_path / "suspects.csv", SUSPECT_HEADER, [
        ["SC/1", "S-9", "36", "M"],
        ["SC/3", "S-9", "36", "M"],
    ])
    return crimes, victims, suspects


def test_example_mapping_loads_an_extract_with_derived_columns(tmp_path, home, example_mapping):
    wh = tmp_path / "w"
    crimes, victims, suspects = extract_files(tmp_path)
    b_crimes, b_victims, b_suspects = load(ADAPTER, [crimes, victims, suspects], wh,
                                           example_mapping)
    assert (b_crimes.read, b_crimes.stored, b_crimes.rejected) == (4, 4, 0)
    assert b_crimes.scope == "extract/crimes" and b_crimes.source == "police-extract"
    assert b_crimes.months == ["2019-04", "2019-05", "2019-06"]
    got = rows(wh, "SELECT crime_ref, offence_code, offence_group, offence_subgroup, "
                   "police_uk_category, month, lsoa11_code, domestic_abuse, weapon_bladed, "
                   "committed_to FROM crimes ORDER BY crime_ref")
    assert got[0][:9] == ("SC/1", "8N", "Violence against the person", "Violence with injury",
                          "Violence and sexual offences", "2019-04", "E01017140", True, True)
    assert str(got[0][9]) == "2019-04-01 22:00:00"  # blank committed_to = committed_from
    # a 2021 LSOA code is converted to its 2011 parent
    assert got[1][1:7] == ("28E", "Theft offences", "Residential burglary", "Burglary",
                           "2019-05", "E01032756")
    assert got[2][1:4] == ("4.1", "Violence against the person", "Homicide")
    assert got[3][1:3] == ("XYZ", None)
    assert any("XYZ (1)" in n for n in b_crimes.notes)
    # victims and suspects take their crime's month; the business victim has no person key
    assert b_victims.months == ["2019-04", "2019-05"] and b_victims.scope == "extract/victims"
    v = rows(wh, "SELECT crime_ref, person_key IS NULL, victim_type, age, sex, relationship, "
                 "month FROM victims ORDER BY crime_ref, victim_type")
    assert v == [("SC/1", False, "person", 34, "female", "partner", "2019-04"),
                 ("SC/2", True, "business", None, None, None, "2019-05"),
                 ("SC/2", False, "person", 71, "male", "stranger", "2019-05")]
    s = rows(wh, "SELECT count(DISTINCT person_key), count(*) FROM suspects")
    assert s == [(1, 2)]  # the same suspect id gives the same key
    assert b_suspects.months == ["2019-04", "2019-06"]


def test_unmapped_columns_holding_names_and_notes_are_never_stored(tmp_path, home,
                                                                   example_mapping):
    wh = tmp_path / "w"
    load(ADAPTER, list(extract_files(tmp_path)), wh, example_mapping)
    blob = b"".join(p.read_bytes() for p in wh.rglob("*") if p.is_file())
    for secret in (b"Jane Smith", b"Smith", b"Jones", b"V-001", b"S-9"):
        assert secret not in blob


def test_default_layout_reads_contract_headers_without_a_mapping(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "c.csv", ["crime_ref", "offence_code", "recorded_date", "latitude",
                                       "longitude"], [["C1", "105A", "2019-04-01", "50.91", "-1.40"]])
    (batch,) = load(ADAPTER, [p], wh)
    assert batch.stored == 1
    (e, n), = rows(wh, "SELECT easting, northing FROM crimes")
    assert round(e, -2) == 442300 and round(n, -2) == 112500


def test_mapping_naming_a_name_column_is_refused_with_a_sentence(tmp_path, home,
                                                                  example_mapping):
    example_mapping["tables"]["victims"]["columns"]["victim_name"] = "Victim Surname"
    crimes, victims, _ = extract_files(tmp_path)
    with pytest.raises(ConfigError) as err:
        load(ADAPTER, [crimes], tmp_path / "w", example_mapping)
    assert "never stores names" in str(err.value)
    assert "victim_name" in str(err.value)


def test_mapping_naming_an_unknown_column_lists_the_known_ones(tmp_path, home, example_mapping):
    example_mapping["tables"]["crimes"]["columns"]["colour"] = "Colour"
    with pytest.raises(ConfigError, match="not a column of the data contract's crimes table"):
        load(ADAPTER, [extract_files(tmp_path)[0]], tmp_path / "w", example_mapping)


def test_mapping_value_outside_the_allowed_values_is_refused(tmp_path, home, example_mapping):
    example_mapping["tables"]["victims"]["values"]["victim_type"]["Individual"] = "human"
    with pytest.raises(ConfigError, match="'human', which is not one of person, business, state"):
        load(ADAPTER, [extract_files(tmp_path)[0]], tmp_path / "w", example_mapping)


def test_file_matching_no_table_names_the_expected_headers(tmp_path, home, example_mapping):
    p = write_csv(tmp_path / "other.csv", ["Ref", "Date"], [["1", "2019-01-01"]])
    with pytest.raises(SourceError) as err:
        load(ADAPTER, [p], tmp_path / "w", example_mapping)
    assert "matches no table" in str(err.value) and "'Date Recorded'" in str(err.value)


def test_newer_extract_replaces_the_months_it_covers(tmp_path, home):
    wh = tmp_path / "w"
    header = ["crime_ref", "offence_code", "recorded_date"]
    old = write_csv(tmp_path / "old.csv", header, [["A", "8N", "2019-04-01"],
                                                   ["B", "8N", "2019-05-01"]])
    load(ADAPTER, [old], wh)
    new = write_csv(tmp_path / "new.csv", header, [["B2", "46", "2019-05-03"],
                                                   ["C", "46", "2019-06-01"]])
    load(ADAPTER, [new], wh)
    assert rows(wh, "SELECT crime_ref FROM crimes ORDER BY 1") == [("A",), ("B2",), ("C",)]


def test_victims_loaded_before_their_crimes_are_kept_and_say_why_they_have_no_month(tmp_path,
                                                                                     home):
    p = write_csv(tmp_path / "v.csv", ["crime_ref", "person_key", "victim_type"],
                  [["Z1", "P", "person"]])
    (batch,) = load(ADAPTER, [p], tmp_path / "w")
    assert batch.stored == 1 and batch.months == []
    assert any("load the crimes file first" in n for n in batch.notes)


def test_xlsx_extract_with_a_title_row_loads(tmp_path, home, example_mapping):
    p = tmp_path / "crimes.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Southampton crime extract, April 2019"])
    book.active.append(CRIME_HEADER)
    book.active.append(["SC/1", "8N", "02/04/2019", "", "", "", "", "", "Y", "", "", ""])
    book.save(p)
    (batch,) = load(ADAPTER, [p], tmp_path / "w", example_mapping)
    assert (batch.read, batch.stored) == (1, 1)
    assert rows(tmp_path / "w", "SELECT source_line FROM crimes") == [(3,)]


@pytest.mark.parametrize("header, expected", [
    (["crime_ref", "offence_code", "recorded_date"], True),
    (["crime_ref", "person_key", "victim_type", "age"], True),
    (["crime_ref", "person_key", "age", "sex"], True),
    (["report_ref", "crime_ref", "channel", "recorded_date"], False),
    (["Crime ID", "Month", "Crime type"], False),
])
def test_sniff_recognises_default_layout_extract_files(header, expected):
    assert sniff(header) is expected


def test_adapter_exposes_its_kind():
    assert police_extract.ADAPTER.kind == "police-extract"


def test_rows_are_the_same_when_built_in_several_chunks(tmp_path, home, monkeypatch):
    from safecity.engine.ingest import records

    monkeypatch.setattr(records, "CHUNK_ROWS", 3)
    header = ["crime_ref", "offence_code", "recorded_date", "latitude", "longitude"]
    data = [[f"C{i}", "8N", f"2019-{1 + i % 12:02d}-01", "50.9", "-1.4"] for i in range(10)]
    (batch,) = load(ADAPTER, [write_csv(tmp_path / "c.csv", header, data)], tmp_path / "w")
    assert (batch.stored, len(batch.months)) == (10, 10)
    got = rows(tmp_path / "w", "SELECT count(*), count(easting), min(source_line), "
                               "max(source_line) FROM crimes")
    assert got == [(10, 10, 2, 11)]
