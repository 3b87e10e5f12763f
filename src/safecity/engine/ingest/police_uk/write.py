"""police.uk, pass 2 (write): the contract Parquet files and the rejects CSV, selected from the
stage (``stage``). DuckDB streams each table's rows out of the stage as Arrow batches; the grid
reference and the columns police.uk never fills are added to each batch here, and pyarrow
writes the Parquet files through the transaction's paths (the rejects CSV is DuckDB's)."""

from __future__ import annotations

import queue
import threading
from functools import lru_cache
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ... import contract
from ...bng_sql import to_bng
from ...sql import identifier, literal, literal_list
from ...warehouse import BatchTable, Transaction
from .stage import FIRST_MONTH, enum_type, has_coordinates, lsoa_codes, reject_names

#: Rows DuckDB hands over at a time, and the largest row group of a file.
BATCH_ROWS = 1 << 18
#: Columns written with a dictionary: the stage's ENUMs arrive as Arrow dictionary arrays and
#: pyarrow writes their indices as they are, without hashing a value.
_DICTIONARY = ("source", "police_uk_category", "month", "lsoa_code", "lsoa11_code", "force",
               "outcome", "batch_id", "reporting_agency")
#: Encodings of the columns with mostly distinct values (format 2 data pages): the unique
#: 64-character Crime IDs as DELTA_LENGTH_BYTE_ARRAY, line numbers as DELTA_BINARY_PACKED,
#: coordinates as BYTE_STREAM_SPLIT (smaller under snappy than plain).
_ENCODING = {"crime_ref": "DELTA_LENGTH_BYTE_ARRAY", "incident_ref": "DELTA_LENGTH_BYTE_ARRAY",
             "source_line": "DELTA_BINARY_PACKED", "longitude": "BYTE_STREAM_SPLIT",
             "latitude": "BYTE_STREAM_SPLIT", "easting": "BYTE_STREAM_SPLIT",
             "northing": "BYTE_STREAM_SPLIT"}
#: Why pyarrow writes these files and not DuckDB's ``COPY``: on the 5 M-row bench file the crimes
#: file took 4.6 s of CPU through DuckDB, of which about 0.9 s went on the 17 columns police.uk
#: never fills (DuckDB's writer handles every NULL of a column one by one: 35-60 ms per column)
#: and 1.25 s on the Crime IDs, where pyarrow writes the NULL columns in about 0.15 s and the
#: IDs in about 0.45 s (docs/benchmarks.md). The files are format 2 pages with snappy
#: compression, as DuckDB wrote them; pyarrow's Arrow schema is not stored, so readers see
#: the contract's types (dictionary-encoded columns read back as plain strings).
_STRUCTURAL = {
    "MISSING COLUMNS": "the line has fewer fields than the header (is it cut short?)",
    "TOO MANY COLUMNS": "the line has more fields than the header (an unquoted comma?)",
    "UNQUOTED VALUE": "a quoted field is not closed properly",
    "INVALID UNICODE": "the line is not valid UTF-8 text",
    "LINE SIZE OVER MAXIMUM": "the line is too long to be a police.uk row",
}
#: After "duplicate of line N" in the rejects file (what makes a row a duplicate: see
#: ``stage.find_duplicates``).
DUPLICATE_REASON = (": the same Crime ID, month, force, coordinates, LSOA, crime type and outcome")
#: Reject-file column → the parsed value standing in for it when the raw value is missing
#: (duplicates: their kept values equal their first occurrence's).
_PARSED = {"crime_id": "crime_id", "month": "CAST(month AS VARCHAR)",
           "falls_within": "force_text",
           "longitude": "CAST(lon AS VARCHAR)", "latitude": "CAST(lat AS VARCHAR)",
           "easting": "CAST(east AS VARCHAR)", "northing": "CAST(north AS VARCHAR)",
           "lsoa_code": "lsoa_text", "crime_type": "CAST(crime_type AS VARCHAR)",
           "outcome": "outcome_text"}


def register_points(con, columns: dict[str, int]) -> bool:
    """Early files give only easting/northing: project those rows back to longitude and latitude
    with pyproj and register them as ``pts(rid, p_longitude, p_latitude)``. False when no row
    needs it (every file since 2013)."""
    if not has_coordinates(columns, "east"):
        return False
    got = con.sql("SELECT rid, east, north FROM rows WHERE reason IS NULL "
                  "AND lon IS NULL AND east IS NOT NULL").to_arrow_table()
    if not got.num_rows:
        return False
    lon, lat = _inverse().transform(got.column("east").to_numpy(zero_copy_only=False),
                                    got.column("north").to_numpy(zero_copy_only=False))
    con.register("pts", pa.table({"rid": got.column("rid"),
                                  "p_longitude": pa.array(lon, type=pa.float64()),
                                  "p_latitude": pa.array(lat, type=pa.float64())}))
    return True


