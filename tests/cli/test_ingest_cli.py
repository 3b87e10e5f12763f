"""``safecity ingest`` and ``safecity warehouse status`` from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from safecity.cli import main

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
          "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]


def street(path: Path, month: str, ids: list[str], extra: list[list[str]] = ()) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    force = "Hampshire Constabulary"
    for crime_id in ids:
        writer.writerow([crime_id, month, force, force, "-1.40", "50.91", "On or near X",
                         "E01017140", "Southampton 001A",
                         "Burglary" if crime_id else "Anti-social behaviour", "", ""])
    writer.writerows(extra)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ingest_prints_read_stored_rejected_per_file_and_a_total(home, tmp_path, capsys):
    a = street(tmp_path / "2019-01-hampshire-street.csv", "2019-01", ["a1", "a2", ""])
    b = street(tmp_path / "2019-02-hampshire-street.csv", "2019-02", ["b1"],
               extra=[["b2", "2019-14", "H", "H", "", "", "", "", "", "Burglary", "", ""]])
    code, out, err = run(capsys, "ingest", a, b)
    assert code == 0, err
    lines = out.splitlines()
    assert f"{a} (2019-01): read 3, stored 3, rejected 0" in lines
    assert f"{b} (2019-02): read 2, stored 1, rejected 1" in lines
    assert any(line.startswith("  rejected rows and reasons: ") for line in lines)
    assert "Total: read 5, stored 4, rejected 1 (2 files loaded)." in lines
    assert (home / "warehouse" / "manifest.json").exists()  # $SAFECITY_HOME/warehouse

    code, out, _ = run(capsys, "ingest", a)
    assert code == 0
    assert f"{a}: already loaded, nothing changed" in out


def test_ingest_says_when_a_newer_file_replaces_months(home, tmp_path, capsys):
    run(capsys, "ingest", street(tmp_path / "v1" / "2019-01-hampshire-street.csv", "2019-01",
                                 ["a1"]))
    code, out, _ = run(capsys, "ingest", street(tmp_path / "v2" / "2019-01-hampshire-street.csv",
                                                "2019-01", ["a1", "a2"]))
    assert code == 0
    assert "A newer file replaces months already loaded:" in out


def test_a_structural_error_exits_2_with_one_sentence_and_no_traceback(home, tmp_path, capsys):
    path = tmp_path / "2019-01-hampshire-street.csv"
    path.write_text("Crime ID;Month;Crime type\n1;2019-01;Burglary\n", encoding="utf-8")
    code, out, err = run(capsys, "ingest", path, "--source", "police-uk")
    assert code == 2
    assert "Traceback" not in out + err
    assert err.strip().splitlines() == [
        f"Error: {path}, line 1: the header is separated by semicolons, not commas. Save the "
        "file as comma-separated CSV, as data.police.uk publishes it."]


def test_warehouse_status_shows_sources_months_gaps_rows_and_rejects(home, tmp_path, capsys):
    code, out, _ = run(capsys, "warehouse", "status")
    assert code == 0 and "is empty" in out
    for month, ids in (("2019-01", ["a", ""]), ("2019-02", ["b"]), ("2019-05", ["c"])):
        street(tmp_path / f"{month}-hampshire-street.csv", month, ids)
    street(tmp_path / "2019-06-hampshire-street.csv", "2019-06", ["d"],
           extra=[["e", "2019-13", "H", "H", "", "", "", "", "", "Burglary", "", ""]])
    run(capsys, "ingest", tmp_path)
    code, out, _ = run(capsys, "warehouse", "status")
    assert code == 0
    assert "police-uk: 4 files, read 6, stored 5, rejected 1" in out
    assert "  hampshire: 2019-01..2019-02, 2019-05..2019-06 (4 months); gaps: " \
           "2019-03..2019-04 (2 months)" in out
    assert any(line.split() == ["crimes", "4"] for line in out.splitlines())
    assert any(line.split() == ["asb_incidents", "1"] for line in out.splitlines())

    code, out, _ = run(capsys, "warehouse", "status", "--json")
    data = json.loads(out)
    [source] = data["sources"]
    assert source["rejected"] == 1 and source["scopes"][0]["gaps"] == ["2019-03", "2019-04"]
    assert data["tables"]["crimes"] == 4 and data["last_loaded"]


def test_every_command_has_help_with_an_example(capsys):
    for args in (["ingest", "--help"], ["warehouse", "status", "--help"]):
        code, out, _ = run(capsys, *args)
        assert code == 0 and "Example" in out
