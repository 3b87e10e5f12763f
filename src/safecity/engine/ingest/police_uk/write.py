"""police.uk, pass 2 (write): the contract Parquet files and the rejects CSV, selected from the
stage (``stage``) and written by DuckDB through the transaction's paths."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ... import contract
from ...bng_sql import bng_sql
from ...sql import identifier, literal, literal_list
from ...warehouse import BatchTable, Transaction
from .stage import FIRST_MONTH, enum_type, has_coordinates, lsoa_codes, reject_names

#: How DuckDB writes police.uk's contract Parquet. Format 2 data pages (PARQUET_VERSION V2)
#: store the unique 64-character Crime IDs with DELTA_LENGTH_BYTE_ARRAY and integers with
#: DELTA_BINARY_PACKED: the crimes file of 4.5M rows is written with about 13 % less CPU than
#: with format 1 pages (docs/benchmarks.md), and DuckDB and pyarrow, the warehouse's readers,
#: read both. STRING_DICTIONARY_PAGE_SIZE_LIMIT 1 skips the dictionary attempt for the IDs
#: (ENUM columns keep their dictionaries).
PARQUET = ("FORMAT parquet, COMPRESSION snappy, STRING_DICTIONARY_PAGE_SIZE_LIMIT 1, "
           "PARQUET_VERSION V2")
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


def write_table(*, con, tx: Transaction, table: str, batch_ids: list[str], staging: Path,
                columns: dict[str, int], where: str, dups: bool, points: bool,
                texts: set[str], ids_complete: bool = False) -> dict[int, BatchTable]:
    """Select the contract columns and let DuckDB write one Parquet file per input file (in
    parallel, partitioned by ``fi``); returns ``fi`` → the file written (files with no rows of
    this table are left out)."""
    exprs = _expressions(table, points=points, texts=texts, ids_complete=ids_complete)
    # The grid reference is projected here from longitude and latitude (``bng_sql``, the same
    # SQL projection checked against pyproj), so every file carries the contract's full
    # schema and any engine reads it without safecity's views; a published easting and
    # northing (early files) is kept as given.
    given = has_coordinates(columns, "east")
    exprs["easting"] = "coalesce(east, bng_e)" if given else "bng_e"
    exprs["northing"] = "coalesce(north, bng_n)" if given else "bng_n"
    duck = {c.name: c.type.duckdb for c in contract.table(table).columns}
    duck.update(batch_id="VARCHAR", source_line="BIGINT")
    typed = _TYPED - {"lsoa_code" if n == "lsoa" else n for n in texts}
    # Columns police.uk never fills (offence codes, flags, dates committed) are written as
    # typed NULLs: every file has the documented schema (``contract``), in its order.
    select = ", ".join(f"{exprs[name]} AS {name}" if name in typed else
                       f"CAST({exprs[name]} AS {duck[name]}) AS {name}" if name in exprs else
                       f"CAST(NULL AS {duck[name]}) AS {name}"
                       for name in contract.table(table).arrow_schema.names)
    rows = "rows"
    if dups:  # drop duplicates, flag other repeated IDs
        rows = ("(SELECT r.*, coalesce(d.duplicate_id, false) AS duplicate_id FROM rows r "
                "LEFT JOIN dups d ON r.rid = d.rid WHERE NOT coalesce(d.exact, false))")
    else:
        rows = "(SELECT *, false AS duplicate_id FROM rows)"
    relation = f"(SELECT * FROM {rows} WHERE reason IS NULL AND {where})"
    if points:
        relation = f"(SELECT * FROM {relation} c LEFT JOIN pts USING (rid))"
    relation = "(" + bng_sql(relation, lon=exprs["longitude"], lat=exprs["latitude"]) + ")"
    written: dict[int, BatchTable] = {}
    if len(batch_ids) == 1:
        # One file: straight to its path. Partitioning a single file's rows by ``fi`` costs
        # about as much CPU again as the write itself (3.4 s against 5.1 s for the crimes of
        # the 5M-row bench file, docs/benchmarks.md).
        path = tx.table_path(table, batch_ids[0])
        con.execute(f"COPY (SELECT {select} FROM {relation}) TO {literal(path)} ({PARQUET})")
        rows = pq.ParquetFile(path).metadata.num_rows
        if rows:
            written[0] = BatchTable(tx.relative(path), rows)
        else:
            path.unlink()
        return written
    out = staging / f"out-{table}"
    con.execute(f"COPY (SELECT {select}, fi FROM {relation}) TO {literal(out)} "
                f"({PARQUET}, PARTITION_BY (fi))")
    for folder in out.glob("fi=*"):
        fi = int(folder.name[3:])
        parts = sorted(folder.glob("*.parquet"))
        path = tx.table_path(table, batch_ids[fi])
        if len(parts) == 1:
            os.replace(parts[0], path)
        else:  # DuckDB split a large partition: one file per batch all the same
            con.execute(f"COPY (SELECT * FROM read_parquet([{literal_list(parts)}])) TO "
                        f"{literal(path)} ({PARQUET})")
        rows = pq.ParquetFile(path).metadata.num_rows
        written[fi] = BatchTable(tx.relative(path), rows)
    return written


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
