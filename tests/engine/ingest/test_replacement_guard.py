"""Replacing loaded months never shrinks them silently, and victims and suspects never point at
crimes that are gone (issue 9: a 1,201-row file for a month loaded with 12,774 rows; a partial
police extract replacing 2,345 crimes with 3 and leaving 1,146 suspects behind)."""

from __future__ import annotations

from pathlib import Path

from safecity.engine.warehouse import Warehouse

from .extract_helpers import rows, write_csv
from .police_uk_helpers import cid, run_cli, snapshot, street_row, write_street


def _street(path: Path, n: int, month: str = "2019-03", start: int = 0) -> Path:
    return write_street(path, [street_row(cid(start + i), month) for i in range(n)])


def test_a_much_smaller_file_for_a_loaded_month_is_refused_until_replace(home, tmp_path, capsys):
    wh = tmp_path / "w"
    full = _street(tmp_path / "a" / "2019-03-hampshire-street.csv", 12_774)
    code, _, err = run_cli(["ingest", full, "--warehouse", wh], capsys)
    assert code == 0, err
    before = snapshot(wh)
    short = _street(tmp_path / "b" / "2019-03-hampshire-street.csv", 1_201, start=10**6)
    code, out, err = run_cli(["ingest", short, "--warehouse", wh], capsys)
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "12,774 rows loaded" in err and "11,573 rows would go" in err and "--replace" in err
    assert snapshot(wh) == before  # the warehouse is as it was
    code, out, err = run_cli(["ingest", short, "--warehouse", wh, "--replace"], capsys)
    assert code == 0, err
    assert rows(wh, "SELECT count(*) FROM crimes") == [(1_201,)]


def test_a_replacement_of_about_the_same_size_needs_no_confirmation(home, tmp_path, capsys):
    wh = tmp_path / "w"
    code, _, err = run_cli(["ingest", _street(tmp_path / "a" / "2019-03-hampshire-street.csv",
                                              100), "--warehouse", wh], capsys)
    assert code == 0, err
    newer = _street(tmp_path / "b" / "2019-03-hampshire-street.csv", 60, start=500)
    code, out, err = run_cli(["ingest", newer, "--warehouse", wh], capsys)
    assert code == 0, err
    assert "replaces 2019-03" in out
    assert rows(wh, "SELECT count(*) FROM crimes") == [(60,)]


def test_the_threshold_is_a_setting(home, tmp_path, capsys, monkeypatch):
    wh = tmp_path / "w"
    run_cli(["ingest", _street(tmp_path / "a" / "2019-03-hampshire-street.csv", 100),
             "--warehouse", wh], capsys)
    monkeypatch.setenv("SAFECITY_REPLACE_MIN_SHARE", "0.9")
    newer = _street(tmp_path / "b" / "2019-03-hampshire-street.csv", 60, start=500)
    code, _, err = run_cli(["ingest", newer, "--warehouse", wh], capsys)
    assert code == 2 and "40 rows would go" in err


def test_a_file_named_for_one_month_with_rows_of_another_is_refused(home, tmp_path, capsys):
    wh = tmp_path / "w"
    odd = _street(tmp_path / "2019-03-hampshire-street.csv", 10, month="2019-04")
    code, _, err = run_cli(["ingest", odd, "--warehouse", wh], capsys)
    assert code == 2
    assert "is named for 2019-03 but its rows are for 2019-04" in err and "--replace" in err
    assert not (wh / "manifest.json").exists()
    code, _, err = run_cli(["ingest", odd, "--warehouse", wh, "--replace"], capsys)
    assert code == 0, err
    assert Warehouse(wh).batches()[0].months == ["2019-04"]


CRIMES = ["crime_ref", "offence_code", "recorded_date"]
SUSPECTS = ["crime_ref", "person_key", "age", "sex"]


def test_a_partial_extract_cannot_leave_suspects_without_their_crimes(home, tmp_path, capsys):
    wh = tmp_path / "w"
    crimes = write_csv(tmp_path / "crimes.csv", CRIMES,
                       [[f"C{i}", "8N", "2019-04-10"] for i in range(2_345)])
    suspects = write_csv(tmp_path / "suspects.csv", SUSPECTS,
                         [[f"C{i}", f"P{i}", "30", "female"] for i in range(1_146)])
    code, _, err = run_cli(["ingest", crimes, suspects, "--source", "police-extract",
                            "--warehouse", wh], capsys)
    assert code == 0, err
    assert rows(wh, "SELECT count(*) FROM suspects WHERE month = '2019-04'") == [(1_146,)]
    before = snapshot(wh)
    partial = write_csv(tmp_path / "partial.csv", CRIMES,
                        [["C0", "8N", "2019-04-10"], ["C1", "8N", "2019-04-11"],
                         ["X9", "8N", "2019-04-12"]])
    code, _, err = run_cli(["ingest", partial, "--source", "police-extract", "--warehouse", wh],
                           capsys)
    assert code == 2 and "Traceback" not in err
    assert "2,345 rows loaded" in err and "with 3 rows" in err and "2,342 rows would go" in err
    assert "1,144 suspects rows" in err
    assert snapshot(wh) == before
    code, out, err = run_cli(["ingest", partial, "--source", "police-extract", "--warehouse", wh,
                              "--replace"], capsys)
    assert code == 0, err
    assert "Removed 1,144 suspects rows whose crimes the newer file does not have." in out
    assert rows(wh, "SELECT count(*) FROM crimes") == [(3,)]
    assert rows(wh, "SELECT count(*) FROM suspects s LEFT JOIN crimes c USING (crime_ref) "
                    "WHERE c.crime_ref IS NULL") == [(0,)]
    assert rows(wh, "SELECT crime_ref FROM suspects ORDER BY 1") == [("C0",), ("C1",)]
    status = [b for b in Warehouse(wh).batches() if "suspects" in b.tables][0]
    assert status.stored == 2 and status.read == status.stored + status.rejected + status.replaced


def test_a_full_extract_replacing_a_month_keeps_the_new_suspects(home, tmp_path, capsys):
    wh = tmp_path / "w"
    crimes = write_csv(tmp_path / "crimes.csv", CRIMES,
                       [[f"C{i}", "8N", "2019-04-10"] for i in range(20)])
    suspects = write_csv(tmp_path / "suspects.csv", SUSPECTS,
                         [[f"C{i}", f"P{i}", "30", "female"] for i in range(10)])
    run_cli(["ingest", crimes, suspects, "--source", "police-extract", "--warehouse", wh], capsys)
    crimes2 = write_csv(tmp_path / "crimes2.csv", CRIMES,
                        [[f"D{i}", "8N", "2019-04-10"] for i in range(20)])
    suspects2 = write_csv(tmp_path / "suspects2.csv", SUSPECTS,
                          [[f"D{i}", f"Q{i}", "30", "male"] for i in range(10)])
    code, _, err = run_cli(["ingest", crimes2, suspects2, "--source", "police-extract",
                            "--warehouse", wh], capsys)
    assert code == 0, err
    assert rows(wh, "SELECT count(*), min(crime_ref) FROM suspects") == [(10, "D0")]
