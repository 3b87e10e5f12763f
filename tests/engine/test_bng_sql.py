"""The SQL British National Grid projection agrees with pyproj (the second implementation)."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from safecity.engine import geo
from safecity.engine.bng_sql import bng_sql


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
