"""The Parquet warehouse: atomic transactions, replacement of months, clean-up, empty views."""

from __future__ import annotations

import pyarrow as pa
import pytest

from safecity.engine import contract
from safecity.engine.errors import WarehouseError
from safecity.engine.warehouse import BatchTable, Batch, Warehouse, new_batch_id


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


def add_partial_batch(tx, months: list[str], drop: tuple[str, ...], flag: bool | None,
                      scope: str = "council") -> Batch:
    """A batch whose Parquet file leaves out ``drop`` (as police.uk leaves out columns it
    never fills); ``flag`` goes into asb_type when that column is kept."""
    import pyarrow.parquet as pq

    batch_id = new_batch_id()
    data = asb_rows(batch_id, months)
    if "asb_type" not in drop:
        data = data.set_column(data.schema.get_field_index("asb_type"), "asb_type",
                               pa.array([str(flag)] * data.num_rows, pa.string()))
    data = data.drop_columns(list(drop))
    path = tx.table_path("asb_incidents", batch_id)
    pq.write_table(data, path)
    from safecity.engine.warehouse import BatchTable

    table = BatchTable(tx.relative(path), data.num_rows)
    tx.add(Batch(batch_id=batch_id, source="asb", scope=scope,
                 inputs=[{"name": "f.csv", "sha256": batch_id, "size": 1}], months=months,
                 tables={"asb_incidents": table}, read=table.rows, stored=table.rows,
                 rejected=0))
    return tx


def test_views_show_every_contract_column_when_files_leave_some_out(tmp_path):
    wh = Warehouse(tmp_path / "w")
    with wh.transaction() as tx:
        add_partial_batch(tx, ["2019-01"], drop=(), flag=True, scope="a")
        add_partial_batch(tx, ["2019-02"], drop=("asb_type", "easting"), flag=None, scope="b")
    con = wh.connect()
    types = dict((r[0], r[1]) for r in con.execute("DESCRIBE asb_incidents").fetchall())
    want = {c.name: c.type.duckdb for c in contract.table("asb_incidents").columns}
    assert {name: types[name] for name in want} == want
    got = con.execute("SELECT month, asb_type, easting IS NULL FROM asb_incidents "
                      "ORDER BY month").fetchall()
    assert got == [("2019-01", "True", True)] * 2 + [("2019-02", None, True)] * 2


def test_a_column_no_file_has_is_a_typed_null_in_the_view(tmp_path):
    wh = Warehouse(tmp_path / "w")
    with wh.transaction() as tx:
        add_partial_batch(tx, ["2019-01"], drop=("asb_type", "easting"), flag=None)
    con = wh.connect()
    types = dict((r[0], r[1]) for r in con.execute("DESCRIBE asb_incidents").fetchall())
    assert (types["asb_type"], types["easting"]) == ("VARCHAR", "DOUBLE")
    assert con.execute("SELECT count(*), count(asb_type), sum(easting) FROM asb_incidents"
                       ).fetchall() == [(2, 0, None)]


def test_rows_with_only_longitude_and_latitude_get_their_grid_reference_in_the_view(tmp_path):
    """police.uk files store longitude and latitude only; the view derives easting and
    northing (checked against pyproj, the second implementation), and a row with its own
    easting and northing keeps them."""
    import numpy as np
    import pyarrow.parquet as pq

    from safecity.engine import geo

    lon, lat = [-1.404351, -1.3911, -1.45], [50.909698, 50.92, 50.88]
    wh = Warehouse(tmp_path / "w")
    with wh.transaction() as tx:
        batch_id = new_batch_id()
        data = asb_rows(batch_id, ["2019-01"], n=3)
        data = data.set_column(data.schema.get_field_index("longitude"), "longitude",
                               pa.array(lon, pa.float64()))
        data = data.set_column(data.schema.get_field_index("latitude"), "latitude",
                               pa.array(lat, pa.float64()))
        own = data.drop_columns(["easting", "northing"])
        path = tx.table_path("asb_incidents", batch_id)
        pq.write_table(own, path)
        tx.add(Batch(batch_id=batch_id, source="asb", scope="lonlat",
                     inputs=[{"name": "f.csv", "sha256": batch_id, "size": 1}],
                     months=["2019-01"], tables={"asb_incidents": BatchTable(
                         tx.relative(path), own.num_rows)}, read=3, stored=3, rejected=0))
        other = new_batch_id()
        given = asb_rows(other, ["2019-02"], n=1)
        for name, value in (("longitude", 0.0), ("latitude", 0.0), ("easting", 123.0),
                            ("northing", 456.0)):
            given = given.set_column(given.schema.get_field_index(name), name,
                                     pa.array([value], pa.float64()))
        tx.add(Batch(batch_id=other, source="asb", scope="given",
                     inputs=[{"name": "g.csv", "sha256": other, "size": 1}],
                     months=["2019-02"], tables={"asb_incidents": tx.write_table(
                         "asb_incidents", other, given)}, read=1, stored=1, rejected=0))
    got = wh.connect().execute("SELECT easting, northing FROM asb_incidents "
                               "ORDER BY month, source_line").fetchnumpy()
    east, north = geo.to_bng(np.array(lon), np.array(lat))
    assert np.hypot(got["easting"][:3] - east, got["northing"][:3] - north).max() < 0.01
    assert (got["easting"][3], got["northing"][3]) == (123.0, 456.0)


def test_a_file_without_some_columns_can_lose_months_to_a_newer_batch(tmp_path):
    wh = Warehouse(tmp_path / "w")
    with wh.transaction() as tx:
        add_partial_batch(tx, ["2019-01", "2019-02"], drop=("asb_type",), flag=None)
    with wh.transaction() as tx:
        add_batch(tx, ["2019-02"])
    assert count(wh, "month = '2019-01'") == 2 and count(wh, "month = '2019-02'") == 2
