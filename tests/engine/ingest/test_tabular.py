"""The CSV/XLSX reader: encodings, delimiters, title rows, line numbers, and what it refuses."""

from __future__ import annotations

import gzip

import openpyxl
import pytest

from safecity.engine.errors import SourceError
from safecity.engine.ingest.tabular import open_table, require_columns

from .extract_helpers import item


def read_all(path, **kw):
    tab = open_table(item(path), **kw)
    return tab, list(tab.rows)


def test_utf8_with_bom_and_crlf_reads_clean_headers_and_line_numbers(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes(b"\xef\xbb\xbfcrime_ref,note\r\nC1,x\r\nC2,y\r\n")
    tab, rows = read_all(p)
    assert tab.header == ["crime_ref", "note"]
    assert rows == [(2, ["C1", "x"]), (3, ["C2", "y"])]
    assert tab.notes == []


def test_latin1_file_with_a_pound_sign_is_read_as_windows_1252_with_a_note(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes("crime_ref,loss\nC1,£50\n".encode("cp1252"))
    tab, rows = read_all(p)
    assert rows == [(2, ["C1", "£50"])]
    assert any("Windows-1252" in n for n in tab.notes)


def test_quoted_value_spanning_lines_keeps_the_physical_line_of_its_row(tmp_path):
    p = tmp_path / "multi.csv"
    p.write_text('crime_ref,note\nC1,"two\nlines"\nC2,z\n', encoding="utf-8")
    _, rows = read_all(p)
    assert [r[0] for r in rows] == [2, 4]


def test_blank_lines_are_not_rows(tmp_path):
    p = tmp_path / "blank.csv"
    p.write_text("crime_ref\n\nC1\n\n", encoding="utf-8")
    _, rows = read_all(p)
    assert rows == [(3, ["C1"])]


@pytest.mark.parametrize("delimiter, shown", [(";", "';'"), ("\t", "tabs"), ("|", "'|'")])
def test_a_file_separated_by_something_else_than_commas_is_refused_with_the_fix(tmp_path,
                                                                                delimiter, shown):
    p = tmp_path / "semi.csv"
    p.write_text(delimiter.join(["crime_ref", "offence_code", "recorded_date"]) + "\nC1;8N;x\n")
    with pytest.raises(SourceError) as err:
        open_table(item(p))
    assert f"separated by {shown}" in str(err.value)
    assert "comma-separated" in str(err.value)


def test_gzipped_csv_is_read(tmp_path):
    p = tmp_path / "a.csv.gz"
    p.write_bytes(gzip.compress(b"crime_ref\nC1\n"))
    _, rows = read_all(p)
    assert rows == [(2, ["C1"])]


@pytest.mark.parametrize("content, expected", [
    (b"", "is empty"),
    (b"\r\n  \n", "is empty"),
    (b"%PDF-1.4 binary", "is a PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old-format Excel"),
    (b"PK\x03\x04" + b"\0" * 100, "not a readable Excel workbook"),
    (b"\x00\x01\x02crime_ref\x00", "binary data"),
])
def test_files_that_are_not_tables_are_refused_with_a_sentence(tmp_path, content, expected):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(SourceError) as err:
        open_table(item(p))
    assert expected in str(err.value)
    assert "bad.csv" in str(err.value)


def test_bytes_that_no_encoding_explains_are_refused(tmp_path):
    p = tmp_path / "odd.csv"
    p.write_bytes(b"crime_ref\nC\x81\x8d\x8f\n")  # undefined in UTF-8 and in Windows-1252
    with pytest.raises(SourceError, match="unknown text encoding"):
        open_table(item(p))


def test_missing_required_column_names_what_is_missing_and_what_was_found(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("Crime Reference,Offence\nC1,8N\n")
    tab = open_table(item(p))
    with pytest.raises(SourceError) as err:
        require_columns(tab, p.name, {"Crime Reference": "crime_ref", "Date Recorded": "recorded_date"})
    message = str(err.value)
    assert "missing required column 'Date Recorded'" in message
    assert "'Crime Reference', 'Offence'" in message


def test_xlsx_title_rows_above_the_header_are_skipped_and_rows_keep_sheet_numbers(tmp_path):
    p = tmp_path / "extract.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Crime extract for Southampton"])
    sheet.append(["Produced 1 May 2020"])
    sheet.append([])
    sheet.append(["Crime Reference", "Date Recorded", "Age"])
    import datetime as dt
    sheet.append(["C1", dt.datetime(2019, 4, 5), 23])
    sheet.append(["C2", dt.datetime(2019, 4, 6, 13, 30), 41.0])
    book.save(p)
    tab, rows = read_all(p, expected=["Crime Reference", "Date Recorded"])
    assert tab.header == ["Crime Reference", "Date Recorded", "Age"]
    assert tab.header_line == 4
    assert rows == [(5, ["C1", "2019-04-05", "23"]), (6, ["C2", "2019-04-06 13:30:00", "41"])]
    assert any("title row" in n for n in tab.notes)


def test_xlsx_without_the_expected_headers_still_shows_what_it_has(tmp_path):
    p = tmp_path / "wrong.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Reference", "When"])
    book.active.append(["C1", "2019-01-01"])
    book.save(p)
    tab = open_table(item(p), expected=["crime_ref"])
    with pytest.raises(SourceError, match="'Reference', 'When'"):
        require_columns(tab, p.name, {"crime_ref": "crime_ref"})


def test_file_named_xlsx_that_is_text_is_refused(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_text("crime_ref\nC1\n")
    with pytest.raises(SourceError, match="named like an Excel workbook"):
        open_table(item(p))


def test_truncated_last_line_is_recognised(tmp_path):
    p = tmp_path / "cut.csv"
    p.write_bytes(b"a,b,c\n1,2,3\n4,5")
    tab, rows = read_all(p)
    assert tab.check_shape(*rows[0], is_last=False) is None
    assert "truncated" in tab.check_shape(*rows[1], is_last=True)
