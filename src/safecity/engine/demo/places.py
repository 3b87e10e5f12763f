"""Southampton's 148 LSOAs for the demo, and where in them the synthetic crimes happen.

LSOA codes, names, mid-2019 populations and IMD 2019 come from the package's national reference
data (``safecity.engine.reference``). The local slice in ``data/`` (built by
``scripts/build_demo_data.py`` from ``../shared/data``) adds what the reference leaves to the
partnership: wards (real names, assigned by MSOA, an approximation, with synthetic ward codes),
policing sectors, an apportioned 10-17 population, and the LSOA polygons. Nothing under
``../shared`` is read at run time.

Spatial profiles give each LSOA a weight per kind of crime: residents × a deprivation factor,
times a city-centre kernel for crimes of the night-time economy and retail, a student-area bump
for burglary and cycle theft. Domestic abuse is placed by IMD decile so that its rate gradient is
exact (``domestic_counts_by_decile``). Points are drawn uniformly inside the LSOA polygon.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from .. import geo
from . import calibration as cal
from .allocate import split_exact

#: Bargate / Above Bar (WGS84): the core of the city-centre retail and night-time economy.
CITY_CENTRE = (-1.4050, 50.9060)
#: Secondary nightlife strips: Bedford Place / London Road, and Oxford Street.
NIGHTLIFE = ((-1.4075, 50.9125), (-1.3990, 50.8985))
#: District shopping centres (Shirley, Portswood, Bitterne precinct) and the university area.
DISTRICT_CENTRES = ((-1.4290, 50.9245), (-1.3935, 50.9240), (-1.3505, 50.9165))
UNIVERSITY = (-1.3960, 50.9350)
CSP_CODE = "E22000120"  # Southampton
#: Wards whose LSOAs carry the night-time economy flag.
NTE_WARDS = ("Bargate", "Bevois")


@dataclass(frozen=True)
class Geography:
    code: np.ndarray
    name: np.ndarray
    ward_code: np.ndarray
    ward_name: np.ndarray
    sector: np.ndarray
    population: np.ndarray
    population_10_17: np.ndarray
    imd_score: np.ndarray
    imd_rank: np.ndarray
    imd_decile: np.ndarray
    easting: np.ndarray   # representative point, BNG metres
    northing: np.ndarray
    polygons: tuple       # shapely (Multi)Polygons in WGS84, same order
    lad: tuple[str, str]  # (code, name)
    csp: tuple[str, str]

    def __len__(self) -> int:
        return len(self.code)

    def distance_km(self, lonlat: tuple[float, float]) -> np.ndarray:
        e, n = geo.to_bng([lonlat[0]], [lonlat[1]])
        return np.hypot(self.easting - e[0], self.northing - n[0]) / 1000.0


@lru_cache(maxsize=1)
def southampton() -> Geography:
    """Southampton's 148 LSOAs, ordered by code: national reference data plus the local slice."""
    import pyarrow.compute as pc
    from shapely.geometry import shape

    from .. import reference

    national = reference.lsoa_geography()
    rows = national.filter(pc.equal(national["csp_code"], CSP_CODE)).sort_by("lsoa11_code")
    base = resources.files("safecity.engine.demo") / "data"
    with (base / "southampton_lsoa11.csv").open("r", encoding="utf-8", newline="") as fh:
        local = {r["lsoa11_code"]: r for r in csv.DictReader(fh)}
    polygons = json.loads((base / "southampton_lsoa11.json").read_text("utf-8"))["polygons"]
    codes = rows["lsoa11_code"].to_pylist()
    if len(codes) != cal.SOUTHAMPTON_LSOAS or set(codes) != set(local):
        raise AssertionError("the demo's ward slice does not match the reference LSOAs; "
                             "rebuild it with scripts/build_demo_data.py")
    ref = lambda k: np.array(rows[k].to_pylist())  # noqa: E731
    loc = lambda k, t=str: np.array([t(local[c][k]) for c in codes])  # noqa: E731
    e, n = geo.to_bng(loc("point_lon", float), loc("point_lat", float))
    return Geography(
        code=np.array(codes), name=ref("lsoa_name"), ward_code=loc("ward_code"),
        ward_name=loc("ward_name"), sector=loc("sector"), population=ref("population"),
        population_10_17=loc("population_10_17", int), imd_score=ref("imd_score"),
        imd_rank=ref("imd_rank"), imd_decile=ref("imd_decile"), easting=e, northing=n,
        polygons=tuple(shape({"type": "MultiPolygon", "coordinates": polygons[c]})
                       for c in codes),
        lad=(rows["lad_code"][0].as_py(), rows["lad_name"][0].as_py()),
        csp=(CSP_CODE, rows["csp_name"][0].as_py()),
    )


