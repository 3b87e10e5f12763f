"""Stand-in street files for the forces the shared police.uk data lacks (issue #15).

``../shared/data/police-uk`` has no files of the Metropolitan Police, Greater Manchester, West
Midlands or West Yorkshire: about 29 % of England and Wales's residents and a larger share of
its crime. The national archive (``bench/national.py``) would otherwise miss their 95 CSPs and
their rows. A stand-in month of such a force is a real month of a similar metropolitan force
(the *donor*), re-placed into the missing force's own LSOAs:

* **Where.** The force's LSOAs are the 2011 LSOAs (``lookups/lsoa11_lsoa21_lad22_exact_fit.csv``)
  of its local authorities (``lookups/lad24_csp24_pfa24.csv``, ONS LAD 2024 → CSP → PFA). Each
  donor LSOA stands for a block of target LSOAs (the donor's LSOAs in code order, each copy of
  the month spread evenly over the target's LSOAs in a seeded random order), so the donor's
  concentration of crime over places carries over. Every located row gets a point drawn inside
  its new LSOA's polygon (``boundaries/lsoa11_bsc_england_wales.geojson.gz``, ONS BSC
  boundaries; ``POINTS`` per LSOA, rounded to police.uk's six decimals and checked inside after
  rounding), so the grid reference, the LSOA code and the geography joins (LSOA → CSP) agree.
  ``LSOA name`` is the target LSOA's. Rows without a location stay without one.
* **How many.** Volumes are scaled to the force's size: each donor row is copied
  ``population(force) / population(donor)`` times on average (mid-2019 residents of the police
  force area, ``population/csp_population_mid2018_mid2019.csv``, ONS mid-year estimates summed
  by CSP; the fractional part is a seeded draw per row). The donor's rows per resident are
  therefore the stand-in's: Northumbria's (the highest of the metropolitan forces in the shared
  data, about 11 rows a month per 1,000 residents) for the Metropolitan Police and West
  Midlands, Merseyside's for Greater Manchester and South Yorkshire's for West Yorkshire (their
  neighbours).
* **What.** Crime type, outcome, context and the street text (``Location``, never stored) are
  the donor's; ``Month``, ``Reported by`` and ``Falls within`` are the stand-in's; each copy of
  a crime gets its own Crime ID (the donor's with the copy number in its last two hex digits),
  so copies are distinct crimes, not duplicates.
* **Deterministic.** Every draw comes from ``numpy.random.default_rng`` seeded by ``SEED``, the
  force and the month, so the same archive is generated every time.

Only the donor's 2011-vintage months are used (the shared 2025 files carry 2021 LSOA codes).
"""

from __future__ import annotations

import csv
import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa

SEED = 15
#: Points drawn inside each target LSOA (police.uk snaps crimes to a few street points too).
POINTS = 24
#: The last month whose police.uk files use 2011 LSOA codes (``SOURCES.md``).
LAST_2011_VINTAGE = "2022-02"


@dataclass(frozen=True)
class StandIn:
    slug: str  # as in the police.uk file names
    force: str  # 'Reported by' / 'Falls within'
    pfa: str  # PFA24NM in the LAD → CSP → PFA lookup
    donor: str  # folder of the donor force under police-uk/
    donor_pfa: str  # the donor's pfa_name in the population file


STAND_INS = (
    StandIn("metropolitan", "Metropolitan Police Service", "Metropolitan Police", "northumbria",
            "Northumbria"),
    StandIn("greater-manchester", "Greater Manchester Police", "Greater Manchester",
            "merseyside", "Merseyside"),
    StandIn("west-midlands", "West Midlands Police", "West Midlands", "northumbria",
            "Northumbria"),
    StandIn("west-yorkshire", "West Yorkshire Police", "West Yorkshire", "south-yorkshire",
            "South Yorkshire"),
)

_COLUMNS = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
            "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
            "Context")


def missing(police_uk: Path) -> list[StandIn]:
    """The stand-ins whose force has no folder of real files under ``police_uk``."""
    return [s for s in STAND_INS if not (police_uk / s.slug).is_dir()]


