"""Geography helpers used at ingest: British National Grid projection and LSOA vintages.

* ``to_bng`` projects WGS84 longitude/latitude to British National Grid (EPSG:27700) metres with
  pyproj. Without the OSTN15 grid (not fetched: no network at run time) PROJ uses the Helmert
  transformation, accurate to a few metres: far finer than police.uk's snap points and any grid
  cell we use.
* ``lsoa11_for`` converts LSOA codes of either vintage to the 2011 code that IMD 2019 and the
  mid-2019 populations use, with the ONS LSOA11→LSOA21 exact-fit lookup shipped in the package.
  A 2021 LSOA that was *split* from a 2011 one maps to its 2011 parent (exact). A 2021 LSOA made
  by *merging* 2011 ones (CHGIND M) maps to the first of its parts by code, and a complex change
  (X) to the 2011 LSOA sharing most of it per the lookup's first row: both are documented
  approximations (data-contract.md) affecting 239 + 9 of 35,672 codes.
"""

from __future__ import annotations

import csv
import gzip
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

import numpy as np


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def to_bng(longitude: Sequence[float] | np.ndarray, latitude: Sequence[float] | np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 lon/lat arrays to BNG easting/northing in metres; NaN stays NaN.

    >>> e, n = to_bng([-1.404351], [50.909698])   # Southampton Civic Centre
    >>> round(float(e[0]), -1), round(float(n[0]), -1)
    (441970.0, 112420.0)
    """
    lon = np.asarray(longitude, dtype="float64")
    lat = np.asarray(latitude, dtype="float64")
    east, north = _transformer().transform(lon, lat)
    east = np.where(np.isfinite(east), east, np.nan)
    north = np.where(np.isfinite(north), north, np.nan)
    return east, north


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict[str, str], frozenset[str]]:
    """(2021 code → 2011 code, set of all 2011 codes) from the shipped exact-fit lookup."""
    path = resources.files("safecity.engine") / "data" / "lsoa11_lsoa21_exact_fit.csv.gz"
    to11: dict[str, str] = {}
    codes11: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in sorted(csv.DictReader(fh), key=lambda r: (r["LSOA21CD"], r["LSOA11CD"])):
            codes11.add(row["LSOA11CD"])
            to11.setdefault(row["LSOA21CD"], row["LSOA11CD"])
    return to11, frozenset(codes11)


def is_lsoa11(code: str) -> bool:
    return code in _lookup()[1]


def lsoa11_for(code: str | None) -> str | None:
    """The 2011 LSOA code for a 2011 or 2021 code; None if blank or unknown."""
    if not code:
        return None
    to11, codes11 = _lookup()
    if code in codes11:
        return code
    return to11.get(code)


def lsoa11_for_many(codes: Iterable[str | None]) -> list[str | None]:
    return [lsoa11_for(c) for c in codes]


def lsoa11_mapping() -> dict[str, str]:
    """Every known code (2011 and 2021) → 2011 code; for vectorised joins (e.g. in DuckDB)."""
    to11, codes11 = _lookup()
    mapping = dict(to11)
    mapping.update({c: c for c in codes11})
    return mapping
