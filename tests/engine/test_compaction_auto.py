"""Ingest compacts by itself when small files pile up (``SAFECITY_COMPACT_SMALL_FILES``): a
force's year is merged into one batch once it holds that many small batches, after the load
has committed, with progress; the rows, counts, coverage, idempotence and replacement rules are
those of the same files left uncompacted; a kill during the compaction leaves the warehouse as
the load left it, and the next load finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from safecity.engine.compaction import SMALL_ROWS, compact_due, due
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.ingest.status import warehouse_status
from safecity.engine.warehouse import Warehouse

from .ingest.police_uk_helpers import cid, run_cli, snapshot, street_row, write_street
from .test_compaction import _counts, _totals


def _month(folder: Path, force: str, name: str, month: str, n: int, first: int) -> Path:
    rows = [street_row(cid(first + i), month, force=name,
                       crime_type=("Burglary", "Robbery", "Anti-social behaviour")[i % 3])
            for i in range(n)]
    rows[-1] = street_row("", month, force=name, crime_type="Anti-social behaviour")
    return write_street(folder / f"{month}-{force}-street.csv", rows)


def _files(folder: Path) -> list[Path]:
    """Three months of Hampshire 2019, two of Dorset 2019, one of Hampshire 2020."""
    files = [_month(folder, "hampshire", "Hampshire Constabulary", f"2019-{m:02d}", 5 + m,
                    100 * m) for m in (1, 2, 3)]
    files += [_month(folder, "dorset", "Dorset Police", f"2019-{m:02d}", 4, 5000 + 100 * m)
              for m in (1, 2)]
    files.append(_month(folder, "hampshire", "Hampshire Constabulary", "2020-01", 3, 9000))
    return files


def _coverage(root: Path) -> list[tuple]:
    status = warehouse_status(root)
    return [(s.source, s.files, s.read, s.stored, s.rejected,
             tuple((c.scope, tuple(c.months), tuple(c.gaps)) for c in s.scopes))
            for s in status.sources] + [status.tables]


@pytest.fixture()
def uncompacted(tmp_path, monkeypatch, home) -> tuple[list[Path], Path]:
    files = _files(tmp_path / "in")
    monkeypatch.setenv("SAFECITY_COMPACT_SMALL_FILES", "0")
    root = tmp_path / "plain"
    report = ingest_paths(files, warehouse=root)
    assert report.compaction is None and len(Warehouse(root).batches()) == 6
    monkeypatch.delenv("SAFECITY_COMPACT_SMALL_FILES")
    return files, root


class Recording:
    def __init__(self) -> None:
        self.steps: list[tuple] = []

    def start(self, label: str, total: int | None = None) -> None:
        self.steps.append(("start", label, total))

    def advance(self, amount: int = 1) -> None:
        self.steps.append(("advance", amount))

    def finish(self) -> None:
        self.steps.append(("finish",))


def test_a_force_year_is_compacted_once_its_small_files_reach_the_threshold(
        uncompacted, tmp_path, monkeypatch):
    files, plain = uncompacted
    monkeypatch.setenv("SAFECITY_COMPACT_SMALL_FILES", "3")
    root = tmp_path / "auto"
    # Two of Hampshire's 2019 months (and everything else): under the threshold.
    first = ingest_paths([files[0], files[1], *files[3:]], warehouse=root)
    assert first.compaction is None and len(Warehouse(root).batches()) == 5
    # The third month reaches it: Hampshire 2019 becomes one batch, the rest stay.
    progress = Recording()
    report = ingest_paths([files[2]], warehouse=root, progress=progress)
    assert report.compaction.startswith("Compacted 3 small batches into 1 ")
    assert ("start", "Compacting", 1) in progress.steps and ("advance", 1) in progress.steps
    wh = Warehouse(root)
    assert sorted((b.scope, b.months[0][:4], len(b.inputs)) for b in wh.batches()) == [
        ("dorset", "2019", 1), ("dorset", "2019", 1), ("hampshire", "2019", 3),
        ("hampshire", "2020", 1)]
    # Every row, count and month of coverage is that of the same files left uncompacted.
    assert _counts(root) == _counts(plain) and _totals(root) == _totals(plain)
    assert _coverage(root) == _coverage(plain)
    assert len(list((root / "data" / "crimes").glob("*.parquet"))) == 4  # merged away
    # Idempotent: the merged batch still knows its three inputs.
    again = ingest_paths(files, warehouse=root)
    assert all(f.skipped for f in again.files) and again.compaction is None
    # A newer file for a month replaces that month inside the merged batch only.
    newer = write_street(tmp_path / "newer" / "2019-02-hampshire-street.csv",
                         [street_row(cid(77), "2019-02", crime_type="Robbery")] * 1
                         + [street_row(cid(78 + i), "2019-02") for i in range(6)])
    replaced = ingest_paths([newer], warehouse=root)
    assert replaced.replacements and replaced.compaction is None  # 1 big + 1 small: not due
    feb = [r for r in _counts(root) if r[:2] == ("Hampshire Constabulary", "2019-02")]
    assert sum(r[3] for r in feb) == 7
    assert [r for r in _counts(root) if r[1] != "2019-02"] == \
        [r for r in _counts(plain) if r[1] != "2019-02"]


def test_zero_leaves_compaction_to_the_command_and_a_bad_value_is_one_sentence(
        uncompacted, tmp_path, monkeypatch, capsys):
    files, plain = uncompacted
    assert due(Warehouse(plain).batches(), 0) == []
    assert due(Warehouse(plain).batches(), 3) == [("police-uk", "hampshire", "2019")]
    assert due(Warehouse(plain).batches(), 2) == [("police-uk", "dorset", "2019"),
                                                  ("police-uk", "hampshire", "2019")]
    monkeypatch.setenv("SAFECITY_COMPACT_SMALL_FILES", "-1")
    code, out, err = run_cli(["ingest", *files, "--warehouse", tmp_path / "bad"], capsys)
    assert code == 2
    assert "SAFECITY_COMPACT_SMALL_FILES='-1' is not valid" in err and "Traceback" not in err
    assert not (tmp_path / "bad" / "manifest.json").exists()


def test_the_cli_says_what_it_compacted(tmp_path, monkeypatch, capsys, home):
    files = _files(tmp_path / "in")
    monkeypatch.setenv("SAFECITY_COMPACT_SMALL_FILES", "2")
    code, out, err = run_cli(["ingest", *files, "--warehouse", tmp_path / "w"], capsys)
    assert code == 0, err
    assert "Compacted 5 small batches into 2 (one per source, force and year" in out


def test_a_big_batch_is_not_small(uncompacted):
    _, plain = uncompacted
    batches = Warehouse(plain).batches()
    for b in batches:
        if b.scope == "hampshire":
            b.stored = SMALL_ROWS  # as if each month held a million rows
    assert due(batches, 3) == []


_SLOW_COMPACTION = """
import sys, time
from pathlib import Path
from safecity.engine import compaction
from safecity.engine.ingest.run import ingest_paths

