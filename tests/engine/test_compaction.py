"""Compaction merges the monthly files of each source, force and year into one batch without
changing a row, a count or a rule: idempotent ingest, replacement of a month by a newer file,
the documented schema on disk, rejects kept."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from safecity.engine import contract
from safecity.engine.compaction import compact
from safecity.engine.errors import SourceError
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

from .ingest.police_uk_helpers import cid, run_cli, street_row, write_street


def _months(folder: Path) -> list[Path]:
    files = []
    for force, name in (("hampshire", "Hampshire Constabulary"), ("dorset", "Dorset Police")):
        for m in range(1, 5):
            month = f"2019-{m:02d}"
            rows = [street_row(cid(1000 * m + i + (0 if force == "hampshire" else 500)),
                               month, force=name, crime_type=("Burglary", "Robbery")[i % 2])
                    for i in range(3 + m)]
            rows.append(list(rows[0]))  # an exact duplicate: rejected
            files.append(write_street(folder / f"{month}-{force}-street.csv", rows))
    files.append(write_street(folder / "2020-01-hampshire-street.csv",
                              [street_row(cid(9999), "2020-01")]))
    return files


def _counts(root: Path) -> list[tuple]:
    con = Warehouse(root).connect()
    return con.execute("SELECT force, month, police_uk_category, count(*), "
                       "list_sort(list(crime_ref)) FROM crimes GROUP BY ALL ORDER BY ALL").fetchall()


def _totals(root: Path) -> tuple[int, int, int]:
    batches = Warehouse(root).batches()
    return (sum(b.read for b in batches), sum(b.stored for b in batches),
            sum(b.rejected for b in batches))


def test_compaction_keeps_every_row_and_count_in_fewer_files(home, tmp_path, capsys):
    files = _months(tmp_path / "in")
    root = tmp_path / "w"
    ingest_paths(files, warehouse=root)
    before, totals = _counts(root), _totals(root)
    assert len(list((root / "data" / "crimes").glob("*.parquet"))) == 9
    before_profile = [(b.scope, m, sum(c.values())) for b in Warehouse(root).batches()
                      for m, c in b.profile.items()]

    code, out, err = run_cli(["warehouse", "compact", "--warehouse", root], capsys)
    assert code == 0, err
    assert "Merged 8 batches into 2" in out
    wh = Warehouse(root)
    assert sorted((b.scope, b.months[0][:4], len(b.inputs)) for b in wh.batches()) == [
        ("dorset", "2019", 4), ("hampshire", "2019", 4), ("hampshire", "2020", 1)]
    assert len(list((root / "data" / "crimes").glob("*.parquet"))) == 3  # old files collected
    assert _counts(root) == before and _totals(root) == totals
    assert {(b.scope, m): sum(c.values()) for b in wh.batches() for m, c in b.profile.items()} \
        == {(s, m): n for s, m, n in before_profile}
    for b in wh.batches():
        assert b.read == b.stored + b.rejected
        for table, bt in b.tables.items():
            assert pq.read_schema(root / bt.file).names == \
                contract.table(table).arrow_schema.names
        if b.rejects_file is None:
            assert b.rejected == 0
            continue
        with open(root / b.rejects_file, encoding="utf-8", newline="") as fh:
            assert len(list(csv.DictReader(fh))) == b.rejected

    # Idempotent: every compacted file is still known as loaded.
    again = ingest_paths(files, warehouse=root)
    assert all(f.skipped for f in again.files)
    assert _counts(root) == before

    # A newer file for one month replaces that month of the merged batch only.
    newer = write_street(tmp_path / "newer" / "2019-02-hampshire-street.csv",
                         [street_row(cid(77), "2019-02")])
    with pytest.raises(SourceError, match="5 rows loaded.*4 rows would go"):
        ingest_paths([newer], warehouse=root)  # the guard reads the merged batch's months
    report = ingest_paths([newer], warehouse=root, replace_loaded=True)
    assert report.replacements
    after = _counts(root)
    feb = [r for r in after if r[0] == "Hampshire Constabulary" and r[1] == "2019-02"]
    assert [(r[2], r[3], r[4]) for r in feb] == [("Burglary", 1, [cid(77)])]
    assert [r for r in after if r[1] != "2019-02" or r[0] != "Hampshire Constabulary"] == \
        [r for r in before if r[1] != "2019-02" or r[0] != "Hampshire Constabulary"]


def test_nothing_to_compact_changes_nothing(home, tmp_path):
    root = tmp_path / "w"
    ingest_paths(_months(tmp_path / "in")[:1], warehouse=root)
    manifest = (root / "manifest.json").read_bytes()
    done = compact(Warehouse(root))
    assert done.groups == 0 and (root / "manifest.json").read_bytes() == manifest
