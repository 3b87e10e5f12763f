"""Opening a big warehouse cheaply (issue #15): the manifest is parsed once per version, every
file ingest writes is marked in the manifest as carrying its table's whole contract schema, so
the views read the files by name with no footer read in Python and no ``union_by_name``
(proved here to give the same rows as ``union_by_name`` over the same files), and a warehouse
written before the marks still reads through the old path."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from safecity.engine import contract, warehouse as warehouse_module
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse, schema_mark

from .test_warehouse import add_batch, add_partial_batch


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, shared_data) -> Warehouse:
    root = tmp_path_factory.mktemp("reading") / "warehouse"
    police = sorted((shared_data / "police-uk").rglob("*-street.csv.gz"))
    ingest_paths(police[::60], source="police-uk", warehouse=root)  # four forces' months
    wh = Warehouse(root)
    with wh.transaction() as tx:
        add_batch(tx, ["2019-01", "2019-02"])
    return wh


def _tables_with_data(wh: Warehouse) -> list[str]:
    return [name for name in contract.TABLES if wh.has_data(name)]


def test_every_file_written_is_marked_with_its_contract_schema(loaded):
    batches = loaded.batches()
    assert len(batches) == 5
    for batch in batches:
        for name, table in batch.tables.items():
            assert table.schema == schema_mark(name)
            # the mark is true: the footer lists every contract column in order
            assert pq.read_schema(loaded.root / table.file).names == \
                contract.table(name).arrow_schema.names


def test_views_need_no_footer_in_python_nor_union_by_name_and_give_the_same_rows(
        loaded, monkeypatch):
    def no_footers(*args, **kwargs):
        raise AssertionError("a footer was read to open the warehouse")

    warehouse_module._columns_of.cache_clear()
    monkeypatch.setattr(warehouse_module.pq, "read_schema", no_footers)
    monkeypatch.setattr(warehouse_module.pq, "ParquetFile", no_footers)
    con = loaded.connect()
    views = dict(con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal")
                 .fetchall())
    names = _tables_with_data(loaded)
    assert {"crimes", "asb_incidents"} <= set(names)
    for name in names:
        assert "union_by_name" not in views[name].lower()
        assert "bng" not in views[name].lower()  # the grid reference is on disk, not derived
        listing = ", ".join(f"'{f}'" for f in loaded.files(name))
        union = f"read_parquet([{listing}], union_by_name = true)"
        cols = ", ".join(contract.table(name).arrow_schema.names)
        for a, b in ((name, union), (union, name)):
            extra = con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {a} EXCEPT ALL "
                                f"SELECT {cols} FROM {b})").fetchone()[0]
            assert extra == 0, (name, a[:20])
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == sum(
            t.rows for b in loaded.batches() for n, t in b.tables.items() if n == name)


def test_the_manifest_is_parsed_once_per_version(loaded, monkeypatch):
    parsed = []
    read = Warehouse._read_manifest

    def counting(self):
        parsed.append(self.root)
        return read(self)

    monkeypatch.setattr(Warehouse, "_read_manifest", counting)
    warehouse_module._PARSED.clear()
    for _ in range(3):  # three opens, each reading every table
        wh = Warehouse(loaded.root)
        wh.connect()
        for name in contract.TABLES:
            wh.files(name)
            wh.has_data(name)
        wh.batches()
    assert len(parsed) == 1
    with loaded.transaction() as tx:  # a new version of the manifest is parsed again
        add_batch(tx, ["2018-12"], scope="another")
    assert len(Warehouse(loaded.root).batches()) == 6
    assert len(parsed) == 2


def test_a_batch_read_from_the_shared_manifest_is_a_copy(loaded):
    first = loaded.batches()[0]
    first.notes.append("changed by a caller")
    first.months.append("1999-01")
    again = loaded.batches()[0]
    assert "changed by a caller" not in again.notes and "1999-01" not in again.months


def test_a_file_without_every_column_is_not_marked_and_reads_through_union_by_name(tmp_path):
    wh = Warehouse(tmp_path / "w")
    with wh.transaction() as tx:
        add_partial_batch(tx, ["2019-01"], drop=(), flag=True, scope="a")
        add_partial_batch(tx, ["2019-02"], drop=("asb_type",), flag=None, scope="b")
    marks = {b.scope: b.tables["asb_incidents"].schema for b in wh.batches()}
    assert marks == {"a": schema_mark("asb_incidents"), "b": None}
    con = wh.connect()
    view = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'asb_incidents'"
                       ).fetchone()[0]
    assert "union_by_name" in view.lower()
    assert con.execute("SELECT month, count(asb_type), count(*) FROM asb_incidents "
                       "GROUP BY month ORDER BY month").fetchall() == [
        ("2019-01", 2, 2), ("2019-02", 0, 2)]


def test_an_old_manifest_without_marks_still_reads(loaded, tmp_path):
    """A warehouse written before the marks: the same files read through the old path."""
    import json
    import shutil

    root = tmp_path / "old"
    shutil.copytree(loaded.root, root)
    manifest = json.loads((root / "manifest.json").read_text())
    for batch in manifest["batches"]:
        for table in batch["tables"].values():
            table.pop("schema", None)
    (root / "manifest.json").write_text(json.dumps(manifest))
    old, new = Warehouse(root).connect(), loaded.connect()
    for name in ("crimes", "asb_incidents"):
        view = old.execute("SELECT sql FROM duckdb_views() WHERE view_name = ?", [name]
                           ).fetchone()[0]
        assert "union_by_name" in view.lower()
        query = (f"SELECT month, count(*), count(easting), min(easting), max(northing) "
                 f"FROM {name} GROUP BY ALL ORDER BY ALL")
        assert old.execute(query).fetchall() == new.execute(query).fetchall()


def test_a_connection_scoped_to_months_and_sources_opens_only_their_files(loaded):
    """The manifest prunes by partition before DuckDB sees the files; the rows are exactly
    those of the months and sources asked for."""
    full = loaded.connect()
    months = sorted(m for (m,) in full.execute(
        "SELECT DISTINCT month FROM crimes WHERE source = 'police-uk'").fetchall())
    assert len(months) >= 2
    asked = months[:1]
    scoped = loaded.connect(months=asked, sources=["police-uk"])
    view = scoped.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'crimes'"
                          ).fetchone()[0]
    holding = [b for b in loaded.batches() if b.source == "police-uk" and "crimes" in b.tables
               and set(b.months) & set(asked)]
    others = [b for b in loaded.batches() if "crimes" in b.tables and b not in holding]
    assert holding and others
    assert all(b.tables["crimes"].file in view for b in holding)
    assert not any(b.tables["crimes"].file in view for b in others)
    query = ("SELECT month, police_uk_category, count(*) FROM crimes {} GROUP BY ALL "
             "ORDER BY ALL")
    assert scoped.execute(query.format("")).fetchall() == full.execute(query.format(
        f"WHERE source = 'police-uk' AND month = '{asked[0]}'")).fetchall()
    # the asb source's batch is out; police.uk ASB rows of the month are in
    assert scoped.execute("SELECT DISTINCT source FROM asb_incidents").fetchall() == [
        ("police-uk",)]


def test_a_query_for_some_dates_never_opens_the_other_years_files(shared_data, tmp_path):
    hampshire = sorted((shared_data / "police-uk" / "hampshire").glob("*-street.csv.gz"))
    years = {f.name[:4] for f in hampshire}
    assert len(years) >= 3  # 2017, 2018, 2019 (and 2025)
    wh = Warehouse(tmp_path / "w")
    ingest_paths(hampshire, source="police-uk", warehouse=wh)
    con = wh.connect()
    query = ("SELECT count(*), min(recorded_date), max(recorded_date) FROM crimes "
             "WHERE recorded_date BETWEEN DATE '2018-11-01' AND DATE '2018-12-31'")
    plan = "\n".join(r[1] for r in con.execute(f"EXPLAIN {query}").fetchall())
    assert plan.count("READ_PARQUET") == 1  # the 2018 branch only
    # the same rows as one read of every file
    listing = ", ".join(f"'{f}'" for f in wh.files("crimes"))
    assert con.execute(query).fetchall() == con.execute(query.replace(
        "FROM crimes", f"FROM read_parquet([{listing}])")).fetchall()
    assert con.execute(query).fetchone()[0] > 10_000
    everything = "SELECT count(*) FROM crimes"
    assert "\n".join(r[1] for r in con.execute(f"EXPLAIN {everything}").fetchall()).count(
        "READ_PARQUET") == len(years)
    assert con.execute(everything).fetchone()[0] == sum(
        b.tables["crimes"].rows for b in wh.batches())


def test_every_dated_row_lies_in_its_month_as_the_year_branches_assume(loaded):
    """The invariant ``_by_year`` relies on (the contract: ``month`` is derived from
    ``recorded_date``), over police.uk files and a table written through the transaction."""
    con = loaded.connect()
    for name in ("crimes", "asb_incidents"):
        assert con.execute(f"SELECT count(*) FROM {name} WHERE month IS NULL OR recorded_date "
                           f"IS NULL OR strftime(recorded_date, '%Y-%m') <> month"
                           ).fetchone()[0] == 0
