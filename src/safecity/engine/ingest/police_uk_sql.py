"""The vectorised police.uk pipeline: CSV → staging table → SQL checks → contract Parquet.

Everything runs in DuckDB, the BNG projection included (``bng_sql``, checked against pyproj).

1. ``read_csv`` reads every column as text with explicit names; structurally broken lines (too
   few or too many fields, bad quoting, bad UTF-8) go to DuckDB's reject table with their line.
   In the same pass each row is parsed and checked (a reason to reject it, or none) into the
   in-memory table ``checked``; a row's place there (rowid, insertion order preserved) plus the
   broken lines before it gives its line number (header = line 1).
2. Exact duplicates and repeated Crime IDs: a window over only the rows whose ID occurs more
   than once.
3. Crimes, ASB incidents and the rejects CSV are selected from ``checked`` and written by DuckDB
   through the transaction's paths; nothing is visible until the manifest is replaced.

Where the time goes, and why the stage looks as it does (5M rows, see docs/benchmarks.md):
the CSV parse and the Parquet encoding dominate, so the stage keeps values in the form the
Parquet writer handles fastest. Month, category and LSOA are DuckDB ENUMs (the allowed values are
known): the cast validates them, they take one or two bytes a row instead of a string, and the
Parquet writer emits an ENUM as a dictionary-encoded string column without hashing every value.
The constant columns (source, batch) are one-value ENUMs for the same reason. Text is trimmed
only where it has a leading or trailing space (trim copies every string). Raw values are kept in
one list column, for rejected rows only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
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
PARQUET = "FORMAT parquet, COMPRESSION snappy, STRING_DICTIONARY_PAGE_SIZE_LIMIT 1"
#: Months police.uk can publish: 2000-01 up to the current month (the ENUM ``mon``).
FIRST_MONTH = dt.date(2000, 1, 1)
_STRUCTURAL = {
    "MISSING COLUMNS": "the line has fewer fields than the header (is it cut short?)",
    "TOO MANY COLUMNS": "the line has more fields than the header (an unquoted comma?)",
    "UNQUOTED VALUE": "a quoted field is not closed properly",
    "INVALID UNICODE": "the line is not valid UTF-8 text",
    "LINE SIZE OVER MAXIMUM": "the line is too long to be a police.uk row",
}
#: Reject-file column → the parsed value standing in for it when the raw value is missing
#: (exact duplicates: their raw values equal their first occurrence's).
_PARSED = {"crime_id": "crime_id", "month": "CAST(month AS VARCHAR)",
           "falls_within": "force_text",
           "longitude": "CAST(lon AS VARCHAR)", "latitude": "CAST(lat AS VARCHAR)",
           "easting": "CAST(east AS VARCHAR)", "northing": "CAST(north AS VARCHAR)",
           "lsoa_code": "lsoa_text", "crime_type": "CAST(crime_type AS VARCHAR)",
           "outcome": "outcome_text"}

# The checks, in order; the first that fails is the row's reason.
_REASON = """CASE
  WHEN month IS NULL
    THEN 'Month ' || coalesce('''' || nullif(trim(month_raw), '') || '''', 'is blank and')
         || ' is not a real month: expected YYYY-MM, e.g. 2019-01'
  WHEN crime_type IS NULL
    THEN 'Crime type ' || coalesce('''' || nullif(trim(type_raw), '') || '''', 'is blank and')
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


def _enum(*values: str) -> str:
    return "ENUM(" + ", ".join(_lit(v) for v in values) + ")"


@lru_cache(maxsize=1)
def _lsoa_codes() -> tuple[tuple[str, ...], int, tuple[str, ...]]:
    """(every known LSOA code, 2011 codes first; how many are 2011 codes; the 2011 code of each
    later one). A 2011 code is its own 2011 code, so only the 2021 codes need a lookup."""
    mapping = geo.lsoa11_mapping()
    own = sorted(c for c, c11 in mapping.items() if c == c11)
    other = sorted(c for c, c11 in mapping.items() if c != c11)
    return tuple(own) + tuple(other), len(own), tuple(mapping[c] for c in other)


def _months() -> list[str]:
    today = dt.date.today()
    return [f"{y:04d}-{m:02d}" for y in range(FIRST_MONTH.year, today.year + 1)
            for m in range(1, 13) if (y, m) <= (today.year, today.month)]


def _connect(staging: Path) -> duckdb.DuckDBPyConnection:
    from .police_uk import FORCES, OUTCOMES

    tmp = staging / "duckdb-tmp"
    tmp.mkdir(exist_ok=True)
    con = duckdb.connect(":memory:", config={
        "memory_limit": MEMORY_LIMIT, "temp_directory": str(tmp),
        "preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")  # the CLI draws its own bar
    codes, n11, later = _lsoa_codes()
    con.execute(f"CREATE TYPE cat AS {_enum(*CATEGORIES)}")
    con.execute(f"CREATE TYPE cat_lower AS {_enum(*(c.lower() for c in CATEGORIES))}")
    con.execute(f"CREATE TYPE mon AS {_enum(*_months())}")
    con.execute(f"CREATE TYPE force AS {_enum(*FORCES)}")
    con.execute(f"CREATE TYPE outcome AS {_enum(*OUTCOMES)}")
    # Literal lists: about five times faster to set up than scanning an Arrow table.
    con.execute(f"CREATE TYPE lsoa AS {_enum(*codes)}")
    # lsoa11_code of a 2021 code: this list, indexed by its place among the 2021 codes.
    con.execute("CREATE TABLE lsoa11_of_later AS SELECT CAST([" +
                ", ".join(_lit(c) for c in later) + "] AS lsoa[]) AS codes")
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


def _text(col: str) -> str:
    """A field as text: NULL when blank, trimmed only when it needs it (trim copies)."""
    return (f"CASE WHEN {col} = '' THEN NULL WHEN starts_with({col}, ' ') OR "
            f"ends_with({col}, ' ') THEN nullif(trim({col}), '') ELSE {col} END")


def _enum_of(col: str, type_: str) -> str:
    """The field cast to an ENUM: exact match first, trimmed match for the rest."""
    return f"coalesce(try_cast({col} AS {type_}), try_cast(trim({col}) AS {type_}))"


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
        return f"c{columns[name]}" if name in columns else "CAST(NULL AS VARCHAR)"

    def text(name: str) -> str:
        return _text(col(name)) if name in columns else "CAST(NULL AS VARCHAR)"

    # Categories in any letter case: the lower-case ENUM's position indexes the real one (a
    # CASE over the names would make DuckDB lower-case every row, not only the odd ones).
    cats = "CAST([" + ", ".join(_lit(c) for c in CATEGORIES) + "] AS cat[])"
    # Coordinates are stored only when the file has them (early files: easting/northing only).
    coords = [(a, b) for a, b in (("lon", "lat"), ("east", "north")) if _has(columns, a)]
    kept = ", ".join(f"{a}, {b}" for a, b in coords)
    raw = ", ".join(f"c{columns[m]}" for m in _reject_names(columns))
    sql = f"""
        CREATE TABLE checked AS
        SELECT crime_id, month, crime_type, {kept + ', ' if kept else ''}lsoa, force, outcome,
               CASE WHEN (lsoa IS NULL AND lsoa_raw IS NOT NULL)
                      OR (force IS NULL AND force_raw IS NOT NULL)
                      OR (outcome IS NULL AND outcome_raw IS NOT NULL)
                    THEN [lsoa_raw, force_raw, outcome_raw] END AS other,
               row_hash, reason, CASE WHEN reason IS NOT NULL THEN [{raw}] END AS raw
        FROM (SELECT *, {_REASON} AS reason
          FROM (SELECT *, try_cast(lon_raw AS DOUBLE) AS lon, try_cast(lat_raw AS DOUBLE) AS lat,
                  try_cast(east_raw AS DOUBLE) AS east, try_cast(north_raw AS DOUBLE) AS north,
                  try_cast(lsoa_raw AS lsoa) AS lsoa, try_cast(force_raw AS force) AS force,
                  try_cast(outcome_raw AS outcome) AS outcome
            FROM (SELECT *,
                {text('crime_id')} AS crime_id,
                {col('month')} AS month_raw,
                {_enum_of(col('month'), 'mon')} AS month,
                {col('crime_type')} AS type_raw,
                coalesce(try_cast({col('crime_type')} AS cat), {cats}[
                  enum_code(try_cast(lower(trim({col('crime_type')})) AS cat_lower)) + 1])
                  AS crime_type,
                {text('longitude')} AS lon_raw,
                {text('latitude')} AS lat_raw,
                {text('easting')} AS east_raw,
                {text('northing')} AS north_raw,
                {text('lsoa_code')} AS lsoa_raw,
                coalesce({text('falls_within')}, {text('reported_by')}) AS force_raw,
                {text('outcome')} AS outcome_raw,
                hash({', '.join(f'c{i}' for i in range(n))}) AS row_hash
              FROM {reader})))
    """
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        detail = str(exc).strip().splitlines()[0]
        raise SourceError(display, f"the file cannot be read as CSV ({detail}).",
                          fix="Download it again from data.police.uk.") from None


def _has(columns: dict[str, int], coord: str) -> bool:
    pair = {"lon": ("longitude", "latitude"), "east": ("easting", "northing")}[coord]
    return any(name in columns for name in pair)


def _rows_view(con, columns: dict[str, int]) -> int:
    """The view ``rows``: ``checked`` with each row's line number (``line``) and place (``rid``),
    and NULL columns for coordinates the file does not have. Returns the broken-line count."""
    # Structurally broken lines: one entry per line (DuckDB may list several errors for one).
    con.execute("CREATE TEMP TABLE broken AS SELECT line, min(error_type) AS error_type, "
                "min(error_message) AS message FROM rj GROUP BY line")
    n_broken = con.execute("SELECT count(*) FROM broken").fetchall()[0][0]
    absent = "".join(f", CAST(NULL AS DOUBLE) AS {a}, CAST(NULL AS DOUBLE) AS {b}"
                     for a, b in (("lon", "lat"), ("east", "north")) if not _has(columns, a))
    # Values outside the ENUMs (``other``) are rare: the view gives each column as text.
    lsoa_text = ", ".join(f"coalesce(CAST(c.{name} AS VARCHAR), c.other[{i}]) AS {name}_text"
                          for i, name in enumerate(("lsoa", "force", "outcome"), start=1))
    if n_broken:
        # Good row i (0-based) sits on line i + 2 + (broken lines before it). Broken line j
        # (0-based, in order) is preceded by line_j - 2 - j good rows: that is its threshold.
        con.execute("CREATE TEMP TABLE thr AS SELECT threshold, max(k) AS k FROM ("
                    "SELECT line - 2 - (row_number() OVER (ORDER BY line) - 1) AS threshold, "
                    "row_number() OVER (ORDER BY line) AS k FROM broken) GROUP BY threshold")
        con.execute(f"CREATE TEMP VIEW rows AS SELECT c.*, c.rowid AS rid, "
                    f"c.rowid + 2 + coalesce(t.k, 0) AS line{absent}, {lsoa_text} "
                    f"FROM checked c ASOF LEFT JOIN thr t ON c.rowid >= t.threshold")
    else:
        con.execute(f"CREATE TEMP VIEW rows AS SELECT c.*, c.rowid AS rid, c.rowid + 2 AS line"
                    f"{absent}, {lsoa_text} FROM checked c")
    return n_broken


def _find_duplicates(con) -> int:
    """The table ``dups`` (rid, line, exact, duplicate_id, first_same) of rows repeating an
    earlier Crime ID; returns how many. ASB rows have no ID and are never duplicates of one
    another: identical ASB rows are separate incidents at one point."""
    # Only IDs (hashed, to keep the aggregate small) occurring more than once among valid rows
    # go through the window; row_hash (all fields as supplied) tells an exact repeat from a
    # different row with the same ID.
    # Sorting the hashes in numpy costs about half the CPU of a GROUP BY (nearly every ID is
    # unique, so the aggregate's hash table holds every row).
    hashes = con.execute("SELECT hash(crime_id) AS h FROM checked WHERE reason IS NULL "
                         "AND crime_id IS NOT NULL").fetchnumpy()["h"]
    hashes.sort()
    repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
    con.register("dup_ids", pa.table({"h": pa.array(repeated, type=pa.uint64())}))
    con.execute("""CREATE TEMP TABLE dups AS SELECT *, line > first_same AS exact,
                      line > first_id AND line = first_same AS duplicate_id
                    FROM (SELECT rid, line, crime_id, crime_type, month, lon, east, lsoa, force,
                      other,
                      min(line) OVER (PARTITION BY crime_id, row_hash) AS first_same,
                      min(line) OVER (PARTITION BY crime_id) AS first_id
                    FROM rows WHERE reason IS NULL AND crime_id IS NOT NULL
                      AND hash(crime_id) IN (SELECT h FROM dup_ids))
                    WHERE line > first_id""")
    return con.execute("SELECT count(*) FROM dups").fetchall()[0][0]


_COUNTS = f"""SELECT count(*),
    count(*) FILTER (crime_type = {_lit(ASB)}),
    count(*) FILTER (lon IS NULL AND east IS NULL AND lsoa IS NULL AND other[1] IS NULL),
    count(*) FILTER (lsoa IS NULL AND other[1] IS NULL AND (lon IS NOT NULL OR east IS NOT NULL)),
    count(*) FILTER (lsoa IS NULL AND other[1] IS NOT NULL),
    count(*) FILTER (crime_id IS NULL AND crime_type <> {_lit(ASB)}),
    count(*) FILTER (force IS NULL AND other[2] IS NOT NULL),
    count(*) FILTER (other[3] IS NOT NULL),
    histogram(force), histogram(other[2]) FILTER (force IS NULL), list(DISTINCT month)"""


def _load(con, *, source, display, ref_prefix, header, columns, tx, batch_id,
          gzip_compressed) -> FileResult:
    _stage(con, source, display, header, columns, gzip_compressed)
    n_broken = _rows_view(con, columns)
    n_dups = _find_duplicates(con)
    n_exact = n_dup_id = 0
    if n_dups:
        n_exact, n_dup_id = con.execute("SELECT count(*) FILTER (exact), "
                                        "count(*) FILTER (duplicate_id) FROM dups").fetchall()[0]
    # The counts over valid rows, less those over exact repeats (rejected, but valid in
    # ``checked``): two cheap scans instead of joining every row to ``dups``.
    total, bad = con.execute("SELECT count(*), count(*) FILTER (reason IS NOT NULL) "
                             "FROM checked").fetchall()[0]
    valid = list(con.execute(f"{_COUNTS} FROM rows WHERE reason IS NULL").fetchall()[0])
    if n_exact:
        repeats = con.execute(f"{_COUNTS} FROM dups WHERE exact").fetchall()[0]
        for i in range(8):
            valid[i] -= repeats[i]
        for i in (8, 9):
            valid[i] = dict(valid[i] or {})
            for name, count in (repeats[i] or {}).items():
                valid[i][name] -= count
    (n_valid, n_asb, n_no_loc, n_no_lsoa, n_unknown_lsoa, n_no_id, n_odd_force, n_odd_outcome,
     forces, other_forces, months) = valid
    bad += n_exact
    forces = {str(k): v for k, v in [*(forces or {}).items(), *(other_forces or {}).items()]
              if k is not None and v > 0}
    # The most common force; ties go to the first name in order.
    force = max(sorted(forces), key=lambda k: forces[k]) if forces else None
    months = sorted(m for m in (months or []) if m is not None)

    tables: dict[str, BatchTable] = {}
    points = _register_points(con, columns)
    # Line numbers are fixed now; the warehouse does not care about row order, and dropping it
    # lets DuckDB write Parquet with every thread.
    con.execute("SET preserve_insertion_order = false")
    # A column with a value outside its ENUM is written as text; otherwise as the ENUM.
    texts = {name for name, n in (("lsoa", n_unknown_lsoa), ("force", n_odd_force),
                                  ("outcome", n_odd_outcome)) if n}
    write = dict(con=con, tx=tx, batch_id=batch_id, ref_prefix=ref_prefix, columns=columns,
                 dups=bool(n_dups), points=points, texts=texts)
    if n_valid - n_asb:
        tables["crimes"] = _write(table="crimes", where=f"crime_type <> {_lit(ASB)}", **write)
    if n_asb:
        tables["asb_incidents"] = _write(table="asb_incidents",
                                         where=f"crime_type = {_lit(ASB)}", **write)
    rejected = bad + n_broken
    rejects_file = (_write_rejects(con, tx, batch_id, display, header, columns, bool(n_exact))
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
                      months=months, tables=tables, rejects_file=rejects_file,
                      notes=tuple(notes), force=force)


def _rows(n: int, many: str = "have", one: str = "has", noun: str = "row") -> str:
    return f"{n:,} {noun} {one}" if n == 1 else f"{n:,} {noun}s {many}"


def _reject_names(columns: dict[str, int]) -> list[str]:
    from .police_uk import REJECT_COLUMNS

    return [name for name in REJECT_COLUMNS if name in columns]


def _register_points(con, columns: dict[str, int]) -> bool:
    """Early files give only easting/northing: project those rows back to longitude and latitude
    with pyproj and register them as ``pts(rid, p_longitude, p_latitude)``. False when no row
    needs it (every file since 2013)."""
    if not _has(columns, "east"):
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


def _expressions(table: str, batch_id: str, ref_prefix: str, *, points: bool,
                 texts: set[str]) -> dict[str, str]:
    """Contract column → SQL over the selected rows. ENUM-typed expressions are written as they
    are (the Parquet column is a dictionary-encoded string either way)."""
    _, n11, _ = _lsoa_codes()
    line_ref = f"{_lit(ref_prefix + '#')} || line"
    lon, lat = ("coalesce(lon, p_longitude)", "coalesce(lat, p_latitude)") if points else (
        "lon", "lat")
    common = {
        "source": f"CAST('police-uk' AS {_enum('police-uk')})", "recorded_date":
        f"CAST({_lit(FIRST_MONTH)}::DATE + to_months(CAST(enum_code(month) AS INTEGER)) AS DATE)",
        "month": "month", "lsoa_code": "lsoa_text" if "lsoa" in texts else "lsoa",
        # A 2011 code is its own 2011 code; a 2021 code looks up its 2011 one.
        "lsoa11_code": f"CASE WHEN enum_code(lsoa) < {n11} THEN lsoa ELSE "
                       f"(SELECT codes FROM lsoa11_of_later)[enum_code(lsoa) - {n11 - 1}] END",
        # Early files give easting/northing only (pts); every later one longitude/latitude.
        "longitude": lon, "latitude": lat,
        "easting": "coalesce(east, bng_e)", "northing": "coalesce(north, bng_n)",
        "force": "force_text" if "force" in texts else "force", "batch_id": f"CAST({_lit(batch_id)} AS {_enum(batch_id)})",
        "source_line": "line",
    }
    if table == "crimes":
        return {**common, "crime_ref": f"CASE WHEN crime_id IS NULL THEN {line_ref} "
                                       f"ELSE crime_id END",
                "police_uk_category": "crime_type",
                "outcome": "outcome_text" if "outcome" in texts else "outcome",
                "duplicate_id": "duplicate_id"}
    # police.uk ASB rows carry no ID of their own: the file and line identify them.
    return {**common, "incident_ref": line_ref,
            "reporting_agency": f"CAST('police' AS {_enum('police')})"}


_TYPED = {"source", "month", "lsoa_code", "lsoa11_code", "batch_id", "police_uk_category",
          "reporting_agency", "force", "outcome"}


def _write(*, con, tx: Transaction, table: str, batch_id: str, ref_prefix: str,
           columns: dict[str, int], where: str, dups: bool, points: bool,
           texts: set[str]) -> BatchTable:
    """Select the contract columns and let DuckDB write the Parquet file (in parallel)."""
    exprs = _expressions(table, batch_id, ref_prefix, points=points, texts=texts)
    duck = {c.name: c.type.duckdb for c in contract.table(table).columns}
    duck.update(batch_id="VARCHAR", source_line="BIGINT")
    typed = _TYPED - {"lsoa_code" if n == "lsoa" else n for n in texts}
    # Columns police.uk never fills (offence codes, flags, dates committed) are left out: an
    # all-NULL column still costs the writer a definition level a row (~1 s per 5M rows), and
    # the warehouse's views give a column no file has as NULL.
    select = ", ".join(f"{exprs[name]} AS {name}" if name in typed else
                       f"CAST({exprs[name]} AS {duck[name]}) AS {name}"
                       for name in contract.table(table).arrow_schema.names if name in exprs)
    rows = "rows"
    if dups:  # drop exact repeats, flag repeated IDs
        rows = ("(SELECT r.*, coalesce(d.duplicate_id, false) AS duplicate_id FROM rows r "
                "LEFT JOIN dups d ON r.rid = d.rid WHERE NOT coalesce(d.exact, false))")
    else:
        rows = "(SELECT *, false AS duplicate_id FROM rows)"
    relation = f"(SELECT * FROM {rows} WHERE reason IS NULL AND {where})"
    if _has(columns, "lon"):
        relation = f"({bng_sql(relation)})"
    else:
        relation = f"(SELECT *, NULL AS bng_e, NULL AS bng_n FROM {relation})"
    if points:
        relation = f"{relation} c LEFT JOIN pts ON c.rid = pts.rid"
    path = tx.table_path(table, batch_id)
    rows_written = con.execute(
        f"COPY (SELECT {select} FROM {relation}) TO {_lit(path)} "
        f"({PARQUET})").fetchall()[0][0]
    return BatchTable(tx.relative(path), int(rows_written))


def _write_rejects(con, tx: Transaction, batch_id: str, display: str, header: list[str],
                   columns: dict[str, int], exact: bool) -> str:
    names = _reject_names(columns)
    labels = [header[columns[name]].strip() or name for name in names]
    values = ", ".join(f"coalesce(raw[{i}], {_PARSED[name]}) AS {_ident(label)}"
                       for i, (name, label) in enumerate(zip(names, labels), start=1))
    nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {_ident(label)}" for label in labels)
    cases = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in _STRUCTURAL.items())
    repeats = ""
    if exact:
        repeats = (f"UNION ALL SELECT {_lit(display)}, line, 'exact duplicate of line ' || "
                   f"first_same {', ' + values if values else ''} FROM (SELECT r.*, "
                   f"d.first_same FROM rows r JOIN dups d ON r.rid = d.rid WHERE d.exact)")
    path = tx.rejects_path(batch_id)
    con.execute(f"""
        COPY (
          SELECT {_lit(display)} AS source_file, line AS source_line, reason
                 {', ' + values if values else ''}
          FROM rows WHERE reason IS NOT NULL
          {repeats}
          UNION ALL
          SELECT {_lit(display)}, line, CASE error_type {cases} ELSE message END
                 {', ' + nulls if nulls else ''}
          FROM broken
          ORDER BY source_line
        ) TO {_lit(path)} (FORMAT csv, HEADER true)
    """)
    return tx.relative(path)