merge = compaction._merge
def slow(*args, **kwargs):
    batch = merge(*args, **kwargs)  # the merged group's files are now on disk
    Path(sys.argv[2]).write_text("merged")
    time.sleep(120)
    return batch
compaction._merge = slow
ingest_paths([Path(p) for p in sys.argv[3:]], warehouse=Path(sys.argv[1]))
"""


def test_a_kill_during_the_compaction_leaves_the_warehouse_as_the_load_left_it(
        uncompacted, tmp_path):
    files, plain = uncompacted
    root, marker = tmp_path / "killed", tmp_path / "merged.txt"
    env = {**os.environ, "SAFECITY_COMPACT_SMALL_FILES": "2", "SAFECITY_PROGRESS": "false"}
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_COMPACTION, str(root), str(marker),
                             *map(str, files)], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the compaction never started"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # The load committed; the compaction did not: six batches, as if it had never started.
    wh = Warehouse(root)
    assert len(wh.batches()) == 6
    assert not any("compacted" in n for b in wh.batches() for n in b.notes)
    assert _counts(root) == _counts(plain) and _coverage(root) == _coverage(plain)
    manifest, on_disk = snapshot(root)
    referenced = {t.file for b in wh.batches() for t in b.tables.values()} | {
        b.rejects_file for b in wh.batches() if b.rejects_file}
    assert set(on_disk) > referenced  # the killed compaction's merged files, unreferenced
    # The next load (here: nothing new) compacts what is due and collects the leftovers.
    os.environ["SAFECITY_COMPACT_SMALL_FILES"] = "2"
    try:
        done = compact_due(Warehouse(root))
    finally:
        del os.environ["SAFECITY_COMPACT_SMALL_FILES"]
    assert done.groups == 2
    _, on_disk = snapshot(root)
    wh = Warehouse(root)
    assert set(on_disk) == {t.file for b in wh.batches() for t in b.tables.values()} | {
        b.rejects_file for b in wh.batches() if b.rejects_file}
    assert _counts(root) == _counts(plain)
