"""The Parquet warehouse: atomic transactions, replacement of months, clean-up, empty views."""

from __future__ import annotations

import pyarrow as pa
import pytest

from safecity.engine import contract
from safecity.engine.errors import WarehouseError
from safecity.engine.warehouse import Batch, Warehouse, new_batch_id


def asb_rows(batch_id: str, months: list[str], n: int = 2) -> pa.Table:
    import datetime as dt

    rows = [{"incident_ref": f"{batch_id}-{m}-{i}", "source": "asb",
             "recorded_date": dt.date(int(m[:4]), int(m[5:]), 1), "month": m,
             "batch_id": batch_id, "source_line": i + 2}
            for m in months for i in range(n)]
    schema = contract.table("asb_incidents").arrow_schema
    return pa.Table.from_pylist(rows, schema=schema)


def add_batch(tx, months: list[str], scope: str = "council", name: str = "f.csv") -> Batch:
    batch_id = new_batch_id()
    table = tx.write_table("asb_incidents", batch_id, asb_rows(batch_id, months))
    batch = Batch(batch_id=batch_id, source="asb", scope=scope,
                  inputs=[{"name": name, "sha256": batch_id, "size": 1}], months=months,
                  tables={"asb_incidents": table}, read=table.rows, stored=table.rows,
                  rejected=0)
    tx.add(batch)
    return batch


def count(wh: Warehouse, where: str = "true") -> int:
    return wh.connect().execute(f"SELECT count(*) FROM asb_incidents WHERE {where}"
                                ).fetchall()[0][0]


def test_an_empty_warehouse_has_empty_views_with_the_contract_columns(tmp_path):
    con = Warehouse(tmp_path / "w").connect()
    columns = [r[0] for r in con.execute("DESCRIBE crimes").fetchall()]
    assert columns == list(contract.table("crimes").names) + ["batch_id", "source_line"]
    assert con.execute("SELECT count(*) FROM crimes").fetchall() == [(0,)]


def test_an_error_inside_a_transaction_leaves_nothing_behind(tmp_path):
    wh = Warehouse(tmp_path / "w")
    with wh.transaction() as tx:
        add_batch(tx, ["2019-01"])
    before = (wh.manifest_path.read_bytes(), sorted(wh.data_dir.rglob("*")))
    with pytest.raises(RuntimeError):
        with wh.transaction() as tx:
            add_batch(tx, ["2019-02"])
            raise RuntimeError("boom")
    assert (wh.manifest_path.read_bytes(), sorted(wh.data_dir.rglob("*"))) == before
    assert count(wh) == 2


def test_a_newer_batch_replaces_only_the_overlapping_months_of_the_same_scope(tmp_path):
    wh = Warehouse(tmp_path / "w")
    with wh.transaction() as tx:
        add_batch(tx, ["2019-01", "2019-02"], name="old.csv")
        add_batch(tx, ["2019-02"], scope="other", name="other.csv")
    with wh.transaction() as tx:
        add_batch(tx, ["2019-02"], name="new.csv")
        assert tx.replacements == ["new.csv replaces 2019-02 previously loaded from old.csv."]
    assert count(wh, "month = '2019-01'") == 2
    assert count(wh, "month = '2019-02'") == 4  # the new batch's 2 + the other scope's 2
    old = next(b for b in wh.batches() if b.inputs[0]["name"] == "old.csv")
    assert old.months == ["2019-01"] and old.stored == 2


def test_files_no_manifest_references_are_collected_by_the_next_transaction(tmp_path):
    wh = Warehouse(tmp_path / "w")
    with wh.transaction() as tx:
        add_batch(tx, ["2019-01"])
    stray = wh.data_dir / "asb_incidents" / "left-by-a-killed-ingest.parquet"
    stray.write_bytes(b"partial")
    with wh.transaction():
        pass
    assert not stray.exists()
    assert count(wh) == 2


def test_only_one_transaction_writes_at_a_time(tmp_path):
    wh = Warehouse(tmp_path / "w")
    with wh.transaction():
        with pytest.raises(WarehouseError, match="Another safecity ingest"):
            with wh.transaction():
                pass
