"""The base of every map: 2011 LSOA polygons, ward outlines dissolved from them, local authority
outlines and the neighbouring authorities for context, in British National Grid metres.

The polygons ship with the package (``boundaries/``, built by scripts/build_boundaries.py from
the ONS super-generalised LSOA boundaries; no tile server, no network). Wards are not shipped:
the partnership's geography says which ward each LSOA is in, and its LSOAs are dissolved into
ward outlines here (shapely), so ward lines lie exactly on LSOA lines.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BOUNDARIES = Path(__file__).with_name("boundaries")


def _decode_ring(flat: Sequence[int]) -> list[tuple[float, float]]:
    x, y = flat[0], flat[1]
    pts = [(float(x), float(y))]
    for i in range(2, len(flat), 2):
        x += flat[i]
        y += flat[i + 1]
        pts.append((float(x), float(y)))
    return pts


def decode(encoded) -> object:
    """A shapely (Multi)Polygon from the shipped encoding (polygons of delta-coded rings)."""
    from shapely.geometry import MultiPolygon, Polygon

    polys = [Polygon(_decode_ring(rings[0]), [_decode_ring(r) for r in rings[1:]])
             for rings in encoded]
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


@lru_cache(maxsize=1)
def local_authorities() -> dict[str, dict]:
    """LAD code -> {name, bbox, outline (encoded)} for every local authority shipped."""
    with gzip.open(BOUNDARIES / "lads.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=32)
def _lad_file(lad: str) -> dict[str, list]:
    path = BOUNDARIES / "lsoa11" / f"{lad}.json.gz"
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def _lad_of(codes: Sequence[str], lads: Mapping[str, str] | None) -> dict[str, str]:
    lads = dict(lads or {})
    missing = [c for c in codes if not lads.get(c)]
    if missing:
        from .. import reference

        index = reference.lsoa_index()
        for code in missing:
            row = index.get(code)
            if row is not None:
                lads[code] = row["lad_code"]
    return lads


def lsoa_shapes(codes: Sequence[str], lads: Mapping[str, str] | None = None) -> dict[str, object]:
    """The polygons of the 2011 LSOAs ``codes`` that are shipped (others are left out);
    ``lads`` maps LSOA -> LAD code when the caller knows it (else the reference geography)."""
    lad_of = _lad_of(codes, lads)
    out = {}
    for code in codes:
        encoded = _lad_file(lad_of.get(code, "")).get(code)
        if encoded:
            out[code] = decode(encoded)
    return out


@dataclass(frozen=True)
class Frame:
    """BNG metres -> SVG pixels, north up."""

    x0: float
    y1: float
    scale: float
    left: float
    top: float
    width: float
    height: float

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return self.left + (x - self.x0) * self.scale, self.top + (self.y1 - y) * self.scale

    def path(self, geom) -> str:
        """SVG path data of a (multi)polygon or (multi)line, 0.1 px precision."""
        parts = []
        geoms = getattr(geom, "geoms", [geom])
        for g in geoms:
            if g.geom_type == "Polygon":
                rings = [g.exterior, *g.interiors]
                for ring in rings:
                    parts.append(self._ring(ring.coords, close=True))
            elif g.geom_type in ("LineString", "LinearRing"):
                parts.append(self._ring(g.coords, close=False))
            elif hasattr(g, "geoms"):
                parts.append(self.path(g))
        return "".join(parts)

    def _ring(self, coords, close: bool) -> str:
        pts = [self.xy(x, y) for x, y in coords]
        if len(pts) < 2:
            return ""
        body = "L".join(f"{px:.1f},{py:.1f}" for px, py in pts)
        return f"M{body}{'Z' if close else ''}"


def frame(bounds: tuple[float, float, float, float], width: float, max_height: float,
          left: float, top: float, pad: float = 0.03) -> Frame:
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) or 1.0, (maxy - miny) or 1.0
    minx, maxx, miny, maxy = minx - dx * pad, maxx + dx * pad, miny - dy * pad, maxy + dy * pad
    scale = min(width / (maxx - minx), max_height / (maxy - miny))
    w, h = (maxx - minx) * scale, (maxy - miny) * scale
    return Frame(minx, maxy, scale, left + (width - w) / 2, top, w, h)


def dissolve(shapes: Mapping[str, object], groups: Mapping[str, str | None]) -> dict[str, object]:
    """Union of the LSOAs of each group (ward) -> its outline; LSOAs without a group are left
    out."""
    import shapely

    members: dict[str, list] = {}
    for code, geom in shapes.items():
        name = groups.get(code)
        if name:
            members.setdefault(str(name), []).append(geom)
    # The shipped LSOAs share their edges exactly (topology kept when they were generalised,
    # coordinates on a 1 m grid), so a plain union leaves no slivers.
    return {name: shapely.union_all(geoms) for name, geoms in members.items()}


def label_point(geom) -> tuple[float, float]:
    """Where a polygon's label goes: its pole of inaccessibility (inside, away from edges)."""
    from shapely.ops import polylabel

    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    try:
        p = polylabel(geom, tolerance=max(geom.length / 200, 1.0))
    except Exception:  # a degenerate polygon: fall back to a point inside it
        p = geom.representative_point()
    return p.x, p.y


def neighbours(bounds: tuple[float, float, float, float], own: set[str]) -> list[tuple[str, str, object]]:
    """(code, name, outline) of the other local authorities whose box meets ``bounds``."""
    minx, miny, maxx, maxy = bounds
    out = []
    for code, lad in local_authorities().items():
        if code in own:
            continue
        bx0, by0, bx1, by1 = lad["bbox"]
        if bx0 < maxx and minx < bx1 and by0 < maxy and miny < by1:
            out.append((code, lad["name"], decode(lad["outline"])))
    return out
