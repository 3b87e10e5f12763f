"""Build the demo partnership's Southampton slice from ../shared/data (run by hand, not at run time).

Writes two files into ``src/safecity/engine/demo/data/``:

* ``southampton_lsoa11.csv``: the local part of the geography, one row per 2011 LSOA of
  Southampton (148): ward, policing sector, an apportioned 10-17 population and a representative
  point (longitude, latitude) inside the polygon. Codes, names, populations and IMD 2019 come at
  run time from the package's national reference data (``safecity.engine.reference``).
* ``southampton_lsoa11.json``: the LSOA polygons (super-generalised, clipped; WGS84), used to
  place synthetic crimes inside their LSOA.

Sources (all OGL v3, see ../shared/data/SOURCES.md): the LSOA list from IMD 2019
(``imd/imd2019_england_lsoa_combined.csv``), mySociety mid-2019 LSOA populations
(``population/mysociety_2019_lsoa_population.csv``, to apportion ages 10-17), the ONS mid-2019 single-year-of-age estimates
for Southampton (``population/ukmidyearestimates20192019ladcodes.xls``, MYE2 Persons: ages 10-17),
and ``boundaries/lsoa11_bsc_southampton.geojson``.

Wards: the 16 Southampton wards of 2002-2023 are real names; LSOAs are assigned to them by their
MSOA (the number in the LSOA name), a plausible approximation of the real best-fit lookup, which
is not among the shared files. Ward codes are therefore synthetic (``DEMO01``…), never real ONS
codes. The 10-17 population is the city's total apportioned to LSOAs by total population
(largest remainder), also an approximation.

Usage: ``.venv/bin/python scripts/build_demo_data.py [--shared ../shared/data]``
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "safecity" / "engine" / "demo" / "data"

# MSOA number (from "Southampton 023A") -> ward. Wards are the 2002-2023 city wards.
MSOA_WARD = {
    "001": "Bassett", "006": "Bassett",
    "002": "Coxford", "004": "Coxford",
    "003": "Swaythling", "005": "Swaythling",
    "007": "Redbridge", "012": "Redbridge",
    "008": "Bitterne Park", "014": "Bitterne Park",
    "009": "Portswood", "013": "Portswood",
    "010": "Shirley", "011": "Shirley",
    "015": "Millbrook", "019": "Millbrook",
    "016": "Harefield", "018": "Harefield",
    "017": "Bevois", "022": "Bevois",
    "020": "Freemantle", "021": "Freemantle",
    "023": "Bargate", "029": "Bargate",
    "024": "Peartree", "028": "Peartree",
    "025": "Bitterne", "027": "Bitterne",
    "026": "Sholing", "030": "Sholing",
    "031": "Woolston", "032": "Woolston",
}
WARD_SECTOR = {
    "Bargate": "Central", "Bevois": "Central", "Portswood": "Central", "Bassett": "Central",
    "Swaythling": "Central",
    "Coxford": "West", "Millbrook": "West", "Redbridge": "West", "Shirley": "West",
    "Freemantle": "West",
    "Bitterne": "East", "Bitterne Park": "East", "Harefield": "East", "Peartree": "East",
    "Sholing": "East", "Woolston": "East",
}
LAD = "E06000045"


def _ages_10_17(xls: Path) -> int:
    import pandas as pd  # build-time only

    frame = pd.read_excel(xls, sheet_name="MYE2 - Persons", header=4)
    row = frame[frame["Code"] == LAD]
    return int(row[[a for a in range(10, 18)]].sum(axis=1).iloc[0])


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    exact = total * weights / weights.sum()
    base = np.floor(exact).astype(int)
    order = np.argsort(-(exact - base), kind="stable")
    base[order[: total - base.sum()]] += 1
    return base


def main() -> None:
    from shapely.geometry import shape  # build-time only

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    shared: Path = args.shared

    with open(shared / "imd" / "imd2019_england_lsoa_combined.csv", encoding="utf-8") as fh:
        imd = {r["lsoa11cd"]: r for r in csv.DictReader(fh) if r["lad19cd"] == LAD}
    with open(shared / "population" / "mysociety_2019_lsoa_population.csv",
              encoding="utf-8-sig") as fh:
        pop = {r["lsoa"]: int(r["pop"].replace(",", "")) for r in csv.DictReader(fh)}
    geo = json.loads((shared / "boundaries" / "lsoa11_bsc_southampton.geojson").read_text())

    features = sorted(geo["features"], key=lambda f: f["properties"]["LSOA11CD"])
    codes = [f["properties"]["LSOA11CD"] for f in features]
    assert len(codes) == 148 and set(codes) == set(imd), "expected Southampton's 148 LSOAs"
    population = np.array([pop[c] for c in codes])
    youth = _apportion(_ages_10_17(shared / "population"
                                   / "ukmidyearestimates20192019ladcodes.xls"), population)
    wards = sorted(set(MSOA_WARD.values()))
    ward_code = {w: f"DEMO{i + 1:02d}" for i, w in enumerate(wards)}

    OUT.mkdir(parents=True, exist_ok=True)
    polygons = {}
    with open(OUT / "southampton_lsoa11.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["lsoa11_code", "ward_code", "ward_name", "sector", "population_10_17",
                      "point_lon", "point_lat"])
        for i, feat in enumerate(features):
            code = codes[i]
            name = feat["properties"]["LSOA11NM"]
            ward = MSOA_WARD[name.split()[1][:3]]
            point = shape(feat["geometry"]).representative_point()
            out.writerow([code, ward_code[ward], ward, WARD_SECTOR[ward], int(youth[i]),
                          f"{point.x:.6f}", f"{point.y:.6f}"])
            polygons[code] = [[[[round(x, 6), round(y, 6)] for x, y in ring] for ring in poly]
                              for poly in feat["geometry"]["coordinates"]]
    (OUT / "southampton_lsoa11.json").write_text(
        json.dumps({"source": "ONS LSOA 2011 BSC boundaries, OGL v3", "polygons": polygons},
                   separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {len(codes)} LSOAs, population {int(population.sum())}, "
          f"aged 10-17 {int(youth.sum())} to {OUT}")


if __name__ == "__main__":
    main()