@lru_cache(maxsize=1)
def _inverse():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def _expressions(table: str, *, points: bool, texts: set[str],
                 ids_complete: bool = False) -> dict[str, str]:
    """Contract column → SQL over the selected rows. ENUM-typed expressions are written as they
    are (the Parquet column is a dictionary-encoded string either way). ``ids_complete``: every
    crime has a Crime ID (the counts said so), so the reference is the ID itself; the CASE
    that falls back to the file and line builds a copy of every ID (about 0.4 s of CPU per
    4.5M crimes). Each file's batch and reference prefix come from the tables ``batch_ids``
    and ``prefixes`` (one value per file, indexed by ``fi``)."""
    _, n11, _ = lsoa_codes()
    line_ref = "(SELECT p FROM prefixes)[fi + 1] || line"
    lon, lat = ("coalesce(lon, p_longitude)", "coalesce(lat, p_latitude)") if points else (
        "lon", "lat")
    common = {
        "source": f"CAST('police-uk' AS {enum_type('police-uk')})", "recorded_date":
        f"CAST({literal(FIRST_MONTH)}::DATE + to_months(CAST(enum_code(month) AS INTEGER)) AS DATE)",
        "month": "month", "lsoa_code": "lsoa_text" if "lsoa" in texts else "lsoa",
        # A 2011 code is its own 2011 code; a 2021 code looks up its 2011 one.
        "lsoa11_code": f"CASE WHEN enum_code(lsoa) < {n11} THEN lsoa ELSE "
                       f"(SELECT codes FROM lsoa11_of_later)[enum_code(lsoa) - {n11 - 1}] END",
        # Early files give easting/northing only (pts); every later one longitude/latitude,
        # projected to the grid by ``write_table``.
        "longitude": lon, "latitude": lat, "easting": "east", "northing": "north",
        "force": "force_text" if "force" in texts else "force", "batch_id": "(SELECT b FROM batch_ids)[fi + 1]",
        "source_line": "line",
    }
    if table == "crimes":
        return {**common, "crime_ref": "crime_id" if ids_complete else
                f"CASE WHEN crime_id IS NULL THEN {line_ref} ELSE crime_id END",
                "police_uk_category": "crime_type",
                "outcome": "outcome_text" if "outcome" in texts else "outcome",
                "duplicate_id": "duplicate_id"}
    # police.uk ASB rows carry no ID of their own: the file and line identify them.
    return {**common, "incident_ref": line_ref,
            "reporting_agency": f"CAST('police' AS {enum_type('police')})"}


_TYPED = {"source", "month", "lsoa_code", "lsoa11_code", "batch_id", "police_uk_category",
          "reporting_agency", "force", "outcome"}


def name_files(con, batch_ids: list[str], ref_prefixes: list[str]) -> None:
    """The tables ``batch_ids`` and ``prefixes``: each file's batch and reference prefix, as
    lists indexed by ``fi`` (a list element costs less per row than a join)."""
    con.execute(f"CREATE TEMP TABLE batch_ids AS SELECT CAST([{literal_list(batch_ids)}] AS "
                f"{enum_type(*batch_ids)}[]) AS b")
    con.execute(f"CREATE TEMP TABLE prefixes AS SELECT "
                f"[{literal_list(p + '#' for p in ref_prefixes)}] AS p")


