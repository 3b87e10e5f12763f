"""How police.uk's contract Parquet files are written (``police_uk.write``): each file has the
contract schema, keeps only the LSOA codes its rows use in its dictionaries, reads back with
the values loaded, and a file's rows are never split across a stream."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safecity.engine import contract, geo
from safecity.engine.ingest.police_uk import write
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

from .police_uk_helpers import cid, street_row, write_street


def test_a_small_file_keeps_only_the_lsoa_codes_it_uses_and_reads_back_as_loaded(home, tmp_path):
    """The stage's LSOA type allows every code (about 42,000): written whole into each file's
    dictionary it would make a three-row file about a megabyte."""
    rows = [street_row(cid(1), lsoa="E01017140"),
            street_row(cid(2), lsoa="E01033769"),             # a 2021 code
            street_row(cid(3), lon="", lat="", lsoa=""),      # no location
            street_row("", crime_type="Anti-social behaviour", lsoa="E01017140")]
    folder = tmp_path / "in"
    write_street(folder / "2019-01-hampshire-street.csv", rows)
    write_street(folder / "2019-02-hampshire-street.csv",
                 [street_row(cid(9), month="2019-02", lsoa="E01017142")])
    ingest_paths([folder], source="police-uk", warehouse=tmp_path / "w")
    wh = Warehouse(tmp_path / "w")
    crimes = sorted(wh.files("crimes"))
    assert len(crimes) == 2
    for path in crimes + sorted(wh.files("asb_incidents")):
        assert path.stat().st_size < 40_000, path
        table = path.parent.name
        assert pq.read_schema(path).names == contract.table(table).arrow_schema.names
    got = pq.read_table(crimes, columns=["crime_ref", "lsoa_code", "lsoa11_code", "easting"])
    got = sorted(zip(*(got.column(i).to_pylist() for i in range(4))))
    assert [(r[0], r[1], r[2], r[3] is None) for r in got] == [
        (cid(1), "E01017140", "E01017140", False), (cid(2), "E01033769", "E01028040", False),
        (cid(3), None, None, True), (cid(9), "E01017142", "E01017142", False)]


def _batch(files: list[int]) -> tuple[pa.RecordBatch, np.ndarray]:
    n = len(files)
    rows = pa.RecordBatch.from_pydict({"crime_ref": [f"r{i}" for i in range(n)],
                                       "longitude": [-1.4] * n, "latitude": [50.9] * n})
    return write._complete(rows, contract.table("crimes").arrow_schema), np.array(files)


def test_rows_of_a_file_coming_back_after_another_file_are_refused(home, tmp_path):
    """Each file is written once: a stream giving file 0, then 1, then 0 again would split file
    0, so the writer stops rather than write half of it."""
    schema = contract.table("crimes").arrow_schema
    wh = Warehouse(tmp_path / "w")
    with wh.transaction() as tx:
        with pytest.raises(RuntimeError, match="interleaved"):
            write._files(iter([_batch([0, 0, 1]), _batch([0])]), schema, tx=tx,
                         table="crimes", batch_ids=["a", "b"])
        written = write._files(iter([_batch([0, 0, 1]), _batch([1, 2])]), schema, tx=tx,
                               table="crimes", batch_ids=["a", "b", "c"])
        assert {fi: t.rows for fi, t in written.items()} == {0: 2, 1: 2, 2: 1}
        east = pq.read_table(wh.root / written[1].file, columns=["easting"]).column(0)
        expected, _ = geo.to_bng([-1.4], [50.9])  # pyproj
        assert np.abs(east.to_numpy() - expected[0]).max() < 0.01
