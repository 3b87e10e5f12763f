"""Broken police.uk inputs: each gets its specified outcome, a clear sentence and no traceback.

Structural problems (the file as a whole cannot be read) exit 2 from the CLI with one sentence
naming the file, and leave the warehouse exactly as it was. Row problems are rejected rows with a
line number and a reason, and stored + rejected = read.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

from .police_uk_helpers import (HEADER, cid, run_cli, snapshot, street_row, write_street)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def warehouse(home, tmp_path) -> Path:
    """A warehouse that already holds one good file, so 'unchanged' is a real check."""
    root = tmp_path / "warehouse"
    good = write_street(tmp_path / "good" / "2018-12-hampshire-street.csv",
                        [street_row(cid(1), "2018-12"), street_row("", "2018-12",
                                                                   "Anti-social behaviour")])
    ingest_paths([good], warehouse=root)
    return root


def ingest_cli(path: Path, warehouse: Path, capsys) -> tuple[int, str, str]:
    return run_cli(["ingest", path, "--warehouse", warehouse], capsys)


def assert_structural(path: Path, warehouse: Path, capsys, words: str) -> str:
    before = snapshot(warehouse)
    code, out, err = ingest_cli(path, warehouse, capsys)
    assert code == 2
    assert "Traceback" not in out + err
    message = err.strip()
    assert message.startswith("Error: ") and str(path) in message
    assert words in message
    assert len(message.splitlines()) == 1
    assert snapshot(warehouse) == before
    return message


def rejects_of(warehouse: Path) -> list[dict[str, str]]:
    rows = []
    for batch in Warehouse(warehouse).batches():
        if batch.rejects_file:
            with open(warehouse / batch.rejects_file, encoding="utf-8", newline="") as fh:
                rows += list(csv.DictReader(fh))
    return rows


def test_an_empty_file_is_refused_and_the_warehouse_is_unchanged(warehouse, tmp_path, capsys):
    path = tmp_path / "2019-01-hampshire-street.csv"
    path.write_bytes(b"")
    assert_structural(path, warehouse, capsys, "the file is empty")


def test_a_file_with_only_a_header_loads_nothing_and_says_so(warehouse, tmp_path, capsys):
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", [])
    code, out, err = ingest_cli(path, warehouse, capsys)
    assert code == 0, err
    assert "read 0, stored 0, rejected 0" in out
    assert "header but no rows" in out


def test_a_semicolon_separated_file_is_refused_as_the_wrong_delimiter(warehouse, tmp_path,
                                                                      capsys):
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", [street_row(cid(2))],
                        delimiter=";")
    message = assert_structural(path, warehouse, capsys, "separated by semicolons")
    assert "comma" in message


def test_a_file_missing_the_crime_type_column_is_refused(warehouse, tmp_path, capsys):
    header = [h for h in HEADER if h != "Crime type"]
    rows = [[v for h, v in zip(HEADER, street_row(cid(3))) if h != "Crime type"]]
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", rows, header=header)
    assert_structural(path, warehouse, capsys, "has no 'Crime type' column")


def test_a_bom_and_crlf_line_ends_load_every_row(warehouse, tmp_path, capsys):
    rows = [street_row(cid(10 + i)) for i in range(5)] + [
        street_row("", crime_type="Anti-social behaviour")]
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", rows, newline="\r\n",
                        bom=True)
    code, out, err = ingest_cli(path, warehouse, capsys)
    assert code == 0, err
    assert "read 6, stored 6, rejected 0" in out
    con = Warehouse(warehouse).connect()
    refs = {r[0] for r in con.execute("SELECT crime_ref FROM crimes WHERE month = '2019-01'")
            .fetchall()}
    assert refs == {cid(10 + i) for i in range(5)}  # the BOM did not hide the Crime ID column
    outcomes = {r[0] for r in con.execute("SELECT outcome FROM crimes").fetchall()}
    assert outcomes == {"Under investigation"}  # no stray carriage return


def test_duplicated_rows_exact_ones_rejected_and_changed_ones_flagged(warehouse, tmp_path,
                                                                     capsys):
    rows = [street_row(cid(20)), street_row(cid(20)),                       # lines 2, 3
            street_row(cid(21)), street_row(cid(21), lon="", lat="", lsoa="",
                                            location="No Location", lsoa_name=""),  # 4, 5
            street_row("", crime_type="Anti-social behaviour"),
            street_row("", crime_type="Anti-social behaviour")]              # 6, 7: two incidents
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", rows)
    code, out, err = ingest_cli(path, warehouse, capsys)
    assert code == 0, err
    assert "read 6, stored 5, rejected 1" in out
    [reject] = rejects_of(warehouse)
    assert (reject["source_line"], reject["reason"]) == (
        "3", "duplicate of line 2: the same Crime ID, month, force, coordinates, LSOA, crime "
             "type and outcome")
    con = Warehouse(warehouse).connect()
    flagged = con.execute("SELECT crime_ref, source_line, lsoa_code, easting FROM crimes "
                          "WHERE duplicate_id").fetchall()
    assert flagged == [(cid(21), 5, None, None)]
    assert con.execute("SELECT count(*) FROM asb_incidents WHERE month = '2019-01'"
                       ).fetchall()[0][0] == 2


def test_a_duplicate_is_the_same_in_every_kept_field_not_in_free_text(warehouse, tmp_path,
                                                                       capsys):
    """Location, LSOA name and Context are never stored, so a row differing from an earlier
    one only there (or only in padding and letter case) repeats it; any kept field different
    (here the outcome, the month, the coordinates) makes a flagged repeat of the ID."""
    first = street_row(cid(30))
    padded = street_row(cid(30), crime_type=" burglary ", location="On or near Park Road")
    padded[11] = "Some context"
    rows = [first, padded,                                              # lines 2, 3
            street_row(cid(30), outcome="Unable to prosecute suspect"),  # 4
            street_row(cid(30), lon="-1.404352"),                       # 5
            street_row(cid(30), month="2019-02")]                       # 6
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", rows)
    code, out, err = ingest_cli(path, warehouse, capsys)
    assert code == 0, err
    assert "read 5, stored 4, rejected 1" in out
    [reject] = rejects_of(warehouse)
    assert reject["source_line"] == "3"
    assert reject["reason"].startswith("duplicate of line 2: ")
    con = Warehouse(warehouse).connect()
    assert con.execute("SELECT list(source_line ORDER BY source_line) FROM crimes "
                       "WHERE duplicate_id").fetchall()[0][0] == [4, 5, 6]


def test_a_truncated_last_line_is_rejected_and_the_rest_load(warehouse, tmp_path, capsys):
    path = write_street(tmp_path / "2019-01-hampshire-street.csv",
                        [street_row(cid(30)), street_row(cid(31))])
    with open(path, "ab") as fh:
        fh.write(f"{cid(32)},2019-01,Hampshire Constabulary,Hampshire Const".encode())
    code, out, err = ingest_cli(path, warehouse, capsys)
    assert code == 0, err
    assert "read 3, stored 2, rejected 1" in out
    [reject] = rejects_of(warehouse)
    assert reject["source_line"] == "4"
    assert "fewer fields than the header" in reject["reason"]


@pytest.mark.parametrize("month", ["2019-13", "2019-00", "Jan 2019", "", "2099-01", "19-01"])
def test_impossible_months_are_rejected_with_the_value_in_the_reason(warehouse, tmp_path,
                                                                     capsys, month):
    path = write_street(tmp_path / "2019-01-hampshire-street.csv",
                        [street_row(cid(40)), street_row(cid(41), month=month)])
    code, out, err = ingest_cli(path, warehouse, capsys)
    assert code == 0, err
    assert "read 2, stored 1, rejected 1" in out
    [reject] = rejects_of(warehouse)
    assert reject["source_line"] == "3"
    assert "is not a real month" in reject["reason"]
    assert (f"'{month}'" in reject["reason"]) if month else ("blank" in reject["reason"])


def test_an_unknown_category_and_bad_coordinates_are_rejected(warehouse, tmp_path, capsys):
    path = write_street(tmp_path / "2019-01-hampshire-street.csv", [
        street_row(cid(50), crime_type="Jaywalking"), street_row(cid(51), lon="west"),
        street_row(cid(52), lat="")])
    code, out, err = ingest_cli(path, warehouse, capsys)
    assert code == 0, err
    assert "read 3, stored 0, rejected 3" in out
    reasons = [r["reason"] for r in rejects_of(warehouse)]
    assert reasons == ["Crime type 'Jaywalking' is not a police.uk category",
                       "Longitude 'west' is not a number between -180 and 180",
                       "only one of Longitude and Latitude is given"]


def test_a_binary_file_is_refused(warehouse, tmp_path, capsys):
    path = tmp_path / "2019-01-hampshire-street.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_structural(path, warehouse, capsys, "not a CSV file")


def test_a_structural_error_in_one_file_loads_none_of_the_others(warehouse, tmp_path, capsys):
    folder = tmp_path / "months"
    write_street(folder / "2019-01-hampshire-street.csv", [street_row(cid(60))])
    (folder / "2019-02-hampshire-street.csv").write_bytes(b"")
    before = snapshot(warehouse)
    code, _, err = ingest_cli(folder, warehouse, capsys)
    assert code == 2 and "2019-02-hampshire-street.csv: the file is empty" in err
    assert snapshot(warehouse) == before


def _bench():
    spec = importlib.util.spec_from_file_location("bench_ingest", ROOT / "bench" / "ingest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def one_gigabyte_file(tmp_path_factory) -> Path:
    """A ~1 GB police.uk-format file, generated once per session (DuckDB, streaming)."""
    path = tmp_path_factory.mktemp("big") / "2019-01-hampshire-street.csv"
    plain = _bench().write_street_file(path, 4_600_000)
    assert plain.stat().st_size >= 1_000_000_000
    return plain


@pytest.mark.slow
def test_a_one_gigabyte_file_streams_with_bounded_memory_and_loads(one_gigabyte_file,
                                                                    tmp_path):
    code = ("import resource, sys\n"
            "from pathlib import Path\n"
            "from safecity.engine.ingest.run import ingest_paths\n"
            "r = ingest_paths([Path(sys.argv[1])], warehouse=Path(sys.argv[2]))\n"
            "print(r.read, r.stored, r.rejected,"
            " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    result = subprocess.run([sys.executable, "-c", code, str(one_gigabyte_file),
                             str(tmp_path / "w")], capture_output=True, text=True,
                            env={**os.environ, "SAFECITY_PROGRESS": "false"})
    assert result.returncode == 0, result.stderr
    read, stored, rejected, peak_kib = (int(x) for x in result.stdout.split())
    assert read == 4_600_000 and stored + rejected == read
    assert peak_kib < 2 * 1024 * 1024, f"peak RSS {peak_kib / 1024:.0f} MB"
    assert Warehouse(tmp_path / "w").connect().execute(
        "SELECT count(*) FROM crimes").fetchall()[0][0] > 4_000_000