def write_table(*, con, tx: Transaction, table: str, batch_ids: list[str],
                columns: dict[str, int], where: str, dups: bool, points: bool, texts: set[str],
                ids_complete: bool = False) -> dict[int, BatchTable]:
    """Select the contract columns police.uk fills from the stage and write one Parquet file
    per input file with the table's full contract schema; returns ``fi`` → the file written
    (files with no rows of this table are left out).

    The rows of a file reach the writer together (a chunk of many files is ordered by file;
    ``_files`` refuses a stream that is not). Each file gets the grid reference, projected
    from longitude and latitude by ``bng_sql.to_bng`` (a published easting and northing, in
    early files, is kept as given), and typed NULL columns for the contract columns police.uk
    never fills (offence codes, flags, dates committed), so every file has the documented
    schema and any engine reads it without safecity's views."""
    exprs = _expressions(table, points=points, texts=texts, ids_complete=ids_complete)
    if not has_coordinates(columns, "east"):
        del exprs["easting"], exprs["northing"]  # all projected in ``_complete``
    duck = {c.name: c.type.duckdb for c in contract.table(table).columns}
    duck.update(batch_id="VARCHAR", source_line="BIGINT")
    typed = _TYPED - {"lsoa_code" if n == "lsoa" else n for n in texts}
    schema = contract.table(table).arrow_schema
    select = ", ".join(f"{exprs[name]} AS {name}" if name in typed else
                       f"CAST({exprs[name]} AS {duck[name]}) AS {name}"
                       for name in schema.names if name in exprs)
    if dups:  # drop duplicates, flag other repeated IDs
        rows = ("(SELECT r.*, coalesce(d.duplicate_id, false) AS duplicate_id FROM rows r "
                "LEFT JOIN dups d ON r.rid = d.rid WHERE NOT coalesce(d.exact, false))")
    else:
        rows = "(SELECT *, false AS duplicate_id FROM rows)"
    relation = f"(SELECT * FROM {rows} WHERE reason IS NULL AND {where})"
    if points:
        relation = f"(SELECT * FROM {relation} c LEFT JOIN pts USING (rid))"
    # Each file's rows must reach the writer together. DuckDB's parallel scan does not keep
    # them so (nor does a streamed result keep insertion order), so a chunk of many files is
    # ordered by file; one file's rows come in any order.
    order = " ORDER BY fi" if len(batch_ids) > 1 else ""
    reader = con.sql(f"SELECT {select}, fi FROM {relation}{order}").to_arrow_reader(BATCH_ROWS)
    batches = ((_complete(b, schema), b.column(b.num_columns - 1).to_numpy())
               for b in _prefetched(reader))
    return _files(batches, schema, tx=tx, table=table, batch_ids=batch_ids)