def donor_files(police_uk: Path, standin: StandIn) -> list[Path]:
    files = sorted(p for p in (police_uk / standin.donor).glob("*-street.csv.gz")
                   if p.name[:7] <= LAST_2011_VINTAGE)
    if not files:
        raise FileNotFoundError(f"{police_uk / standin.donor}: no 2011-vintage street files "
                                f"to stand in for {standin.force}")
    return files


def population(data: Path, pfa_name: str) -> int:
    """Mid-2019 residents of a police force area (sum of its CSPs)."""
    with open(data / "population" / "csp_population_mid2018_mid2019.csv", newline="",
              encoding="utf-8") as fh:
        total = sum(int(r["population_mid2019"]) for r in csv.DictReader(fh)
                    if r["pfa_name"] == pfa_name)
    if not total:
        raise ValueError(f"no population for the police force area {pfa_name!r}")
    return total


def target_lsoas(data: Path, pfa: str) -> dict[str, str]:
    """2011 LSOA code → name of every LSOA in a police force area."""
    with open(data / "lookups" / "lad24_csp24_pfa24.csv", newline="", encoding="utf-8") as fh:
        lads = {r["LAD24CD"] for r in csv.DictReader(fh) if r["PFA24NM"] == pfa}
    with open(data / "lookups" / "lsoa11_lsoa21_lad22_exact_fit.csv", newline="",
              encoding="utf-8-sig") as fh:
        lsoas = {r["LSOA11CD"]: r["LSOA11NM"] for r in csv.DictReader(fh)
                 if r["LAD22CD"] in lads}
    if not lsoas:
        raise ValueError(f"no LSOAs found for the police force area {pfa!r}")
    return dict(sorted(lsoas.items()))


@lru_cache(maxsize=2)
def _polygons(data: Path) -> dict[str, dict]:
    with gzip.open(data / "boundaries" / "lsoa11_bsc_england_wales.geojson.gz", "rt",
                   encoding="utf-8") as fh:
        return {f["properties"]["LSOA11CD"]: f["geometry"] for f in json.load(fh)["features"]}


def points_inside(geometry: dict, rng: np.random.Generator, n: int = POINTS) -> np.ndarray:
    """``n`` (longitude, latitude) points inside a polygon, rounded to six decimals (rejection
    sampling in its bounding box; each point checked inside after rounding)."""
    import shapely
    from shapely.geometry import shape

    polygon = shape(geometry)
    shapely.prepare(polygon)
    minx, miny, maxx, maxy = polygon.bounds
    found = np.empty((0, 2))
    for _ in range(200):
        xy = np.round(rng.uniform((minx, miny), (maxx, maxy), size=(4 * n, 2)), 6)
        found = np.vstack([found, xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])]])
        if len(found) >= n:
            return found[:n]
    raise ValueError("could not place points inside an LSOA polygon")


@dataclass(frozen=True)
class Target:
    """A stand-in force's places: LSOA codes (seeded order), names and points inside each."""

    codes: np.ndarray  # (L,) str
    names: np.ndarray  # (L,) str
    points: np.ndarray  # (L, POINTS, 2) longitude, latitude
    lon_text: np.ndarray  # (L, POINTS) longitude as police.uk writes it ("-1.404351")
    lat_text: np.ndarray


@lru_cache(maxsize=8)
def target(data: Path, standin: StandIn) -> Target:
    lsoas = target_lsoas(data, standin.pfa)
    polygons = _polygons(data)
    absent = [c for c in lsoas if c not in polygons]
    if absent:
        raise ValueError(f"{len(absent)} LSOAs of {standin.pfa} have no boundary, e.g. "
                         f"{absent[0]}")
    rng = np.random.default_rng([SEED, STAND_INS.index(standin)])
    codes = np.array(list(lsoas))
    codes = codes[rng.permutation(len(codes))]
    points = np.stack([points_inside(polygons[c], rng) for c in codes])
    text = np.vectorize(lambda v: f"{v:.6f}", otypes=[object])
    return Target(codes, np.array([lsoas[c] for c in codes]), points, text(points[..., 0]),
                  text(points[..., 1]))


