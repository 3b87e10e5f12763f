"""police.uk, pass 1 (stage and check): read, parse and check every row into DuckDB, then line
numbers and duplicates. ``load`` runs the whole pipeline and says why the stage looks as it does;
this is where police.uk rows are checked (the reasons a row is rejected are ``REASON``)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ... import contract, geo
from ...errors import SourceError
from ...sql import literal, literal_list
from .files import FORCES, OUTCOMES, REJECT_COLUMNS

ASB = "Anti-social behaviour"
CATEGORIES = contract.POLICE_UK_CATEGORIES + tuple(
    c for c in contract.POLICE_UK_LEGACY_CATEGORIES if c not in contract.POLICE_UK_CATEGORIES)
#: DuckDB's memory ceiling for one file; it spills to the staging folder beyond this.
MEMORY_LIMIT = "1GB"
#: The CSV reader's buffer, larger than DuckDB's default. Each buffer is one batch of rows the
#: stage's ordered insert must fit together; with 64 MB buffers the 5 M-row bench file staged
#: with about 0.7-1 s less CPU (a tenth of the stage; docs/benchmarks.md), for about 100 MB
#: more memory. Larger buffers measured no better.
CSV_BUFFER = 64 * 2**20
#: Months police.uk can publish: 2000-01 up to the current month (the ENUM ``mon``).
FIRST_MONTH = dt.date(2000, 1, 1)

# The checks, in order; the first that fails is the row's reason.
REASON = """CASE
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


def enum_type(*values: str) -> str:
    """The DuckDB type ``ENUM('a', 'b', …)``."""
    return "ENUM(" + literal_list(values) + ")"


@lru_cache(maxsize=1)
def lsoa_codes() -> tuple[tuple[str, ...], int, tuple[str, ...]]:
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


def connect(staging: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the stage's ENUM types, spilling to ``staging``."""
    tmp = staging / "duckdb-tmp"
    tmp.mkdir(exist_ok=True)
    con = duckdb.connect(":memory:", config={
        "memory_limit": MEMORY_LIMIT, "temp_directory": str(tmp),
        "preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")  # the CLI draws its own bar
    codes, n11, later = lsoa_codes()
    con.execute(f"CREATE TYPE cat AS {enum_type(*CATEGORIES)}")
    con.execute(f"CREATE TYPE cat_lower AS {enum_type(*(c.lower() for c in CATEGORIES))}")
    con.execute(f"CREATE TYPE mon AS {enum_type(*_months())}")
    con.execute(f"CREATE TYPE force AS {enum_type(*FORCES)}")
    con.execute(f"CREATE TYPE outcome AS {enum_type(*OUTCOMES)}")
    # Literal lists: about five times faster to set up than scanning an Arrow table.
    con.execute(f"CREATE TYPE lsoa AS {enum_type(*codes)}")
    # lsoa11_code of a 2021 code: this list, indexed by its place among the 2021 codes.
    con.execute("CREATE TABLE lsoa11_of_later AS SELECT CAST([" +
                ", ".join(literal(c) for c in later) + "] AS lsoa[]) AS codes")
    return con


def _text(col: str) -> str:
    """A field as text: NULL when blank, trimmed only when it needs it (trim copies)."""
    return (f"CASE WHEN {col} = '' THEN NULL WHEN starts_with({col}, ' ') OR "
            f"ends_with({col}, ' ') THEN nullif(trim({col}), '') ELSE {col} END")


def _enum_of(col: str, type_: str) -> str:
    """The field cast to an ENUM: exact match first, trimmed match for the rest."""
    return f"coalesce(try_cast({col} AS {type_}), try_cast(trim({col}) AS {type_}))"


def stage(con, sources: list[Path], display: str, header: list[str], columns: dict[str, int],
          gzip_compressed: bool) -> None:
    """Pass 1: read, parse and check every row of ``sources`` (files with this one header) into
    the table ``checked``. ``fi`` is a row's file (its place in ``sources``); DuckDB reads the
    files in parallel and keeps each file's rows together and in order (insertion order is
    preserved), which ``rows_view`` checks before it numbers the lines."""
    n = len(header)
    spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n)) + "}"
    reader = (f"read_csv([{literal_list(sources)}], columns = {spec}, header = true, "
              f"delim = ',', "
              f"quote = '\"', escape = '\"', auto_detect = false, store_rejects = true, "
              f"rejects_table = 'rj', rejects_scan = 'rs', "
              f"compression = '{'gzip' if gzip_compressed else 'none'}', "
              f"buffer_size = {CSV_BUFFER})")

    def col(name: str) -> str:
        return f"c{columns[name]}" if name in columns else "CAST(NULL AS VARCHAR)"

    def text(name: str) -> str:
        return _text(col(name)) if name in columns else "CAST(NULL AS VARCHAR)"

    # Categories in any letter case: the lower-case ENUM's position indexes the real one (a
    # CASE over the names would make DuckDB lower-case every row, not only the odd ones).
    cats = "CAST([" + ", ".join(literal(c) for c in CATEGORIES) + "] AS cat[])"
    # Coordinates are stored only when the file has them (early files: easting/northing only).
    coords = [(a, b) for a, b in (("lon", "lat"), ("east", "north")) if has_coordinates(columns, a)]
    kept = ", ".join(f"{a}, {b}" for a, b in coords)
    raw = ", ".join(f"c{columns[m]}" for m in reject_names(columns))
    sql = f"""
        CREATE TABLE checked AS
        SELECT CAST(fi AS INTEGER) AS fi, crime_id, month, crime_type, {kept + ', ' if kept else ''}lsoa, force, outcome,
               CASE WHEN (lsoa IS NULL AND lsoa_raw IS NOT NULL)
                      OR (force IS NULL AND force_raw IS NOT NULL)
                      OR (outcome IS NULL AND outcome_raw IS NOT NULL)
                    THEN [lsoa_raw, force_raw, outcome_raw] END AS other,
               reason, CASE WHEN reason IS NOT NULL THEN [{raw}] END AS raw
        FROM (SELECT *, {REASON} AS reason
          FROM (SELECT *, try_cast(lon_raw AS DOUBLE) AS lon, try_cast(lat_raw AS DOUBLE) AS lat,
                  try_cast(east_raw AS DOUBLE) AS east, try_cast(north_raw AS DOUBLE) AS north,
                  try_cast(lsoa_raw AS lsoa) AS lsoa, try_cast(force_raw AS force) AS force,
                  try_cast(outcome_raw AS outcome) AS outcome
            FROM (SELECT *, file_index AS fi,
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
                {text('outcome')} AS outcome_raw
              FROM {reader})))
    """
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        detail = str(exc).strip().splitlines()[0]
        raise SourceError(display, f"the file cannot be read as CSV ({detail}).",
                          fix="Download it again from data.police.uk.") from None


