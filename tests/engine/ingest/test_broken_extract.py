"""A corpus of broken extract files, each with its specified outcome and never a traceback.

Structural problems refuse the whole ingest with a sentence (exit 2) and leave the warehouse as it
was; row problems reject the row with its line and reason, keeping read = stored + rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from safecity.cli.app import main
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

from .extract_helpers import write_csv

HEADER = ["crime_ref", "offence_code", "recorded_date", "committed_from"]


@dataclass
class Result:
    exit_code: int
    output: str


def run_cli(capsys, *args: str) -> Result:
    """Run ``safecity ingest`` through the real entry point (errors become sentences there)."""
    import safecity.cli  # noqa: F401  registers the command families

    code = main(["ingest", *args, "--source", "police-extract"])
    out = capsys.readouterr()
    output = out.out + out.err
    assert "Traceback" not in output
    return Result(code, output)


def rejects_of(wh: Path) -> list[str]:
    return [line for p in sorted((wh / "rejects").glob("*.csv"))
            for line in p.read_text(encoding="utf-8").splitlines()[1:]]


def good_warehouse(tmp_path: Path) -> Path:
    """A warehouse with one good file already loaded, to check refusals leave it unchanged."""
    wh = tmp_path / "w"
    good = write_csv(tmp_path / "good.csv", HEADER, [["G1", "8N", "2019-01-05", ""]])
    ingest_paths([good], source="police-extract", warehouse=wh)
    return wh


STRUCTURAL = {
    "empty": (b"", "is empty"),
    "wrong delimiter": (b"crime_ref;offence_code;recorded_date\nC1;8N;2019-01-01\n",
                        "separated by ';'"),
    "missing required column": (b"crime_ref,offence_code\nC1,8N\n",
                                "missing required column 'recorded_date'"),
    "not a table": (b"%PDF-1.7\n%binary", "is a PDF"),
    "binary junk": (b"\x00\x00\x00\x01garbage", "binary data"),
}


@pytest.mark.parametrize("case", list(STRUCTURAL))
def test_structurally_broken_file_is_refused_with_a_sentence_and_changes_nothing(tmp_path, home,
                                                                                 case, capsys):
    content, expected = STRUCTURAL[case]
    wh = good_warehouse(tmp_path)
    manifest = (wh / "manifest.json").read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    result = run_cli(capsys, str(bad), "--warehouse", str(wh))
    assert result.exit_code == 2
    assert "bad.csv" in result.output and expected in result.output
    assert (wh / "manifest.json").read_bytes() == manifest
    assert Warehouse(wh).connect().execute("SELECT count(*) FROM crimes").fetchone() == (1,)


def test_header_only_file_loads_zero_rows_with_a_note(tmp_path, home, capsys):
    p = tmp_path / "header.csv"
    p.write_text(",".join(HEADER) + "\n")
    result = run_cli(capsys, str(p), "--warehouse", str(tmp_path / "w"))
    assert result.exit_code == 0, result.output
    assert "read 0, stored 0, rejected 0" in result.output
    assert "header but no data rows" in result.output


def test_latin1_file_with_a_pound_sign_loads_with_a_note(tmp_path, home):
    p = tmp_path / "latin1.csv"
    p.write_bytes("crime_ref,offence_code,recorded_date,outcome\n"
                  "C1,49,2019-02-01,Property worth £20 recovered\n".encode("cp1252"))
    report = ingest_paths([p], source="police-extract", warehouse=tmp_path / "w")
    (f,) = report.files
    assert (f.read, f.stored, f.rejected) == (1, 1, 0)
    assert any("Windows-1252" in n for n in f.notes)
    got = Warehouse(tmp_path / "w").connect().execute("SELECT outcome FROM crimes").fetchone()
    assert got == ("Property worth £20 recovered",)


def test_bom_and_crlf_file_loads_cleanly(tmp_path, home):
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbfcrime_ref,offence_code,recorded_date\r\nC1,8N,2019-02-01\r\n")
    (f,) = ingest_paths([p], source="police-extract", warehouse=tmp_path / "w").files
    assert (f.read, f.stored, f.rejected, f.notes[:1]) == (1, 1, 0, ("read as crimes (the default layout)",))


def test_three_date_formats_are_all_read_as_the_same_day(tmp_path, home):
    p = write_csv(tmp_path / "dates.csv", HEADER, [
        ["D1", "8N", "2019-03-04", "2019-03-04 09:15"],
        ["D2", "8N", "04/03/2019", "04/03/2019 09:15:00"],
        ["D3", "8N", "04-Mar-2019", "04-Mar-2019 09:15"],
    ])
    (f,) = ingest_paths([p], source="police-extract", warehouse=tmp_path / "w").files
    assert (f.stored, f.rejected) == (3, 0)
    got = Warehouse(tmp_path / "w").connect().execute(
        "SELECT DISTINCT recorded_date, committed_from FROM crimes").fetchall()
    assert [(str(a), str(b)) for a, b in got] == [("2019-03-04", "2019-03-04 09:15:00")]


def test_impossible_and_out_of_range_dates_reject_their_rows_with_reasons(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "impossible.csv", HEADER, [
        ["I1", "8N", "31/02/2019", ""],
        ["I2", "8N", "2019-13-01", ""],
        ["I3", "8N", "1850-01-01", ""],
        ["I4", "8N", "2999-01-01", ""],
        ["I5", "8N", "yesterday", ""],
        ["I6", "8N", "2019-01-01", "2019-01-02 10:00"],
        ["OK", "8N", "2019-01-01", ""],
    ])
    (f,) = ingest_paths([p], source="police-extract", warehouse=wh).files
    assert (f.read, f.stored, f.rejected) == (7, 1, 6)
    lines = rejects_of(wh)
    assert lines[0].startswith("impossible.csv,2,recorded_date '31/02/2019' is not a real date")
    assert "is not a real date" in lines[1]
    assert "before 1900" in lines[2] and "in the future" in lines[3]
    assert "not a date in a known format" in lines[4]
    assert "after recorded_date" in lines[5]


def test_duplicated_rows_are_rejected_pointing_at_the_first(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "dups.csv", HEADER, [
        ["A", "8N", "2019-01-01", ""], ["B", "46", "2019-01-02", ""],
        ["A", "8N", "2019-01-01", ""], ["A", "46", "2019-01-01", ""],
    ])
    (f,) = ingest_paths([p], source="police-extract", warehouse=wh).files
    assert (f.read, f.stored, f.rejected) == (4, 2, 2)
    lines = rejects_of(wh)
    assert lines[0].startswith("dups.csv,4,duplicate of line 2")
    assert lines[1].startswith("dups.csv,5,crime_ref A is already on line 2 with different values")


def test_truncated_last_line_is_rejected_and_the_rest_stored(tmp_path, home):
    wh = tmp_path / "w"
    p = tmp_path / "cut.csv"
    p.write_bytes(b"crime_ref,offence_code,recorded_date\nA,8N,2019-01-01\nB,46,2019-01-02\nC,4")
    (f,) = ingest_paths([p], source="police-extract", warehouse=wh).files
    assert (f.read, f.stored, f.rejected) == (3, 2, 1)
    assert "truncated" in rejects_of(wh)[0] and rejects_of(wh)[0].startswith("cut.csv,4,")


def test_xlsx_with_a_title_row_above_the_header_loads(tmp_path, home):
    p = tmp_path / "titled.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Crimes recorded, Southampton, FY 2019/20"])
    book.active.append(HEADER)
    book.active.append(["X1", "8N", "2019-04-01", ""])
    book.save(p)
    (f,) = ingest_paths([p], source="police-extract", warehouse=tmp_path / "w").files
    assert (f.read, f.stored, f.rejected) == (1, 1, 0)


def test_structural_error_in_a_later_file_leaves_the_warehouse_unchanged(tmp_path, home, capsys):
    wh = good_warehouse(tmp_path)
    manifest = (wh / "manifest.json").read_bytes()
    ok = write_csv(tmp_path / "ok.csv", HEADER, [["N1", "8N", "2019-02-01", ""]])
    bad = tmp_path / "bad.csv"
    bad.write_text("crime_ref;offence_code\n")
    result = run_cli(capsys, str(ok), str(bad), "--warehouse", str(wh))
    assert result.exit_code == 2
    assert (wh / "manifest.json").read_bytes() == manifest
