"""WGS84 longitude/latitude → British National Grid: as DuckDB SQL over a whole relation
(``bng_sql``, for the warehouse views of files without a grid reference) and as numpy over
arrays (``to_bng``, for ingest, which writes the grid reference into every police.uk file).

Why hand-written: pyproj is the library for this (``geo.to_bng``), but inside a DuckDB query it
can only run as a Python UDF on DuckDB's worker threads, where pyproj crashed the process, and
joining pyproj's output back row by row made ingest several times slower. DuckDB's spatial
extension cannot be fetched offline. Outside a query pyproj works, but it takes about 1.8 s of
CPU for the 4.5 M located crimes of the 5 M-row bench file, where ``to_bng`` takes about 0.5 s
and the SQL about 1.5 s (docs/benchmarks.md): on a file that size the projection is a tenth of
the ingest. So the same transformation PROJ applies without the OSTN15 grid is written out here,
once in each form, and both are checked against pyproj (and against each other) to a few
centimetres in ``tests/engine/test_bng_sql.py``, on random points over Great Britain and on
every located row of real police.uk files.

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

import numpy as np

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


def _constants() -> tuple[float, ...]:
    """The derived constants both projections (``bng_sql`` and ``to_bng``) use, computed once:
    the ellipsoids' eccentricities, the Helmert parameters, the meridian-arc series' factors
    and the true origin's sine and cosine."""
    aw, bw = _WGS84
    aa, ba = _AIRY
    n = (aa - ba) / (aa + ba)
    return (aw, bw, _e2(aw, bw), aa, ba, _e2(aa, ba), (aa * aa - ba * ba) / (ba * ba), *_T, *_R,
            1 + _S, 1 + n + 5 / 4 * n**2 + 5 / 4 * n**3, 3 * n + 3 * n**2 + 21 / 8 * n**3,
            15 / 8 * n**2 + 15 / 8 * n**3, 35 / 24 * n**3, math.sin(_LAT0), math.cos(_LAT0))


_CONSTANTS = _constants()


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
    (aw, bw, e2w, aa, ba, e2a, ep2a, tx, ty, tz, rx, ry, rz, s1, m1, m2, m3, m4, s0,
     c0) = _CONSTANTS
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


#: Points projected at a time by ``to_bng``: the scratch arrays of a block (about 1 MB) stay in
#: the CPU's cache and are reused, so no array is allocated per operation (numpy temporaries
#: of whole columns, or of blocks freed back to the system each time, cost twice the CPU).
BLOCK = 4096