def has_coordinates(columns: dict[str, int], coord: str) -> bool:
    pair = {"lon": ("longitude", "latitude"), "east": ("easting", "northing")}[coord]
    return any(name in columns for name in pair)


def rows_view(con, columns: dict[str, int]) -> dict[int, int]:
    """The view ``rows``: ``checked`` with each row's line number in its file (``line``) and
    place (``rid``), and NULL columns for coordinates the files do not have. Returns the
    broken-line count of each file (``fi`` → count, files with none left out)."""
    # Where each file's rows start. They must be contiguous for rowid to give line numbers.
    starts = con.execute("SELECT fi, min(rowid), max(rowid) - min(rowid) + 1 = count(*) "
                         "FROM checked GROUP BY fi ORDER BY fi").fetchall()
    if not all(ok for _, _, ok in starts):
        raise RuntimeError("DuckDB interleaved the rows of the files it read: line numbers "
                           "would be wrong")
    bases = [0] * (max((fi for fi, _, _ in starts), default=-1) + 1)
    for fi, base, _ in starts:
        bases[fi] = base
    con.execute(f"CREATE TEMP TABLE bases AS SELECT CAST([{', '.join(map(str, bases))}] "
                "AS BIGINT[]) AS b")
    # Structurally broken lines: one entry per line (DuckDB may list several errors for one).
    con.execute("CREATE TEMP TABLE broken AS SELECT CAST(file_id AS INTEGER) AS fi, line, "
                "min(error_type) AS error_type, min(error_message) AS message FROM rj "
                "GROUP BY file_id, line")
    n_broken = dict(con.execute("SELECT fi, count(*) FROM broken GROUP BY fi").fetchall())
    # A row's place in its file: its rowid less its file's first rowid (0 for the first row).
    place = "c.rowid - (SELECT b FROM bases)[c.fi + 1]" if len(bases) > 1 else "c.rowid"
    absent = "".join(f", CAST(NULL AS DOUBLE) AS {a}, CAST(NULL AS DOUBLE) AS {b}"
                     for a, b in (("lon", "lat"), ("east", "north")) if not has_coordinates(columns, a))
    # Values outside the ENUMs (``other``) are rare: the view gives each column as text.
    lsoa_text = ", ".join(f"coalesce(CAST(c.{name} AS VARCHAR), c.other[{i}]) AS {name}_text"
                          for i, name in enumerate(("lsoa", "force", "outcome"), start=1))
    if n_broken:
        # Good row i (0-based) of a file sits on line i + 2 + (broken lines before it). Broken
        # line j (0-based, in order) of a file is preceded by line_j - 2 - j good rows: that is
        # its threshold.
        con.execute("CREATE TEMP TABLE thr AS SELECT fi, threshold, max(k) AS k FROM ("
                    "SELECT fi, line - 2 - (row_number() OVER w - 1) AS threshold, "
                    "row_number() OVER w AS k FROM broken WINDOW w AS (PARTITION BY fi "
                    "ORDER BY line)) GROUP BY fi, threshold")
        con.execute(f"CREATE TEMP VIEW rows AS SELECT c.*, c.rowid AS rid, "
                    f"{place} + 2 + coalesce(t.k, 0) AS line{absent}, {lsoa_text} "
                    f"FROM checked c ASOF LEFT JOIN thr t ON c.fi = t.fi "
                    f"AND {place} >= t.threshold")
    else:
        con.execute(f"CREATE TEMP VIEW rows AS SELECT c.*, c.rowid AS rid, {place} + 2 AS line"
                    f"{absent}, {lsoa_text} FROM checked c")
    return n_broken


