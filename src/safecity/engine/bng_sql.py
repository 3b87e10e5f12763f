"""WGS84 longitude/latitude → British National Grid, as DuckDB SQL over a whole relation.

Why hand-written: pyproj is the library for this (``geo.to_bng``), but inside a DuckDB query it
can only run as a Python UDF on DuckDB's worker threads, where pyproj crashed the process, and
joining pyproj's output back row by row made ingest several times slower. DuckDB's spatial
extension cannot be fetched offline. So the same transformation PROJ applies without the OSTN15
grid is written out here and checked against pyproj to a few centimetres in
``tests/engine/test_bng_sql.py``.

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
    # Written for speed over millions of rows: eleven sin/cos/sqrt/atan2 per point instead of
    # about forty. Sines and cosines of angles that are only needed through them (Bowring's
    # auxiliary angle, the latitude in the meridian-arc series) come from the exact identities
    # sin(atan2(y, x)) = y / hypot(x, y), sin(a ± b), sin(2a) and sin(3a); powers are products.
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
    s0, c0 = math.sin(_LAT0), math.cos(_LAT0)
    af0 = aa * _F0
    return f"""
    SELECT * EXCLUDE (_sf, _cf, _sl, _cl, _nw, _x, _y, _z, _x2, _y2, _z2, _p, _r, _st, _ct,
                      _pn, _pd, _ph, _dl, _pr, _s, _c, _w, _nu, _t2, _eta2, _sd, _cd, _ss, _cs,
                      _M, _c3, _dl2)
      , {_E0!r} + _nu * _c * _dl
          + _nu / 6 * _c3 * (1 + _eta2 - _t2) * _dl * _dl2
          + _nu / 120 * _c3 * _c * _c * (5 - 18 * _t2 + _t2 * _t2 + 14 * _eta2
                                         - 58 * _t2 * _eta2) * _dl * _dl2 * _dl2 AS bng_e
      , _M + {_N0!r} + _nu / 2 * _s * _c * _dl2
          + _nu / 24 * _s * _c3 * (5 - _t2 + 9 * _eta2) * _dl2 * _dl2
          + _nu / 720 * _s * _c3 * _c * _c * (61 - 58 * _t2 + _t2 * _t2) * _dl2 * _dl2 * _dl2
          AS bng_n
    FROM (SELECT *, {ba * _F0!r} * ({m1!r} * (_ph - {_LAT0!r})
              - {m2!r} * _sd * _cs
              + {m3!r} * (2 * _sd * _cd) * (_cs * _cs - _ss * _ss)
              - {m4!r} * _sd * (3 - 4 * _sd * _sd) * _cs * (4 * _cs * _cs - 3)) AS _M,
            _c * _c * _c AS _c3, _dl * _dl AS _dl2
    FROM (SELECT *, {af0!r} / sqrt(_w) AS _nu, _s * _s / (_c * _c) AS _t2,
            _w / {1 - e2a!r} - 1 AS _eta2,
            _s * {c0!r} - _c * {s0!r} AS _sd, _c * {c0!r} + _s * {s0!r} AS _cd,
            _s * {c0!r} + _c * {s0!r} AS _ss, _c * {c0!r} - _s * {s0!r} AS _cs
    FROM (SELECT *, _pn / _pr AS _s, _pd / _pr AS _c, 1 - {e2a!r} * _pn * _pn / (_pr * _pr) AS _w
    FROM (SELECT *, atan2(_pn, _pd) AS _ph, sqrt(_pn * _pn + _pd * _pd) AS _pr,
            atan2(_y2, _x2) - {_LON0!r} AS _dl
    FROM (SELECT *, _z2 + {ep2a * ba!r} * _st * _st * _st AS _pn,
            _p - {e2a * aa!r} * _ct * _ct * _ct AS _pd
    FROM (SELECT *, _z2 * {aa!r} / _r AS _st, _p * {ba!r} / _r AS _ct
    FROM (SELECT *, sqrt(_z2 * _z2 * {aa * aa!r} + _p * _p * {ba * ba!r}) AS _r
    FROM (SELECT *, sqrt(_x2 * _x2 + _y2 * _y2) AS _p
    FROM (SELECT *, {tx!r} + {s1!r} * _x - {rz!r} * _y + {ry!r} * _z AS _x2,
                    {ty!r} + {rz!r} * _x + {s1!r} * _y - {rx!r} * _z AS _y2,
                    {tz!r} - {ry!r} * _x + {rx!r} * _y + {s1!r} * _z AS _z2
    FROM (SELECT *, _nw * _cf * _cl AS _x, _nw * _cf * _sl AS _y, _nw * {1 - e2w!r} * _sf AS _z
    FROM (SELECT *, {aw!r} / sqrt(1 - {e2w!r} * _sf * _sf) AS _nw
    FROM (SELECT *, sin(radians({lat})) AS _sf, cos(radians({lat})) AS _cf,
            sin(radians({lon})) AS _sl, cos(radians({lon})) AS _cl FROM {relation}
    ))))))))))))"""