def _read(sql: str, **params) -> pa.Table:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        return con.sql(sql, params=params).to_arrow_table()
    finally:
        con.close()


@lru_cache(maxsize=32)
def _donor_month(path: Path) -> pa.Table:
    return _read("SELECT * FROM read_csv($f, all_varchar = true, header = true)", f=str(path))


@lru_cache(maxsize=8)
def _donor_lsoas(police_uk: Path, standin: StandIn) -> np.ndarray:
    """The donor's LSOA codes over all its months used, sorted (a stable index per month)."""
    files = [str(f) for f in donor_files(police_uk, standin)]
    codes = _read("SELECT DISTINCT \"LSOA code\" FROM read_csv($f, all_varchar = true, "
                  "header = true) WHERE \"LSOA code\" IS NOT NULL ORDER BY 1", f=files)
    return np.array(codes.column(0).to_pylist())


def factor(data: Path, standin: StandIn) -> float:
    """Rows of the stand-in per donor row: the ratio of the two forces' residents."""
    return population(data, standin.pfa) / population(data, standin.donor_pfa)


def month_table(data: Path, standin: StandIn, month: str, index: int) -> pa.Table:
    """The stand-in's street rows for ``month``, from the donor's ``index``-th month (cycled)."""
    police_uk = data / "police-uk"
    donors = donor_files(police_uk, standin)
    donor = donors[index % len(donors)]
    raw = _donor_month(donor)
    n = raw.num_rows
    place = target(data, standin)
    known = _donor_lsoas(police_uk, standin)
    lsoa = raw["LSOA code"].to_numpy(zero_copy_only=False)
    located = np.array([v is not None for v in lsoa])
    where = np.searchsorted(known, np.where(located, lsoa, known[0]).astype(str))
    f = factor(data, standin)
    copies = math.ceil(f)
    rng = np.random.default_rng([SEED, STAND_INS.index(standin), int(month[:4]),
                                 int(month[5:7])])
    L, D = len(place.codes), len(known)
    parts = []
    import pyarrow.compute as pc

    crime_id = raw["Crime ID"]
    for j in range(copies):
        keep = (np.ones(n, bool) if j < math.floor(f)
                else rng.random(n) < f - math.floor(f))
        t = ((j * D + where[keep]) * L) // (copies * D)
        p = rng.integers(0, POINTS, size=len(t))
        loc = located[keep]
        lon = np.where(loc, place.lon_text[t, p], None)
        lat = np.where(loc, place.lat_text[t, p], None)
        kept = pa.array(keep)
        ids = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(crime_id.filter(kept), 0, 62), f"{j:02x}", "")
        parts.append(pa.table({
            "Crime ID": ids,
            "Month": pa.array([month] * len(t), pa.string()),
            "Reported by": pa.array([standin.force] * len(t), pa.string()),
            "Falls within": pa.array([standin.force] * len(t), pa.string()),
            "Longitude": pa.array(lon, pa.string()),
            "Latitude": pa.array(lat, pa.string()),
            "Location": raw["Location"].filter(kept),
            "LSOA code": pa.array(np.where(loc, place.codes[t], None), pa.string()),
            "LSOA name": pa.array(np.where(loc, place.names[t], None), pa.string()),
            "Crime type": raw["Crime type"].filter(kept),
            "Last outcome category": raw["Last outcome category"].filter(kept),
            "Context": raw["Context"].filter(kept),
        }))
    return pa.concat_tables(parts).select(list(_COLUMNS))


def month_csv(data: Path, standin: StandIn, month: str, index: int) -> bytes:
    """The stand-in month as police.uk street CSV text."""
    import pyarrow.csv as pcsv

    sink = pa.BufferOutputStream()
    pcsv.write_csv(month_table(data, standin, month, index), sink,
                   pcsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue().to_pybytes()


def write_month(data: Path, standin: StandIn, month: str, index: int, target_path: Path) -> int:
    """Write the stand-in month as a gzipped police.uk street CSV; returns its rows."""
    text = month_csv(data, standin, month, index)
    target_path.write_bytes(gzip.compress(text, compresslevel=1, mtime=0))
    return text.count(b"\n") - 1
