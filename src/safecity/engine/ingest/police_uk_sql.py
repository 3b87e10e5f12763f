"""The vectorised police.uk pipeline: CSV → staging table → SQL checks → contract Parquet.

Everything runs in DuckDB, the BNG projection included (``bng_sql``, checked against pyproj).

1. ``read_csv`` reads every column as text with explicit names; structurally broken lines (too
   few or too many fields, bad quoting, bad UTF-8) go to DuckDB's reject table with their line.
   In the same pass each row is parsed and checked (a reason to reject it, or none) into a
   staging table in a DuckDB file beside the warehouse; a row's place there (rowid, insertion
   order preserved) plus the broken lines before it gives its line number (header = line 1).
2. Exact duplicates and repeated Crime IDs: a window over only the rows whose ID occurs more
   than once.
3. Crimes, ASB incidents and the rejects CSV are selected from the staging table and written by
   DuckDB through the transaction's paths; nothing is visible until the manifest is replaced.

Why a DuckDB staging file rather than staging Parquet: measured on 1M rows, writing the staging
Parquet cost more than the CSV parse itself; DuckDB's own storage is cheaper and still spills to
disk beyond ``MEMORY_LIMIT``, so memory stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from .. import contract, geo
from ..errors import SourceError
from ..warehouse import BatchTable, Transaction
from .bng_sql import bng_sql

ASB = "Anti-social behaviour"
CATEGORIES = contract.POLICE_UK_CATEGORIES + tuple(
    c for c in contract.POLICE_UK_LEGACY_CATEGORIES if c not in contract.POLICE_UK_CATEGORIES)
#: DuckDB's memory ceiling for one file; it spills to the staging folder beyond this.
MEMORY_LIMIT = "1GB"
_STRUCTURAL = {
    "MISSING COLUMNS": "the line has fewer fields than the header (is it cut short?)",
    "TOO MANY COLUMNS": "the line has more fields than the header (an unquoted comma?)",
    "UNQUOTED VALUE": "a quoted field is not closed properly",
    "INVALID UNICODE": "the line is not valid UTF-8 text",
    "LINE SIZE OVER MAXIMUM": "the line is too long to be a police.uk row",
}
#: Reject-file column → the parsed value standing in for it when the raw value was not kept
#: (exact duplicates: their raw values equal their first occurrence's).
_PARSED = {"crime_id": "crime_id", "month": "month", "falls_within": "force",
           "longitude": "CAST(lon AS VARCHAR)", "latitude": "CAST(lat AS VARCHAR)",
           "easting": "CAST(east AS VARCHAR)", "northing": "CAST(north AS VARCHAR)",
           "lsoa_code": "lsoa_code", "crime_type": "crime_type", "outcome": "outcome"}

# The checks, in order; the first that fails is the row's reason.
_REASON = """CASE
  WHEN rdate IS NULL OR rdate < DATE '2000-01-01' OR rdate > current_date
    THEN 'Month ' || coalesce('''' || nullif(month_raw, '') || '''', 'is blank and')
         || ' is not a real month: expected YYYY-MM, e.g. 2019-01'
  WHEN crime_type IS NULL
    THEN 'Crime type ' || coalesce('''' || nullif(type_raw, '') || '''', 'is blank and')
         || ' is not a police.uk category'
  WHEN (lon_raw IS NULL) <> (lat_raw IS NULL) THEN 'only one of Longitude and Latitude is given'
  WHEN lon_raw IS NOT NULL AND coalesce(NOT (lon BETWEEN -180 AND 180), true)
    THEN 'Longitude ''' || lon_raw || ''' is not a number between -180 and 180'
  WHEN lat_raw IS NOT NULL AND coalesce(NOT (lat BETWEEN -90 AND 90), true)
    THEN 'Latitude ''' || lat_raw || ''' is not a number between -90 and 90'
  WHEN (east_raw IS NULL) <> (north_raw IS NULL) THEN 'only one of Easting and Northing is given'
  WHEN east_raw IS NOT NULL AND coalesce(NOT (east BETWEEN 0 AND 700000), true)
    THEN 'Easting ''' || east_raw || ''' is not a number between 0 and 700000'
  WHEN north_raw IS NOT NULL AND coalesce(NOT (north BETWEEN 0 AND 1300000), true)
    THEN 'Northing ''' || north_raw || ''' is not a number between 0 and 1300000'
  END"""


@dataclass(frozen=True)
class FileResult:
    read: int
    stored: int
    rejected: int
    months: list[str]
    tables: dict[str, BatchTable]
    rejects_file: str | None
    notes: tuple[str, ...]
    force: str | None


def _lit(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@lru_cache(maxsize=1)
def _lsoa_map() -> pa.Table:
    mapping = geo.lsoa11_mapping()
    return pa.table({"code": list(mapping), "code11": list(mapping.values())})


def _register_points(con) -> None:
    """Early files give only easting/northing: project those few rows back to longitude and
    latitude with pyproj and register them as ``pts(rid, p_longitude, p_latitude)``."""
    got = con.sql("SELECT rowid AS rid, east, north FROM checked WHERE reason IS NULL "
                  "AND lon IS NULL AND east IS NOT NULL").to_arrow_table()
    lon, lat = _inverse().transform(got.column("east").to_numpy(zero_copy_only=False),
                                    got.column("north").to_numpy(zero_copy_only=False))
    con.register("pts", pa.table({"rid": got.column("rid"),
                                  "p_longitude": pa.array(lon, type=pa.float64()),
                                  "p_latitude": pa.array(lat, type=pa.float64())}))


@lru_cache(maxsize=1)
def _inverse():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def _connect(staging: Path) -> duckdb.DuckDBPyConnection:
    tmp = staging / "duckdb-tmp"
    tmp.mkdir(exist_ok=True)
    con = duckdb.connect(":memory:", config={
        "memory_limit": MEMORY_LIMIT, "temp_directory": str(tmp),
        "preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")  # the CLI draws its own bar
    return con


def load_file(*, source: Path, display: str, ref_prefix: str, header: list[str],
              columns: dict[str, int], tx: Transaction, batch_id: str, staging: Path,
              gzip_compressed: bool) -> FileResult:
    con = _connect(staging)
    try:
        return _load(con, source=source, display=display, ref_prefix=ref_prefix, header=header,
                     columns=columns, tx=tx, batch_id=batch_id,
                     gzip_compressed=gzip_compressed)
    finally:
        con.close()


def _stage(con, source: Path, display: str, header: list[str], columns: dict[str, int],
           gzip_compressed: bool) -> None:
    """Pass 1: read, parse and check every row into the table ``checked``."""
    n = len(header)
    spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n)) + "}"
    reader = (f"read_csv({_lit(source)}, columns = {spec}, header = true, delim = ',', "
              f"quote = '\"', escape = '\"', auto_detect = false, store_rejects = true, "
              f"rejects_table = 'rj', rejects_scan = 'rs', "
              f"compression = '{'gzip' if gzip_compressed else 'none'}')")

    def col(name: str) -> str:
        return f"trim(c{columns[name]})" if name in columns else "CAST(NULL AS VARCHAR)"

    names = _reject_names(columns)
    cats = " ".join(f"WHEN {_lit(c.lower())} THEN {_lit(c)}" for c in CATEGORIES)
    # Raw values only serve the rejects file, so they are kept for rejected rows alone.
    keep = "".join(f", CASE WHEN reason IS NOT NULL THEN c{columns[m]} END AS r_{m}"
                   for m in names)
    sql = f"""
        CREATE TABLE checked AS
        SELECT crime_id, rdate, month, crime_type, lon, lat, east, north, lsoa_code, force,
               outcome, row_hash, reason {keep}
        FROM (SELECT *, {_REASON} AS reason
          FROM (SELECT *, try_cast(lon_raw AS DOUBLE) AS lon, try_cast(lat_raw AS DOUBLE) AS lat,
                  try_cast(east_raw AS DOUBLE) AS east, try_cast(north_raw AS DOUBLE) AS north,
                  strftime(rdate, '%Y-%m') AS month
            FROM (SELECT *,
                nullif({col('crime_id')}, '') AS crime_id,
                {col('month')} AS month_raw,
                CASE WHEN regexp_full_match({col('month')}, '\\d{{4}}-\\d{{2}}')
                     THEN CAST(try_strptime({col('month')}, '%Y-%m') AS DATE) END AS rdate,
                {col('crime_type')} AS type_raw,
                CASE lower({col('crime_type')}) {cats} END AS crime_type,
                nullif({col('longitude')}, '') AS lon_raw,
                nullif({col('latitude')}, '') AS lat_raw,
                nullif({col('easting')}, '') AS east_raw,
                nullif({col('northing')}, '') AS north_raw,
                nullif({col('lsoa_code')}, '') AS lsoa_code,
                coalesce(nullif({col('falls_within')}, ''), nullif({col('reported_by')}, ''))
                  AS force,
                nullif({col('outcome')}, '') AS outcome,
                hash({', '.join(f'c{i}' for i in range(n))}) AS row_hash
              FROM {reader})))
    """
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        detail = str(exc).strip().splitlines()[0]
        raise SourceError(display, f"the file cannot be read as CSV ({detail}).",
                          fix="Download it again from data.police.uk.") from None


def _load(con, *, source, display, ref_prefix, header, columns, tx, batch_id,
          gzip_compressed) -> FileResult:
    _stage(con, source, display, header, columns, gzip_compressed)
    # Structurally broken lines: one entry per line (DuckDB may list several errors for one).
    con.execute("CREATE TEMP TABLE broken AS SELECT line, min(error_type) AS error_type, "
                "min(error_message) AS message FROM rj GROUP BY line")
    n_broken = con.execute("SELECT count(*) FROM broken").fetchall()[0][0]
    if n_broken:
        # Good row i (0-based) sits on line i + 2 + (broken lines before it). Broken line j
        # (0-based, in order) is preceded by line_j - 2 - j good rows: that is its threshold.
        con.execute("CREATE TEMP TABLE thr AS SELECT threshold, max(k) AS k FROM ("
                    "SELECT line - 2 - (row_number() OVER (ORDER BY line) - 1) AS threshold, "
                    "row_number() OVER (ORDER BY line) AS k FROM broken) GROUP BY threshold")
        con.execute("CREATE TEMP VIEW checked_rows AS SELECT c.*, c.rowid AS rid, "
                    "c.rowid + 2 + coalesce(t.k, 0) AS line FROM checked c ASOF LEFT JOIN thr t ON c.rowid >= t.threshold")
    else:
        con.execute("CREATE TEMP VIEW checked_rows AS SELECT *, rowid AS rid, rowid + 2 AS line "
                    "FROM checked")

    # Duplicates: only rows whose Crime ID (hashed, to keep the aggregate small) occurs more
    # than once among valid rows go through the window; row_hash (all fields as supplied)
    # tells an exact repeat from a different row with the same ID. ASB rows have no ID and are
    # never duplicates of one another: identical ASB rows are separate incidents at one point.
    con.execute("""CREATE TEMP TABLE dup_ids AS SELECT hash(crime_id) AS h FROM checked
                   WHERE reason IS NULL AND crime_id IS NOT NULL
                   GROUP BY 1 HAVING count(*) > 1""")
    con.execute("""CREATE TEMP TABLE dups AS SELECT line,
                      min(line) OVER (PARTITION BY crime_id, row_hash) AS first_same,
                      min(line) OVER (PARTITION BY crime_id) AS first_id
                    FROM checked_rows WHERE reason IS NULL AND crime_id IS NOT NULL
                      AND hash(crime_id) IN (SELECT h FROM dup_ids)""")
    con.register("lsoa_map", _lsoa_map())
    con.execute("""CREATE TEMP VIEW cls AS
        SELECT c.* EXCLUDE (reason, row_hash),
          coalesce(c.reason, CASE WHEN d.line > d.first_same
                   THEN 'exact duplicate of line ' || d.first_same END) AS reason,
          coalesce(d.line > d.first_id AND d.line = d.first_same, false) AS duplicate_id
        FROM checked_rows c LEFT JOIN dups d ON c.line = d.line""")

    (total, bad, n_asb, n_exact, n_dup_id, n_no_loc, n_no_lsoa, n_unknown_lsoa, n_no_id,
     force, months) = con.execute(f"""
        SELECT count(*), count(*) FILTER (reason IS NOT NULL),
          count(*) FILTER (reason IS NULL AND crime_type = {_lit(ASB)}),
          count(*) FILTER (reason LIKE 'exact duplicate%'),
          count(*) FILTER (reason IS NULL AND duplicate_id),
          count(*) FILTER (reason IS NULL AND lon IS NULL AND east IS NULL AND lsoa_code IS NULL),
          count(*) FILTER (reason IS NULL AND lsoa_code IS NULL
                           AND (lon IS NOT NULL OR east IS NOT NULL)),
          count(*) FILTER (reason IS NULL AND lsoa_code IS NOT NULL AND m.code11 IS NULL),
          count(*) FILTER (reason IS NULL AND crime_id IS NULL AND crime_type <> {_lit(ASB)}),
          mode(force) FILTER (reason IS NULL),
          list(DISTINCT month ORDER BY month) FILTER (reason IS NULL)
        FROM cls LEFT JOIN lsoa_map m ON cls.lsoa_code = m.code
    """).fetchall()[0]
    tables: dict[str, BatchTable] = {}
    _register_points(con)
    # Line numbers are fixed now; the warehouse does not care about row order, and dropping it
    # lets DuckDB write Parquet with every thread.
    con.execute("SET preserve_insertion_order = false")
    if total - bad - n_asb:
        tables["crimes"] = _write(con, tx, "crimes", batch_id, ref_prefix,
                                  f"reason IS NULL AND crime_type <> {_lit(ASB)}")
    if n_asb:
        tables["asb_incidents"] = _write(con, tx, "asb_incidents", batch_id, ref_prefix,
                                         f"reason IS NULL AND crime_type = {_lit(ASB)}")
    rejected = bad + n_broken
    rejects_file = (_write_rejects(con, tx, batch_id, display, header, columns)
                    if rejected else None)
    stored = sum(t.rows for t in tables.values())
    assert stored == total - bad, "every valid row is either a crime or an ASB incident"
    notes = []
    if total + n_broken == 0:
        notes.append("the file has a header but no rows: nothing to store")
    if n_no_loc:
        notes.append(f"{_rows(n_no_loc)} no location: stored without LSOA or coordinates")
    if n_no_lsoa:
        notes.append(f"{_rows(n_no_lsoa)} coordinates but no LSOA code: stored without LSOA")
    if n_unknown_lsoa:
        notes.append(f"{_rows(n_unknown_lsoa)} an LSOA code that is neither a 2011 nor a 2021 "
                     "code: stored, with no 2011 LSOA for IMD and population joins")
    if n_dup_id:
        notes.append(f"{_rows(n_dup_id, 'repeat', 'repeats')} an earlier Crime ID with "
                     "different content: stored and flagged duplicate_id")
    if n_exact:
        notes.append(f"{_rows(n_exact, 'repeat', 'repeats')} an earlier row exactly: "
                     "rejected as exact duplicates")
    if n_no_id:
        notes.append(f"{_rows(n_no_id, noun='crime')} no Crime ID: referenced as "
                     f"{ref_prefix}#<line>")
    if n_broken:
        notes.append(f"{_rows(n_broken, 'are', 'is', noun='line')} not well-formed CSV: "
                     "rejected")
    return FileResult(read=total + n_broken, stored=stored, rejected=rejected,
                      months=list(months or []), tables=tables, rejects_file=rejects_file,
                      notes=tuple(notes), force=force)


def _rows(n: int, many: str = "have", one: str = "has", noun: str = "row") -> str:
    return f"{n:,} {noun} {one}" if n == 1 else f"{n:,} {noun}s {many}"


def _reject_names(columns: dict[str, int]) -> list[str]:
    from .police_uk import REJECT_COLUMNS

    return [name for name in REJECT_COLUMNS if name in columns]


def _expressions(table: str, batch_id: str, ref_prefix: str) -> dict[str, str]:
    ref = f"coalesce(crime_id, {_lit(ref_prefix + '#')} || line)"
    common = {
        "source": "'police-uk'", "recorded_date": "rdate", "month": "month",
        "lsoa_code": "lsoa_code", "lsoa11_code": "m.code11",
        # Early files give easting/northing only (pts); every later one longitude/latitude.
        "longitude": "coalesce(lon, p_longitude)", "latitude": "coalesce(lat, p_latitude)",
        "easting": "coalesce(east, bng_e)", "northing": "coalesce(north, bng_n)",
        "force": "force", "batch_id": _lit(batch_id), "source_line": "line",
    }
    if table == "crimes":
        return {**common, "crime_ref": ref, "police_uk_category": "crime_type",
                "outcome": "outcome", "duplicate_id": "duplicate_id"}
    # police.uk ASB rows carry no ID of their own: the file and line identify them.
    return {**common, "incident_ref": f"{_lit(ref_prefix + '#')} || line",
            "reporting_agency": "'police'"}


def _write(con, tx: Transaction, table: str, batch_id: str, ref_prefix: str,
           where: str) -> BatchTable:
    """Select the contract columns and let DuckDB write the Parquet file (in parallel)."""
    exprs = _expressions(table, batch_id, ref_prefix)
    duck = {c.name: c.type.duckdb for c in contract.table(table).columns}
    duck.update(batch_id="VARCHAR", source_line="BIGINT")
    select = ", ".join(f"CAST({exprs.get(name, 'NULL')} AS {duck[name]}) AS {name}"
                       for name in contract.table(table).arrow_schema.names)
    path = tx.table_path(table, batch_id)
    rows = con.execute(
        f"COPY (SELECT {select} FROM ({bng_sql(f'(SELECT * FROM cls WHERE {where})')}) c "
        f"LEFT JOIN pts ON c.rid = pts.rid LEFT JOIN lsoa_map m ON c.lsoa_code = m.code) "
        f"TO {_lit(path)} "
        f"(FORMAT parquet, COMPRESSION snappy)").fetchall()[0][0]
    return BatchTable(tx.relative(path), int(rows))


def _write_rejects(con, tx: Transaction, batch_id: str, display: str, header: list[str],
                   columns: dict[str, int]) -> str:
    names = _reject_names(columns)
    labels = [header[columns[name]].strip() or name for name in names]
    rows = ", ".join(f"coalesce(r_{name}, {_PARSED[name]}) AS {_ident(label)}"
                     for name, label in zip(names, labels))
    nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {_ident(label)}" for label in labels)
    cases = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in _STRUCTURAL.items())
    path = tx.rejects_path(batch_id)
    con.execute(f"""
        COPY (
          SELECT {_lit(display)} AS source_file, line AS source_line, reason
                 {', ' + rows if rows else ''}
          FROM cls WHERE reason IS NOT NULL
          UNION ALL
          SELECT {_lit(display)}, line, CASE error_type {cases} ELSE message END
                 {', ' + nulls if nulls else ''}
          FROM broken
          ORDER BY source_line
        ) TO {_lit(path)} (FORMAT csv, HEADER true)
    """)
    return tx.relative(path)