def find_duplicates(con) -> int:
    """The table ``dups`` (fi, rid, line, exact, duplicate_id, first_same) of rows repeating an
    earlier Crime ID of the same file; returns how many. ASB rows have no ID and are never duplicates of one
    another: identical ASB rows are separate incidents at one point.

    A row is a duplicate (``exact``, rejected) when an earlier row has its Crime ID and the same
    value in every field safecity keeps: month, force, coordinates, LSOA code, crime type and
    outcome, as parsed (so padding and letter case do not count). ``Location``, ``LSOA name``
    and ``Context`` are never kept, so a difference there alone changes nothing the warehouse
    would hold. Any other row with a repeated ID is stored and flagged ``duplicate_id``.
    Comparing parsed values instead of hashing all twelve fields as supplied spares the stage
    materialising the free-text columns for every row (about 10 % of an ingest's time)."""
    # Only IDs (hashed, to keep the aggregate small) occurring more than once among valid rows
    # go through the window.
    # Sorting the hashes in numpy costs about half the CPU of a GROUP BY (nearly every ID is
    # unique, so the aggregate's hash table holds every row).
    # Duplicates are within one file: the file is part of the key.
    hashes = con.execute("SELECT hash(fi, crime_id) AS h FROM checked WHERE reason IS NULL "
                         "AND crime_id IS NOT NULL").fetchnumpy()["h"]
    hashes.sort()
    repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
    con.register("dup_ids", pa.table({"h": pa.array(repeated, type=pa.uint64())}))
    con.execute(f"""CREATE TEMP TABLE dups AS SELECT *, line > first_same AS exact,
                      line > first_id AND line = first_same AS duplicate_id
                    FROM (SELECT fi, rid, line, crime_id, crime_type, month, lon, east, lsoa,
                      force, other,
                      min(line) OVER (PARTITION BY fi, crime_id, {", ".join(KEPT)})
                        AS first_same,
                      min(line) OVER (PARTITION BY fi, crime_id) AS first_id
                    FROM rows WHERE reason IS NULL AND crime_id IS NOT NULL
                      AND hash(fi, crime_id) IN (SELECT h FROM dup_ids))
                    WHERE line > first_id""")
    return con.execute("SELECT count(*) FROM dups").fetchall()[0][0]


#: The parsed fields two rows with one Crime ID must share to be duplicates (``other`` holds
#: the LSOA, force and outcome text when it is outside the known values).
KEPT = ("month", "force", "lon", "lat", "east", "north", "lsoa", "crime_type", "outcome",
        "other")


def reject_names(columns: dict[str, int]) -> list[str]:
    """The columns a rejects file keeps that this file has, in the rejects file's order."""
    return [name for name in REJECT_COLUMNS if name in columns]
