"""WGS84 longitude/latitude → British National Grid, as DuckDB SQL over a whole relation.

Why hand-written: pyproj is the library for this (``geo.to_bng``), but inside a DuckDB query it
can only run as a Python UDF on DuckDB's worker threads, where pyproj crashed the process, and
joining pyproj's output back row by row made ingest several times slower. DuckDB's spatial
extension cannot be fetched offline. So the same transformation PROJ applies without the OSTN15
grid is written out here and checked against pyproj to a few centimetres in
``tests/engine/ingest/test_bng_sql.py``.

Method (Ordnance Survey, *A guide to coordinate systems in Great Britain*, v3.6, 2020, §6 and
annexes B-C): geodetic → cartesian on the WGS84 ellipsoid; 7-parameter Helmert transformation
WGS84 → OSGB36 (the EPSG:1314 parameters PROJ uses: tx -446.448 m, ty 125.157 m, tz -542.060 m,
rx -0.150", ry -0.247", rz -0.842", s 20.489 ppm; position-vector convention); cartesian →
geodetic on the Airy 1830 ellipsoid (Bowring's closed form, sub-millimetre at the Earth's
surface); Transverse Mercator with the National Grid constants (F0 0.9996012717, origin 49°N 2°W,
false origin E 400 km, N -100 km).
"""

from __future__ import annotations

import math

# Ellipsoids: (semi-major a, semi-minor b).
_WGS84 = (6378137.0, 6356752.314245)
_AIRY = (6377563.396, 6356256.909)
# Helmert WGS84 → OSGB36 (EPSG:1314 reversed), position-vector rotations in arc-seconds.
_T = (-446.448, 125.157, -542.060)
_R = tuple(math.radians(v / 3600) for v in (-0.150, -0.247, -0.842))
_S = 20.489e-6
# National Grid projection.
_F0, _LAT0, _LON0, _E0, _N0 = 0.9996012717, math.radians(49), math.radians(-2), 400000.0, -100000.0


def _e2(a: float, b: float) -> float:
    return (a * a - b * b) / (a * a)


def bng_sql(relation: str, lon: str = "lon", lat: str = "lat") -> str:
    """SQL selecting ``*`` from ``relation`` plus ``bng_e`` and ``bng_n`` (metres; NULL where
    longitude or latitude is NULL).

    >>> import duckdb
    >>> sql = bng_sql("(SELECT -1.404351 AS lon, 50.909698 AS lat)")
    >>> e, n = duckdb.sql(sql).fetchall()[0][2:]
    >>> round(e, -1), round(n, -1)   # as geo.to_bng's example (Southampton Civic Centre)
    (441970.0, 112420.0)
    """
    aw, bw = _WGS84
    e2w = _e2(aw, bw)
    aa, ba = _AIRY
    e2a = _e2(aa, ba)
    ep2a = (aa * aa - ba * ba) / (ba * ba)
    tx, ty, tz = _T
    rx, ry, rz = _R
    s1 = 1 + _S
    n = (aa - ba) / (aa + ba)
    m1, m2 = 1 + n + 5 / 4 * n**2 + 5 / 4 * n**3, 3 * n + 3 * n**2 + 21 / 8 * n**3
    m3, m4 = 15 / 8 * n**2 + 15 / 8 * n**3, 35 / 24 * n**3
    return f"""
    SELECT * EXCLUDE (_phi, _lam, _x, _y, _z, _x2, _y2, _z2, _p, _th, _la, _ph, _nu, _rho,
                      _eta2, _dl, _M, _t2)
      , CASE WHEN _ph IS NOT NULL THEN {_E0} + _nu * cos(_ph) * _dl
          + _nu / 6 * pow(cos(_ph), 3) * (_nu / _rho - _t2) * pow(_dl, 3)
          + _nu / 120 * pow(cos(_ph), 5) * (5 - 18 * _t2 + _t2 * _t2 + 14 * _eta2
                                            - 58 * _t2 * _eta2) * pow(_dl, 5) END AS bng_e
      , CASE WHEN _ph IS NOT NULL THEN _M + {_N0} + _nu / 2 * sin(_ph) * cos(_ph) * pow(_dl, 2)
          + _nu / 24 * sin(_ph) * pow(cos(_ph), 3) * (5 - _t2 + 9 * _eta2) * pow(_dl, 4)
          + _nu / 720 * sin(_ph) * pow(cos(_ph), 5) * (61 - 58 * _t2 + _t2 * _t2) * pow(_dl, 6)
          END AS bng_n
    FROM (SELECT *, {ba * _F0!r} * (
                {m1!r} * (_ph - {_LAT0!r})
              - {m2!r} * sin(_ph - {_LAT0!r}) * cos(_ph + {_LAT0!r})
              + {m3!r} * sin(2 * (_ph - {_LAT0!r})) * cos(2 * (_ph + {_LAT0!r}))
              - {m4!r} * sin(3 * (_ph - {_LAT0!r})) * cos(3 * (_ph + {_LAT0!r}))) AS _M,
            _nu / _rho - 1 AS _eta2, _la - {_LON0!r} AS _dl, pow(tan(_ph), 2) AS _t2
    FROM (SELECT *, {aa * _F0!r} / sqrt(1 - {e2a!r} * pow(sin(_ph), 2)) AS _nu,
            {aa * _F0 * (1 - e2a)!r} / pow(1 - {e2a!r} * pow(sin(_ph), 2), 1.5) AS _rho
    FROM (SELECT *, atan2(_y2, _x2) AS _la,
            atan2(_z2 + {ep2a * ba!r} * pow(sin(_th), 3), _p - {e2a * aa!r} * pow(cos(_th), 3))
              AS _ph
    FROM (SELECT *, sqrt(_x2 * _x2 + _y2 * _y2) AS _p,
            atan2(_z2 * {aa!r}, sqrt(_x2 * _x2 + _y2 * _y2) * {ba!r}) AS _th
    FROM (SELECT *, {tx!r} + {s1!r} * _x - {rz!r} * _y + {ry!r} * _z AS _x2,
                    {ty!r} + {rz!r} * _x + {s1!r} * _y - {rx!r} * _z AS _y2,
                    {tz!r} - {ry!r} * _x + {rx!r} * _y + {s1!r} * _z AS _z2
    FROM (SELECT *, {aw!r} / sqrt(1 - {e2w!r} * pow(sin(_phi), 2)) * cos(_phi) * cos(_lam) AS _x,
            {aw!r} / sqrt(1 - {e2w!r} * pow(sin(_phi), 2)) * cos(_phi) * sin(_lam) AS _y,
            {aw * (1 - e2w)!r} / sqrt(1 - {e2w!r} * pow(sin(_phi), 2)) * sin(_phi) AS _z
    FROM (SELECT *, radians({lat}) AS _phi, radians({lon}) AS _lam FROM {relation}
    )))))))"""
