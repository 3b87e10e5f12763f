"""An ingest killed mid-write leaves the warehouse as it was, readable, and the next ingest works.

The ingest runs in a subprocess and gets SIGKILL (no clean-up code runs) at two points: while it
reads the file into its staging area, and once a contract Parquet file has appeared in the
warehouse's data folder (while it is being written, before the manifest is replaced).
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

from .police_uk_helpers import cid, snapshot, street_row, write_street

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def many_files(tmp_path_factory) -> Path:
    """A folder of 40 monthly files of 10,000 rows each, loaded together in one chunk."""
    spec = importlib.util.spec_from_file_location("bench_ingest", ROOT / "bench" / "ingest.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    folder = tmp_path_factory.mktemp("kill-many") / "months"
    for i in range(40):
        year, month = divmod(i, 12)
        bench.write_street_file(folder / f"{2015 + year}-{month + 1:02d}-force{i % 4}-street.csv",
                                10_000, first=i * 10_000)
    return folder


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("bench_ingest", ROOT / "bench" / "ingest.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.write_street_file(
        tmp_path_factory.mktemp("kill") / "2019-03-hampshire-street.csv", 400_000)


def contents(root: Path) -> list[tuple]:
    con = Warehouse(root).connect()
    return [con.execute(f"SELECT count(*), min(source_line), max(source_line), "
                        f"count(DISTINCT batch_id) FROM {t}").fetchall()[0]
            for t in ("crimes", "asb_incidents")]


def kill_when(path: Path, root: Path, appeared) -> None:
    env = {**os.environ, "SAFECITY_PROGRESS": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from safecity.cli import main; "
         "sys.exit(main(sys.argv[1:]))", "ingest", str(path), "--warehouse", str(root)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not appeared():
        if proc.poll() is not None:
            pytest.fail("the ingest finished before the kill point was seen; use a bigger file")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the kill point never appeared")
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("point", ["staging", "contract parquet"])
def test_an_ingest_killed_mid_write_leaves_the_warehouse_unchanged_and_readable(
        home, tmp_path, big_file, point):
    root = tmp_path / "warehouse"
    first = write_street(tmp_path / "first" / "2019-02-dorset-street.csv",
                         [street_row(cid(1), "2019-02"), street_row(cid(2), "2019-02")])
    ingest_paths([first], warehouse=root)
    before_files = snapshot(root)
    before = contents(root)
    existing = set((root / "data" / "crimes").glob("*.parquet"))

    if point == "staging":
        appeared = lambda: any(root.glob(".staging/**/duckdb-tmp"))  # noqa: E731
    else:
        appeared = lambda: bool(set((root / "data" / "crimes").glob("*.parquet")) - existing)  # noqa: E731
    kill_when(big_file, root, appeared)

    assert snapshot(root)[0] == before_files[0]  # the manifest is byte-for-byte the same
    assert contents(root) == before  # and the warehouse reads the same

    report = ingest_paths([big_file], warehouse=root)
    assert report.files[0].read == 400_000 and not report.files[0].skipped
    after = contents(root)
    assert after[0][0] == before[0][0] + sum(
        b.tables["crimes"].rows for b in Warehouse(root).batches() if "2019-03" in b.months)
    # Files the killed ingest left behind were collected: only referenced files remain.
    referenced = {t.file for b in Warehouse(root).batches() for t in b.tables.values()}
    referenced |= {b.rejects_file for b in Warehouse(root).batches() if b.rejects_file}
    assert set(snapshot(root)[1]) == referenced
    assert not any(root.glob(".staging/*"))


@pytest.mark.parametrize("point", ["staging", "first contract parquet", "rejects"])
def test_a_many_file_ingest_killed_part_way_leaves_the_warehouse_unchanged(
        home, tmp_path, many_files, point):
    """Files of one command are written together and moved into the warehouse one by one; a
    kill after some have moved (or while staging) changes nothing a reader sees."""
    root = tmp_path / "warehouse"
    first = write_street(tmp_path / "first" / "2019-02-dorset-street.csv",
                         [street_row(cid(1), "2019-02"), street_row(cid(2), "2019-02")])
    ingest_paths([first], warehouse=root)
    before_files = snapshot(root)
    before = contents(root)
    existing = set((root / "data" / "crimes").glob("*.parquet"))

    if point == "staging":
        appeared = lambda: any(root.glob(".staging/**/duckdb-tmp"))  # noqa: E731
    elif point == "rejects":
        appeared = lambda: any((root / "rejects").glob("*.csv"))  # noqa: E731
    else:
        appeared = lambda: bool(set((root / "data" / "crimes").glob("*.parquet")) - existing)  # noqa: E731
    kill_when(many_files, root, appeared)

    assert snapshot(root)[0] == before_files[0]
    assert contents(root) == before

    report = ingest_paths([many_files], warehouse=root)
    assert len(report.files) == 40 and not any(f.skipped for f in report.files)
    assert all(f.read == 10_000 for f in report.files)
    referenced = {t.file for b in Warehouse(root).batches() for t in b.tables.values()}
    referenced |= {b.rejects_file for b in Warehouse(root).batches() if b.rejects_file}
    assert set(snapshot(root)[1]) == referenced