def to_bng(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Easting and northing (metres) of WGS84 ``lon``/``lat`` arrays, by the same method and
    arithmetic as ``bng_sql``; NaN in, NaN out.

    >>> e, n = to_bng(np.array([-1.404351]), np.array([50.909698]))
    >>> round(float(e[0]), -1), round(float(n[0]), -1)   # as geo.to_bng's example
    (441970.0, 112420.0)
    """
    lon = np.ascontiguousarray(lon, dtype=np.float64)
    lat = np.ascontiguousarray(lat, dtype=np.float64)
    east, north = np.empty(len(lon)), np.empty(len(lon))
    scratch = np.empty((_SCRATCH, min(BLOCK, len(lon)) or 1))
    with np.errstate(all="ignore"):  # NaN rows (no location) stay NaN
        for i in range(0, len(lon), BLOCK):
            k = min(BLOCK, len(lon) - i)
            _block(lon[i:i + k], lat[i:i + k], east[i:i + k], north[i:i + k], scratch[:, :k])
    return east, north


_SCRATCH = 12


def _block(lon, lat, east, north, t) -> None:
    """``to_bng`` for one block, in place: every step writes into a scratch row (``out=``).
    The steps and names are those of ``bng_sql`` (read that first); a row is reused once the
    value it held is no longer needed, as the comments say."""
    (aw, bw, e2w, aa, ba, e2a, ep2a, tx, ty, tz, rx, ry, rz, s1, m1, m2, m3, m4, s0,
     c0) = _CONSTANTS
    mul, add, sub, div = np.multiply, np.add, np.subtract, np.divide
    a, b, sf, cf, sl, cl, x, y, z, u, v, q = t
    # Geodetic → cartesian on WGS84.
    mul(lat, math.pi / 180, out=a)
    np.sin(a, out=sf)
    np.cos(a, out=cf)
    mul(lon, math.pi / 180, out=a)
    np.sin(a, out=sl)
    np.cos(a, out=cl)
    mul(sf, sf, out=a)                                    # nw = aw / sqrt(1 - e2w sf²)
    mul(a, -e2w, out=a)
    add(a, 1, out=a)
    np.sqrt(a, out=a)
    div(aw, a, out=a)
    mul(a, cf, out=b)                                     # nw cf
    mul(b, cl, out=x)
    mul(b, sl, out=y)
    mul(a, sf, out=z)
    mul(z, 1 - e2w, out=z)
    # Helmert (position vector): x2 → sf, y2 → cf, z2 → sl (the sines/cosines are spent).
    x2, y2, z2 = sf, cf, sl
    mul(x, s1, out=x2)
    add(x2, tx, out=x2)
    mul(y, -rz, out=a)
    add(x2, a, out=x2)
    mul(z, ry, out=a)
    add(x2, a, out=x2)
    mul(x, rz, out=y2)
    add(y2, ty, out=y2)
    mul(y, s1, out=a)
    add(y2, a, out=y2)
    mul(z, -rx, out=a)
    add(y2, a, out=y2)
    mul(x, -ry, out=z2)
    add(z2, tz, out=z2)
    mul(y, rx, out=a)
    add(z2, a, out=z2)
    mul(z, s1, out=a)
    add(z2, a, out=z2)
    # Cartesian → geodetic on Airy 1830 (Bowring): dl → cl, p → x, r → y.
    dl, p, r = cl, x, y
    np.arctan2(y2, x2, out=dl)
    sub(dl, _LON0, out=dl)
    mul(x2, x2, out=p)
    mul(y2, y2, out=a)
    add(p, a, out=p)
    np.sqrt(p, out=p)
    mul(z2, z2, out=r)
    mul(r, aa * aa, out=r)
    mul(p, p, out=a)
    mul(a, ba * ba, out=a)
    add(r, a, out=r)
    np.sqrt(r, out=r)
    div(z2, r, out=a)                                     # st = z2 aa / r
    mul(a, aa, out=a)
    mul(a, a, out=b)
    mul(b, a, out=b)
    mul(b, ep2a * ba, out=b)
    add(z2, b, out=z)                                     # pn → z
    div(p, r, out=a)                                      # ct = p ba / r
    mul(a, ba, out=a)
    mul(a, a, out=b)
    mul(b, a, out=b)
    mul(b, e2a * aa, out=b)
    sub(p, b, out=x)                                      # pd → x (p is spent)
    pn, pd = z, x
    np.arctan2(pn, pd, out=u)                             # ph → u
    ph = u
    mul(pn, pn, out=a)                                    # pr → a
    mul(pd, pd, out=b)
    add(a, b, out=a)
    np.sqrt(a, out=a)
    div(pn, a, out=sf)                                    # s → sf (x2 is spent)
    div(pd, a, out=cf)                                    # c → cf (y2 is spent)
    s, c = sf, cf
    mul(s, s, out=a)                                      # w = 1 - e2a s²
    mul(a, -e2a, out=a)
    add(a, 1, out=a)
    w = a
    np.sqrt(w, out=b)                                     # nu = af0 / sqrt(w) → v
    div(aa * _F0, b, out=v)
    nu = v
    mul(w, 1 / (1 - e2a), out=w)                          # eta2 = w / (1 - e2a) - 1 → a
    sub(w, 1, out=w)
    eta2 = w
    div(s, c, out=b)                                      # t2 = s² / c² → b
    mul(b, b, out=b)
    t2 = b
    # Meridian arc M → q, from sin/cos of φ - φ0 (sd, cd) and φ + φ0 (ss, cs): sd → x,
    # cd → y, ss → z, cs → sl (pn, pd, r, z2 are spent).
    sd, cd, ss, cs = x, y, z, sl
    mul(s, c0, out=sd)
    mul(c, s0, out=q)
    sub(sd, q, out=sd)
    mul(c, c0, out=cd)
    mul(s, s0, out=q)
    add(cd, q, out=cd)
    mul(s, c0, out=ss)
    mul(c, s0, out=q)
    add(ss, q, out=ss)
    mul(c, c0, out=cs)
    mul(s, s0, out=q)
    sub(cs, q, out=q)
    cs = q                                                # cs → q, sl free
    sub(ph, _LAT0, out=u)                                 # m1 (φ - φ0) → u (ph is spent)
    mul(u, m1, out=u)
    mul(sd, cs, out=sl)                                   # - m2 sin(Δ) cos(Σ)
    mul(sl, m2, out=sl)
    sub(u, sl, out=u)
    mul(sd, cd, out=sl)                                   # + m3 sin(2Δ) cos(2Σ)
    mul(sl, 2 * m3, out=sl)
    mul(cs, cs, out=cd)                                   # cd is spent: cs² - ss²
    mul(ss, ss, out=z)
    sub(cd, z, out=cd)
    mul(sl, cd, out=sl)
    add(u, sl, out=u)
    mul(sd, sd, out=sl)                                   # - m4 sin(3Δ) cos(3Σ)
    mul(sl, -4, out=sl)
    add(sl, 3, out=sl)
    mul(sl, sd, out=sl)
    mul(cs, cs, out=cd)
    mul(cd, 4, out=cd)
    sub(cd, 3, out=cd)
    mul(cd, cs, out=cd)
    mul(sl, cd, out=sl)
    mul(sl, m4, out=sl)
    sub(u, sl, out=u)
    mul(u, ba * _F0, out=u)
    M = u
    # Transverse Mercator series: c³ → x, dl² → y.
    c3, dl2 = x, y
    mul(c, c, out=c3)
    mul(c3, c, out=c3)
    mul(dl, dl, out=dl2)
    # east = E0 + nu c dl + nu/6 c³ (1 + eta2 - t2) dl³
    #        + nu/120 c⁵ (5 - 18 t2 + t2² + 14 eta2 - 58 t2 eta2) dl⁵
    mul(t2, t2, out=z)                                    # z = t2²
    mul(t2, -18, out=q)
    add(q, z, out=q)
    mul(eta2, 14, out=sl)
    add(q, sl, out=q)
    mul(t2, eta2, out=sl)
    mul(sl, -58, out=sl)
    add(q, sl, out=q)
    add(q, 5, out=q)
    mul(q, c3, out=q)
    mul(q, c, out=q)
    mul(q, c, out=q)
    mul(q, dl2, out=q)
    mul(q, 1 / 120, out=q)
    sub(eta2, t2, out=sl)
    add(sl, 1, out=sl)
    mul(sl, c3, out=sl)
    mul(sl, 1 / 6, out=sl)
    add(q, sl, out=q)
    mul(q, dl2, out=q)
    add(q, c, out=q)
    mul(q, nu, out=q)
    mul(q, dl, out=q)
    add(q, _E0, out=east)
    # north = M + N0 + nu/2 s c dl² + nu/24 s c³ (5 - t2 + 9 eta2) dl⁴
    #         + nu/720 s c⁵ (61 - 58 t2 + t2²) dl⁶
    mul(t2, -58, out=q)
    add(q, z, out=q)
    add(q, 61, out=q)
    mul(q, c, out=q)
    mul(q, c, out=q)
    mul(q, dl2, out=q)
    mul(q, 1 / 720, out=q)
    mul(eta2, 9, out=sl)
    sub(sl, t2, out=sl)
    add(sl, 5, out=sl)
    mul(sl, 1 / 24, out=sl)
    add(q, sl, out=q)
    mul(q, c3, out=q)
    mul(q, dl2, out=q)
    mul(c, 0.5, out=sl)
    add(q, sl, out=q)
    mul(q, dl2, out=q)
    mul(q, s, out=q)
    mul(q, nu, out=q)
    add(q, M, out=q)
    add(q, _N0, out=north)
