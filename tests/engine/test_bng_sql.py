"""The hand-written British National Grid projections (SQL and numpy) agree with pyproj (the
second implementation) and with each other."""

from __future__ import annotations

import csv
import gzip

import duckdb
import numpy as np
import pyarrow as pa

from safecity.engine import geo
from safecity.engine.bng_sql import BLOCK, bng_sql, to_bng


def test_sql_projection_matches_pyproj_to_a_centimetre_across_great_britain():
    rng = np.random.default_rng(20191)
    # A box over Great Britain, inside the area where PROJ applies the same Helmert datum shift.
    lon, lat = rng.uniform(-5.5, 1.7, 5000), rng.uniform(50.0, 58.6, 5000)
    con = duckdb.connect()
    con.register("points", pa.table({"lon": lon, "lat": lat}))
    got = con.sql(bng_sql("points")).fetchnumpy()
    east, north = geo.to_bng(lon, lat)
    assert np.hypot(got["bng_e"] - east, got["bng_n"] - north).max() < 0.01


def test_missing_coordinates_give_no_grid_reference():
    rows = duckdb.sql(bng_sql("(SELECT CAST(NULL AS DOUBLE) AS lon, "
                              "CAST(NULL AS DOUBLE) AS lat)")).fetchall()
    assert rows == [(None, None, None, None)]


def test_numpy_projection_matches_pyproj_and_the_sql_projection_across_great_britain():
    """``to_bng`` (numpy, used at ingest) against pyproj and against ``bng_sql``: a length that
    is not a whole number of blocks, so the last short block is checked too."""
    rng = np.random.default_rng(20192)
    n = 3 * BLOCK + 17
    lon, lat = rng.uniform(-5.5, 1.7, n), rng.uniform(50.0, 58.6, n)
    east, north = to_bng(lon, lat)
    e_proj, n_proj = geo.to_bng(lon, lat)
    assert np.hypot(east - e_proj, north - n_proj).max() < 0.01
    con = duckdb.connect()
    con.register("points", pa.table({"lon": lon, "lat": lat}))
    sql = con.sql(bng_sql("points")).fetchnumpy()
    assert np.hypot(east - sql["bng_e"], north - sql["bng_n"]).max() < 1e-6


def test_numpy_projection_of_real_police_uk_rows_equals_pyproj_and_the_sql_projection(
        shared_data):
    """Every located row of a sample of the real police.uk files (forces across England and
    Wales), read with the csv module."""
    files = sorted((shared_data / "police-uk").rglob("*-street.csv.gz"))[::20]
    lon, lat = [], []
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["Longitude"] and row["Latitude"]:
                    lon.append(float(row["Longitude"]))
                    lat.append(float(row["Latitude"]))
    lon, lat = np.array(lon), np.array(lat)
    assert len(lon) > 50_000
    east, north = to_bng(lon, lat)
    e_proj, n_proj = geo.to_bng(lon, lat)
    assert np.hypot(east - e_proj, north - n_proj).max() < 0.01
    con = duckdb.connect()
    con.register("points", pa.table({"lon": lon, "lat": lat}))
    sql = con.sql(bng_sql("points")).fetchnumpy()
    assert np.hypot(east - sql["bng_e"], north - sql["bng_n"]).max() < 1e-6


def test_numpy_projection_keeps_missing_coordinates_missing():
    east, north = to_bng(np.array([np.nan, -1.404351]), np.array([np.nan, 50.909698]))
    assert np.isnan(east[0]) and np.isnan(north[0])
    assert (round(float(east[1]), -1), round(float(north[1]), -1)) == (441970.0, 112420.0)
