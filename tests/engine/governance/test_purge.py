"""Purge: a dry run, then for real; aggregates kept; a second purge changes nothing; atomic."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from safecity.engine.governance.purge import first_kept_month, plan_purge, purge, purged_months
from safecity.engine.warehouse import Warehouse

from .helpers import entry, load, referrals_file, register

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("today, months, first", [
    (dt.date(2026, 12, 7), 84, "2019-12"),
    (dt.date(2026, 1, 31), 1, "2025-12"),
    (dt.date(2026, 1, 1), 12, "2025-01"),
    (dt.date(2026, 3, 15), 27, "2023-12"),
])
def test_retention_counts_whole_months_back_from_the_current_month(today, months, first):
    assert first_kept_month(today, months) == first


@pytest.fixture
def warehouse(tmp_path, home) -> Warehouse:
    """Referrals from 2024-10 to 2025-01 in two files, with 24 months' retention: on 7 December
    2026 the first kept month is 2024-12, so the first file goes whole and the second keeps
    two of its three rows."""
    root = tmp_path / "w"
    register(root, entry(retention=24))
    load([referrals_file(tmp_path / "a.csv", [("R1", "2024-10-03", "V1"), ("R2", "2024-10-09", "V2")]),
          referrals_file(tmp_path / "b.csv", [("R3", "2024-11-20", "V1"), ("R4", "2024-12-01", "V3"),
                                              ("R5", "2025-01-05", "V1")])],
         root)
    return Warehouse(root)


def refs(wh: Warehouse) -> list[str]:
    return [r for (r,) in wh.connect().execute(
        "SELECT referral_ref FROM referrals ORDER BY 1").fetchall()]


def test_the_dry_run_lists_what_would_go_and_changes_nothing(warehouse):
    before = warehouse.manifest_path.read_bytes()
    plan = plan_purge(warehouse, TODAY)
    assert [(i.source, i.table, i.months, i.rows) for i in plan.items] == [
        ("referrals", "referrals", ("2024-10", "2024-11"), 3)]
    assert plan.rules[0].sentence == ("referrals: 24 months' retention under ISA-7; rows recorded "
                                      "before 2024-12 go")
    assert warehouse.manifest_path.read_bytes() == before and refs(warehouse) == [
        "R1", "R2", "R3", "R4", "R5"]


def test_purge_removes_old_rows_keeps_monthly_counts_and_records_itself(warehouse):
    result = purge(warehouse, TODAY, user="analyst")
    assert refs(warehouse) == ["R4", "R5"]
    counts = warehouse.connect().execute(
        "SELECT source, table_name, month, category, count FROM monthly_counts ORDER BY month"
    ).fetchall()
    assert counts == [("referrals", "referrals", "2024-10", "unknown", 2),
                      ("referrals", "referrals", "2024-11", "unknown", 1)]
    (record,) = warehouse.manifest_records("purges")
    assert record["by"] == "analyst" and record == result.record
    assert record["removed"] == [{"source": "referrals", "table": "referrals",
                                  "months": ["2024-10", "2024-11"], "rows": 3}]
    assert purged_months(warehouse) == {"referrals": {"2024-10", "2024-11"}}
    (batch,) = [b for b in warehouse.batches() if b.source == "referrals"]
    # read = stored + rejected + replaced + removed still holds for the rewritten batch
    assert batch.read == batch.stored + batch.rejected + batch.replaced + batch.removed
    assert (batch.read, batch.stored, batch.removed, batch.months) == (3, 2, 1, ["2024-12", "2025-01"])


def test_a_second_purge_changes_nothing(warehouse):
    purge(warehouse, TODAY)
    manifest = warehouse.manifest_path.read_bytes()
    files = sorted(p for p in warehouse.root.rglob("*.parquet"))
    again = purge(warehouse, TODAY)
    assert again.record is None and again.plan.empty
    assert warehouse.manifest_path.read_bytes() == manifest
    assert sorted(p for p in warehouse.root.rglob("*.parquet")) == files


def test_an_error_mid_purge_leaves_the_warehouse_as_it_was(warehouse, monkeypatch):
    from safecity.engine import warehouse as module

    before = warehouse.manifest_path.read_bytes()
    calls = {"n": 0}
    original = module.Transaction.remove_months

    def fail_on_second(self, *args, **kwargs):
        calls["n"] += 1
        original(self, *args, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(module.Transaction, "remove_months", fail_on_second)
    with pytest.raises(OSError):
        purge(warehouse, TODAY)
    assert warehouse.manifest_path.read_bytes() == before
    assert refs(warehouse) == ["R1", "R2", "R3", "R4", "R5"]
    assert not warehouse.manifest_records("purges")


def test_a_purge_killed_mid_write_leaves_the_warehouse_as_it_was(tmp_path, home):
    """SIGKILL (no clean-up runs) once the monthly counts file has appeared, before the
    batches are rewritten and the manifest replaced. Forty batches make it slow enough to catch."""
    root = tmp_path / "w"
    register(root, entry(retention=60))  # on 2026-12-07 the first kept month is 2021-12
    for k in range(40):  # forty files, each one old month and one kept month: forty rewrites
        old, kept = f"{2018 + k // 12}-{1 + k % 12:02d}", f"{2021 + (k + 11) // 12}-{1 + (k + 11) % 12:02d}"
        load([referrals_file(tmp_path / f"f{k}.csv",
                             [(f"R{k}-{i}", f"{old if i % 2 else kept}-05", f"V{i}")
                              for i in range(50)])], root)
    wh = Warehouse(root)
    before = wh.manifest_path.read_bytes()
    counts_dir = root / "data" / "monthly_counts"
    env = {**os.environ, "SAFECITY_PROGRESS": "false", "SAFECITY_HOME": str(home)}
    code = ("import datetime as dt, sys; from safecity.engine.governance.purge import purge; "
            "from safecity.engine.warehouse import Warehouse; "
            f"purge(Warehouse({str(root)!r}), dt.date(2026, 12, 7))")
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    deadline = time.monotonic() + 120
    while not (counts_dir.exists() and any(counts_dir.iterdir())):
        if proc.poll() is not None:
            pytest.fail("the purge finished before the kill point was seen")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the kill point never appeared")
        time.sleep(0.001)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert wh.manifest_path.read_bytes() == before
    assert wh.connect().execute("SELECT count(*) FROM referrals").fetchone()[0] == 2000
    result = purge(wh, dt.date(2026, 12, 7))  # and the next purge works and tidies up
    assert result.plan.rows == 1000
    assert wh.connect().execute("SELECT sum(count) FROM monthly_counts").fetchone()[0] == 1000
    assert wh.connect().execute("SELECT count(*) FROM referrals").fetchone()[0] == 1000


def test_without_a_register_entry_nothing_is_purged(tmp_path, home):
    root = tmp_path / "w"
    load([referrals_file(tmp_path / "a.csv", [("R1", "2010-10-03", "V1")])], root)
    plan = plan_purge(Warehouse(root), TODAY)
    assert plan.rules == () and plan.empty