def _kernel(g: Geography, points, scale_km: float) -> np.ndarray:
    return sum(np.exp(-g.distance_km(p) / scale_km) for p in points)


@lru_cache(maxsize=1)
def _profiles() -> dict[str, np.ndarray]:
    g = southampton()
    pop = g.population.astype("float64")
    deprivation = np.exp(0.12 * (5.5 - g.imd_decile))  # ≈ ×1.7 in decile 1, ×0.6 in decile 10
    resident = pop * deprivation
    centre = _kernel(g, [CITY_CENTRE], 0.45)
    night = centre + 0.6 * _kernel(g, NIGHTLIFE, 0.35)
    students = _kernel(g, [UNIVERSITY], 0.9)
    districts = _kernel(g, DISTRICT_CENTRES, 0.35)
    profiles = {
        "residential": resident,
        "mixed": resident * (1 + 4 * centre + 2 * night),
        "centre": resident * (1 + 22 * centre + 14 * night),
        "retail": 0.2 * resident + pop.mean() * (60 * centre + 6 * districts),
        "burglary": resident * (1 + 2.5 * students),
        "student": pop * (1 + 8 * students + 4 * centre),
        "asb": resident * (1 + 8 * centre + 3 * night + 2 * districts),
    }
    return {k: v / v.sum() for k, v in profiles.items()}


def lsoa_weights(profile: str) -> np.ndarray:
    """Probability of each LSOA for a spatial profile (sums to 1)."""
    return _profiles()[profile]


def domestic_rate_factors(deciles: np.ndarray) -> np.ndarray:
    """Relative domestic-abuse rate per resident by IMD decile: ×5 in deciles 1-2, ×1 in 9-10.

    Log-linear in between, so decile 1 / decile 10 and quintile 1 / quintile 5 both give
    ``DOMESTIC_RATE_RATIO``.
    """
    t = np.clip((9 - np.asarray(deciles, dtype="float64")) / 7, 0, 1)
    return cal.DOMESTIC_RATE_RATIO ** t


def domestic_lsoas(rng: np.random.Generator, n: int, exact: bool) -> np.ndarray:
    """LSOA index for ``n`` domestic crimes; with ``exact`` the count per decile is apportioned."""
    g = southampton()
    weight = g.population * domestic_rate_factors(g.imd_decile)
    if not exact:
        return rng.choice(len(g), size=n, p=weight / weight.sum())
    deciles = np.arange(1, 11)
    per_decile = split_exact(n, [weight[g.imd_decile == d].sum() for d in deciles])
    out = np.empty(n, dtype="int64")
    at = 0
    for d, k in zip(deciles, per_decile):
        members = np.flatnonzero(g.imd_decile == d)
        pop = g.population[members].astype("float64")
        out[at:at + k] = members[rng.choice(len(members), size=k, p=pop / pop.sum())]
        at += k
    return rng.permutation(out)


def sample_points(rng: np.random.Generator, lsoa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude drawn uniformly inside each record's LSOA polygon."""
    import shapely

    g = southampton()
    lon = np.empty(len(lsoa))
    lat = np.empty(len(lsoa))
    order = np.argsort(lsoa, kind="stable")
    bounds = np.searchsorted(lsoa[order], np.arange(len(g) + 1))
    for i in range(len(g)):
        rows = order[bounds[i]:bounds[i + 1]]
        if len(rows) == 0:
            continue
        poly = g.polygons[i]
        x0, y0, x1, y1 = poly.bounds
        fill = max(poly.area / ((x1 - x0) * (y1 - y0)), 0.05)
        got_x: list[np.ndarray] = []
        got_y: list[np.ndarray] = []
        need = len(rows)
        while need > 0:
            m = int(need / fill * 1.3) + 8
            x = x0 + (x1 - x0) * rng.random(m)
            y = y0 + (y1 - y0) * rng.random(m)
            inside = shapely.contains_xy(poly, x, y)
            got_x.append(x[inside][:need])
            got_y.append(y[inside][:need])
            need -= int(min(inside.sum(), need))
        lon[rows] = np.concatenate(got_x)
        lat[rows] = np.concatenate(got_y)
    return lon, lat