def _prefetched(reader: pa.RecordBatchReader, depth: int = 2) -> Iterator[pa.RecordBatch]:
    """``reader``'s batches, read ahead on a second thread: DuckDB produces the next batch
    (its work releases the GIL) while this one is projected and written. (Projecting on that
    thread too was measured no faster: the two threads then contend for the GIL.)"""
    ahead: queue.Queue = queue.Queue(maxsize=depth)
    done = object()

    def produce() -> None:
        try:
            for batch in reader:
                ahead.put(batch)
            ahead.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            ahead.put(exc)

    thread = threading.Thread(target=produce, name="police-uk-stage-reader", daemon=True)
    thread.start()
    try:
        while (item := ahead.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        while thread.is_alive():  # let the reader finish (or fail) before DuckDB is reused
            try:
                ahead.get(timeout=0.1)
            except queue.Empty:
                pass
        thread.join()


def _files(batches: Iterator[tuple[pa.RecordBatch, np.ndarray]], schema: pa.Schema, *,
           tx: Transaction, table: str, batch_ids: list[str]) -> dict[int, BatchTable]:
    """Write each file's rows (a run of one file index in ``batches``: (contract-schema rows,
    their files)) to its own Parquet file; ``fi`` → the file written."""
    written: dict[int, BatchTable] = {}
    fi, rows, path, sink, writer = -1, 0, None, None, None

    def close() -> None:
        writer.close()
        sink.close()
        written[fi] = BatchTable(tx.relative(path), rows)

    try:
        for full, files in batches:
            cuts = [0, *(np.flatnonzero(files[1:] != files[:-1]) + 1).tolist(), len(files)]
            for start, stop in zip(cuts, cuts[1:]):
                if int(files[start]) != fi:
                    if int(files[start]) < fi:
                        raise RuntimeError("the rows of the files to write came interleaved: "
                                           "each file would be split")
                    if writer is not None:
                        close()
                        writer = None
                    fi, rows = int(files[start]), 0
                    path = tx.table_path(table, batch_ids[fi])
                    sink = pa.OSFile(str(path), "wb")
                    writer = pq.ParquetWriter(sink, full.schema, **_options(full.schema))
                writer.write_batch(_used_values(full.slice(start, stop - start)),
                                   row_group_size=BATCH_ROWS)
                rows += stop - start
        if writer is not None:
            close()
            writer = None
    finally:
        if writer is not None:  # a failure: the transaction removes what it wrote
            writer.close()
            sink.close()
    return written


#: Columns written without row-group statistics (min/max): LSOA codes come in no order in a
#: police.uk file, so their ranges would let a reader skip almost nothing, and pyarrow's
#: statistics of a dictionary column cost more than writing it (0.6 s of CPU for the two LSOA
#: columns of the bench file against 0.2 s). Compaction (DuckDB) writes them again.
_NO_STATISTICS = ("lsoa_code", "lsoa11_code")


def _options(schema: pa.Schema) -> dict:
    """pyarrow's writer options for a police.uk table of ``schema``."""
    return dict(compression="snappy", data_page_version="2.0", store_schema=False,
                coerce_timestamps="us",
                write_statistics=[n for n in schema.names if n not in _NO_STATISTICS],
                use_dictionary=[n for n in schema.names if n in _DICTIONARY],
                column_encoding={n: e for n, e in _ENCODING.items()
                                 if n in schema.names and n not in _DICTIONARY})


def _complete(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """The batch in the contract's column order, with the grid reference and typed NULLs."""
    given = {name: batch.column(name) for name in batch.schema.names}
    if "easting" not in given or given["easting"].null_count:
        lon, lat = given["longitude"], given["latitude"]
        east, north = to_bng(lon.to_numpy(zero_copy_only=False),
                             lat.to_numpy(zero_copy_only=False))
        missing = np.logical_or(lon.is_null().to_numpy(zero_copy_only=False),
                                lat.is_null().to_numpy(zero_copy_only=False))
        projected = {"easting": pa.array(east, mask=missing),
                     "northing": pa.array(north, mask=missing)}
        for name in ("easting", "northing"):
            given[name] = (projected[name] if name not in given else
                           pc.coalesce(given[name], projected[name]))
    arrays = [given[f.name] if f.name in given else _nulls(f.type, batch.num_rows)
              for f in schema]
    return pa.RecordBatch.from_arrays(arrays, names=schema.names)


def _used_values(batch: pa.RecordBatch) -> pa.RecordBatch:
    """``batch`` with each dictionary column's dictionary cut to the values its rows use. An
    ENUM arrives with every value it allows (the LSOA codes: 42,000), and the writer puts a
    column's whole dictionary into every row group: for a month's file of a few thousand rows,
    hashing and writing 42,000 codes twice cost more than its rows (7 ms a file)."""
    arrays = list(batch.columns)
    for i, array in enumerate(arrays):
        if not pa.types.is_dictionary(array.type) or len(array.dictionary) <= 16:
            continue
        indices = pc.fill_null(array.indices, 0).to_numpy()  # a NULL row's index: any
        used = np.zeros(len(array.dictionary), dtype=bool)
        used[indices] = True
        if used.all():
            continue
        new_index = (np.cumsum(used) - 1).astype(indices.dtype)
        arrays[i] = pa.DictionaryArray.from_arrays(
            pa.array(new_index[indices], mask=array.is_null().to_numpy(zero_copy_only=False)),
            array.dictionary.filter(pa.array(used)))
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


def _nulls(type_: pa.DataType, n: int) -> pa.Array:
    """A typed all-NULL array of ``n`` rows: a slice of one made once per type."""
    return _null_array(type_, max(n, BATCH_ROWS)).slice(0, n)


@lru_cache(maxsize=16)
def _null_array(type_: pa.DataType, n: int) -> pa.Array:
    return pa.nulls(n, type_)


def write_rejects(con, tx: Transaction, batch_ids: list[str], displays: list[str],
                  header: list[str], columns: dict[str, int], exact: bool,
                  files: list[int]) -> dict[int, str]:
    """The rejects CSV of each file in ``files`` (``fi`` → its path in the warehouse): rejected
    rows, repeats and broken lines of every file, gathered in one pass, then one small file
    each."""
    names = reject_names(columns)
    labels = [header[columns[name]].strip() or name for name in names]
    values = ", ".join(f"coalesce(raw[{i}], {_PARSED[name]}) AS {identifier(label)}"
                       for i, (name, label) in enumerate(zip(names, labels), start=1))
    nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {identifier(label)}" for label in labels)
    cases = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in _STRUCTURAL.items())
    repeats = ""
    if exact:
        repeats = (f"UNION ALL SELECT fi, line, 'duplicate of line ' || "
                   f"first_same || {literal(DUPLICATE_REASON)} "
                   f"{', ' + values if values else ''} FROM (SELECT r.*, "
                   f"d.first_same FROM rows r JOIN dups d ON r.rid = d.rid WHERE d.exact)")
    con.execute(f"""
        CREATE TEMP TABLE rejected AS
          SELECT fi, line AS source_line, reason {', ' + values if values else ''}
          FROM rows WHERE reason IS NOT NULL
          {repeats}
          UNION ALL
          SELECT fi, line, CASE error_type {cases} ELSE message END
                 {', ' + nulls if nulls else ''}
          FROM broken
    """)
    written: dict[int, str] = {}
    for fi in files:
        path = tx.rejects_path(batch_ids[fi])
        con.execute(f"COPY (SELECT {literal(displays[fi])} AS source_file, * EXCLUDE (fi) "
                    f"FROM rejected WHERE fi = {int(fi)} ORDER BY source_line) TO "
                    f"{literal(path)} (FORMAT csv, HEADER true)")
        written[fi] = tx.relative(path)
    return written
