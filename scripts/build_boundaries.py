"""Build the boundary files the maps ship with (src/safecity/engine/report/boundaries/) from the
shared ONS LSOA polygons (../shared/data/boundaries/lsoa11_bsc_england_wales.geojson.gz: 2011
LSOAs, Super Generalised Clipped, OGL v3.0, contains OS data © Crown copyright and database
right). Run once when the source changes:

    .venv/bin/python scripts/build_boundaries.py

What is shipped, and why only this: the assessment counts crimes by 2011 LSOA, so the maps need
the 2011 LSOA polygons of England and Wales (any partnership), in British National Grid metres so
hotspot cells (BNG squares) sit on the same base, and each local authority's outline for the
boundary lines and labels. Wards are not shipped: a partnership's own geography file says which
ward each LSOA is in, and the map dissolves its LSOAs into ward outlines at draw time.

Layout: ``lsoa11/<LAD code>.json.gz`` per local authority, {LSOA code: polygons}, and
``lads.json.gz``, {LAD code: {name, bbox, outline}}. A polygon is a list of rings; a ring is
[x0, y0, dx1, dy1, ...] in whole metres, each point after the first as the step from the one
before (small integers compress well). LAD outlines are the union of their LSOAs, simplified
to 20 m, so their lines lie on the LSOA lines.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "boundaries" / "lsoa11_bsc_england_wales.geojson.gz"
OUT = ROOT / "src" / "safecity" / "engine" / "report" / "boundaries"


def encode_ring(coords) -> list[int]:
    pts = [(round(x), round(y)) for x, y in coords]
    dedup = [pts[0]] + [p for a, p in zip(pts, pts[1:]) if p != a]
    flat = [dedup[0][0], dedup[0][1]]
    for (ax, ay), (bx, by) in zip(dedup, dedup[1:]):
        flat += [bx - ax, by - ay]
    return flat


def encode(geom) -> list:
    polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    return [[encode_ring(p.exterior.coords)] + [encode_ring(r.coords) for r in p.interiors]
            for p in polys if not p.is_empty]


def main() -> int:
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape

    sys.path.insert(0, str(ROOT / "src"))
    from safecity.engine import reference

    index = reference.lsoa_index()
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    with gzip.open(SOURCE, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    by_lad: dict[str, dict[str, object]] = defaultdict(dict)
    names: dict[str, str] = {}
    missing = 0
    for f in features:
        code = f["properties"]["LSOA11CD"]
        row = index.get(code)
        if row is None:
            missing += 1
            continue
        geom = shapely.transform(shape(f["geometry"]),
                                 lambda xy: __import__("numpy").column_stack(
                                     to_bng.transform(xy[:, 0], xy[:, 1])))
        geom = shapely.make_valid(shapely.set_precision(geom, 1.0))
        by_lad[row["lad_code"]][code] = geom
        names[row["lad_code"]] = row["lad_name"]
    (OUT / "lsoa11").mkdir(parents=True, exist_ok=True)
    lads = {}
    for lad, lsoas in sorted(by_lad.items()):
        data = {code: encode(g) for code, g in sorted(lsoas.items())}
        with gzip.GzipFile(OUT / "lsoa11" / f"{lad}.json.gz", "wb", mtime=0) as fh:
            fh.write(json.dumps(data, separators=(",", ":")).encode("utf-8"))
        outline = shapely.union_all(list(lsoas.values())).simplify(20)
        lads[lad] = {"name": names[lad], "bbox": [round(v) for v in outline.bounds],
                     "outline": encode(outline)}
    with gzip.GzipFile(OUT / "lads.json.gz", "wb", mtime=0) as fh:
        fh.write(json.dumps(lads, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    print(f"{sum(len(v) for v in by_lad.values())} LSOAs in {len(lads)} local authorities "
          f"written to {OUT} ({missing} not in the reference geography)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
