"""Every Parquet file in the warehouse carries the documented contract schema, so pyarrow (or
DuckDB, Polars, Spark) reads it as docs/data-contract.md describes, without safecity's views:
the same column names in the same order, each of the documented type (a timestamp in any unit:
the contract says "timestamp"), the grid reference included."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safecity.engine import contract, geo
from safecity.engine.demo.build import build
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, shared_data) -> Warehouse:
    root = tmp_path_factory.mktemp("schema") / "warehouse"
    police = sorted((shared_data / "police-uk").rglob("*-street.csv.gz"))
    # A few forces and months of the real files, and the demo's extracts and tables.
    ingest_paths(police[::40], source="police-uk", warehouse=root)
    build(out=tmp_path_factory.mktemp("demo-files"), warehouse=root)
    return Warehouse(root)


def _same_type(got: pa.DataType, documented: pa.DataType) -> bool:
    if pa.types.is_timestamp(documented):
        return pa.types.is_timestamp(got)
    return got == documented


def test_pyarrow_reads_every_warehouse_file_with_the_documented_schema(warehouse):
    checked = 0
    for path in sorted((warehouse.root / "data").rglob("*.parquet")):
        table = Path(path).relative_to(warehouse.data_dir).parts[0]
        documented = contract.table(table).arrow_schema
        got = pq.read_schema(path)
        assert got.names == documented.names, path
        wrong = [(f.name, str(f.type), str(documented.field(f.name).type)) for f in got
                 if not _same_type(f.type, documented.field(f.name).type)]
        assert wrong == [], path
        checked += 1
    assert checked >= 10
    assert {"crimes", "asb_incidents"} <= {Path(p).parent.name
                                           for p in (warehouse.data_dir).rglob("*.parquet")}


def test_the_police_uk_grid_reference_is_on_disk_as_pyproj_gives_it(warehouse):
    files = [f for f in warehouse.files("crimes")
             if pq.read_table(f, columns=["source"]).column(0)[0].as_py() == "police-uk"]
    data = pa.concat_tables(pq.read_table(f, columns=["longitude", "latitude", "easting",
                                                      "northing"]) for f in files)
    located = data.filter(data["longitude"].is_valid())
    assert located.num_rows > 1000
    assert located["easting"].null_count == 0
    east, north = geo.to_bng(located["longitude"].to_numpy(), located["latitude"].to_numpy())
    assert np.hypot(located["easting"].to_numpy() - east,
                    located["northing"].to_numpy() - north).max() < 0.01


def test_every_dated_row_lies_in_its_month(warehouse):
    """``Warehouse._by_year`` reads a dated table year by year from the batches' months: the
    contract's ``month`` is derived from ``recorded_date`` in every source's rows."""
    con = warehouse.connect()
    dated = [name for name, tbl in contract.TABLES.items()
             if {"recorded_date", "month"} <= {c.name for c in tbl.columns}
             and warehouse.has_data(name)]
    assert {"crimes", "asb_incidents", "hate_reports"} <= set(dated)
    for name in dated:
        assert con.execute(f"SELECT count(*) FROM {name} WHERE month IS NULL OR recorded_date "
                           f"IS NULL OR strftime(recorded_date, '%Y-%m') <> month"
                           ).fetchone()[0] == 0, name
