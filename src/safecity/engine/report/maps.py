"""Maps people can read: LSOA choropleths and hotspot cells on one base of LSOA, ward and local
authority boundary lines with ward and authority names (``basemap.py``).

Public entry point for any page that shows a map (the report, the documents, the web app):
:func:`lsoa_map_svg` returns one accessible ``<svg role="img">`` with a title, a description and
a legend; the values are always in a table beside it. In a report, a ``ChartSpec`` of kind
``choropleth`` is drawn by :func:`draw_choropleth`, and a ``grid_map`` whose ``extra`` has
``base`` (LSOAs with their wards) is drawn on the same base by :func:`draw_base`.

``extra["areas"]``: [{"code": LSOA 2011 code, "value": number or None, "ward": ward name or
None, "lad": LAD code (optional), "name": LSOA name (optional)}]. Areas whose value is missing or
withheld are hatched "no value" and the value is never drawn.

In the web app the same map is drawn with ``focusable=True``: each area is then also a
keyboard stop (``tabindex="0"``, ``role="img"``, an accessible name with the area's name, ward
and value, the value exactly as :func:`area_value_text` words it for the table twin) with a
tooltip drawn hidden and shown by the app's stylesheet on focus and hover (``.map-area``; no
script, so the app's Content-Security-Policy holds). The outer ``<svg>`` is then a
``role="group"`` (an image may not hold focusable parts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..assessment.model import ChartSpec, Series, Suppressed
from . import basemap
from .svg import WIDTH, Drawn, MUTED, TEXT, esc, legend, num, text

#: Five sequential classes, light to dark (ColorBrewer Blues 5; each distinct in greyscale).
CLASS_COLOURS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_VALUE = "#f3f2f1"
CONTEXT_FILL = "#f3f2f1"
LSOA_LINE = "#ffffff"
WARD_LINE = "#0b0c0c"
LA_LINE = "#0b0c0c"
MAP_HEIGHT = 560.0


def _number(value) -> float | None:
    if value is None or isinstance(value, (Suppressed, bool, str)):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def classes(values: Sequence[float], k: int = 5) -> list[float]:
    """Upper bounds of ``k`` quantile classes (equal numbers of areas), rounded for the legend.

    >>> classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    [2.0, 4.0, 6.0, 8.0, 10.0]
    """
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = []
    for i in range(1, k + 1):
        b = ordered[min(len(ordered) - 1, math.ceil(i * len(ordered) / k) - 1)]
        if not bounds or b > bounds[-1]:
            bounds.append(float(b))
    return bounds


def _class_of(value: float, bounds: list[float]) -> int:
    return next((i for i, b in enumerate(bounds) if value <= b), len(bounds) - 1)


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.1f}"


def area_value_text(value) -> str:
    """An area's value in words, the one wording shared by the map's tooltip and accessible
    name and the table twin beside it: withheld stays withheld, a missing value says so.

    >>> [area_value_text(v) for v in (Suppressed(), None, 1234, 15.86, 9.2)]
    ['[c] (withheld)', 'no value', '1,234', '15.86', '9.2']
    """
    if isinstance(value, Suppressed):
        return f"{value} (withheld)"
    v = _number(value)
    if v is None:
        return "no value"
    # Published values carry at most two decimals (rates per 1,000): shown as published.
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0")


def area_name(area: dict) -> str:
    """"Bargate 012A (E01017123), Bargate ward": the name an area is known by on the map."""
    code = str(area["code"])
    name = f"{area['name']} ({code})" if area.get("name") else code
    return f"{name}, {area['ward']} ward" if area.get("ward") else name


def _area_labels(areas: Sequence[dict], f: basemap.Frame) -> list[str]:
    """Each area's name (else its code) at its label point: for maps of a few areas (a
    problem's place), where there are too few wards to find one's way by."""
    shapes = basemap.lsoa_shapes([str(a["code"]) for a in areas],
                                 {str(a["code"]): a["lad"] for a in areas if a.get("lad")})
    out = []
    for a in areas:
        geom = shapes.get(str(a["code"]))
        if geom is not None:
            x, y = f.xy(*basemap.label_point(geom))
            out.append(_halo_text(x, y + 4, a.get("name") or a["code"], 11).replace(
                'class="map-label"', 'class="map-label area-label"'))
    return out


def focus_stop(label: str, value: str, hit: str, x: float, y: float, top_limit: float,
               code: object) -> str:
    """One keyboard stop of a web map: ``hit`` (a transparent copy of the shape, outlined by the
    app's stylesheet on focus and hover), its accessible name "label; value" and a tooltip
    saying the same near (x, y), hidden until the stylesheet shows it (``.map-area``)."""
    w = 12 + 6.6 * max(len(label), len(value))
    left = min(max(x - w / 2, 4.0), WIDTH - 4 - w)
    top = y - 52 if y - 52 > top_limit else y + 12
    return (f'<g class="map-area" tabindex="0" role="img" aria-label="{esc(label)}; '
            f'{esc(value)}" data-code="{esc(code)}">{hit}'
            f'<g class="map-tip" visibility="hidden" aria-hidden="true">'
            f'<rect x="{num(left)}" y="{num(top)}" width="{num(w)}" height="40" rx="3" '
            f'fill="#ffffff" stroke="{TEXT}" stroke-width="1.5"/>'
            + text(left + 6, top + 16, label, size=11.5, fill=TEXT, weight="bold")
            + text(left + 6, top + 32, value, size=11.5, fill=TEXT) + '</g></g>')


def _focus_layer(areas: Sequence[dict], f: basemap.Frame, value_label: str) -> list[str]:
    """One keyboard stop per drawn area, on top of the map: a transparent copy of its outline
    (outlined by the stylesheet on focus and hover) and its tooltip, hidden until then. Drawn
    last so no fill covers a tooltip; the copies are transparent, so the map below shows."""
    shapes = basemap.lsoa_shapes([str(a["code"]) for a in areas],
                                 {str(a["code"]): a["lad"] for a in areas if a.get("lad")})
    parts = ['<g class="map-areas">']
    for a in areas:
        geom = shapes.get(str(a["code"]))
        if geom is None:
            continue
        x, y = f.xy(*basemap.label_point(geom))
        parts.append(focus_stop(area_name(a), f"{value_label}: {area_value_text(a.get('value'))}",
                                f'<path class="map-hit" d="{f.path(geom)}" fill="transparent" '
                                'stroke="none" fill-rule="evenodd"/>', x, y, f.top, a["code"]))
    parts.append("</g>")
    return parts


def _halo_text(x: float, y: float, label: str, size: float, weight: str = "normal") -> str:
    """A label readable on any fill: dark text over a white halo (drawn twice rather than with
    paint-order, which not every renderer of these SVGs supports)."""
    common = (f'x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="middle" '
              f'font-weight="{weight}"')
    return (f'<text {common} fill="#ffffff" stroke="#ffffff" stroke-width="3.5" '
            f'stroke-linejoin="round" aria-hidden="true">{esc(label)}</text>'
            f'<text {common} fill="{TEXT}" class="map-label">{esc(label)}</text>')


def draw_base(areas: Sequence[dict], top: float, fills: dict[str, str] | None = None,
              ident: str = "map") -> tuple[list[str], basemap.Frame | None, dict]:
    """The map's base: context authorities, LSOA polygons (filled from ``fills``, else light
    grey), ward lines and names, the authority's outline and names. Returns (svg parts, the
    frame, facts for the description); the frame is None when no LSOA has a shipped boundary."""
    codes = [str(a["code"]) for a in areas if a.get("code")]
    lads = {str(a["code"]): a["lad"] for a in areas if a.get("lad")}
    shapes = basemap.lsoa_shapes(codes, lads)
    facts = {"lsoas": len(shapes), "missing": len(codes) - len(shapes), "wards": 0,
             "authorities": []}
    if not shapes:
        return [], None, facts
    import shapely

    area_union = shapely.union_all(list(shapes.values()))
    f = basemap.frame(area_union.bounds, WIDTH - 20, MAP_HEIGHT, 10, top)
    view = shapely.box(f.x0, f.y1 - f.height / f.scale, f.x0 + f.width / f.scale, f.y1)
    clip = f"{ident}-clip"
    parts = [f'<clipPath id="{clip}"><rect x="{num(f.left)}" y="{num(f.top)}" '
             f'width="{num(f.width)}" height="{num(f.height)}"/></clipPath>',
             f'<g clip-path="url(#{clip})">']
    # Context: the neighbouring authorities, pale, outlined and named.
    lad_of = basemap._lad_of(codes, lads)
    own = {lad_of[c] for c in shapes if c in lad_of}
    context_labels = []
    for code, name, outline in basemap.neighbours(view.bounds, own):
        parts.append(f'<path d="{f.path(outline)}" fill="{CONTEXT_FILL}" stroke="{MUTED}" '
                     f'stroke-width="1" fill-rule="evenodd"/>')
        inside = outline.intersection(view.buffer(-(12 / f.scale)))
        if not inside.is_empty and inside.area * f.scale ** 2 > 1500:
            context_labels.append((name, basemap.label_point(inside)))
    for code, geom in shapes.items():
        fill = (fills or {}).get(code, "#dee0e2")
        parts.append(f'<path d="{f.path(geom)}" fill="{fill}" stroke="{LSOA_LINE}" '
                     f'stroke-width="0.6" fill-rule="evenodd"/>')
    wards = {str(a["code"]): a.get("ward") for a in areas}
    outlines = basemap.dissolve(shapes, wards)
    facts["wards"] = len(outlines)
    for name, outline in sorted(outlines.items()):
        parts.append(f'<path d="{f.path(outline.boundary)}" fill="none" stroke="{WARD_LINE}" '
                     f'stroke-width="1.3" class="ward-line" data-ward="{esc(name)}"/>')
    for code in sorted(own):
        lad = basemap.local_authorities().get(code)
        if lad is None:
            continue
        facts["authorities"].append(lad["name"])
        parts.append(f'<path d="{f.path(basemap.decode(lad["outline"]).boundary)}" fill="none" '
                     f'stroke="{LA_LINE}" stroke-width="3" class="la-line" '
                     f'data-authority="{esc(lad["name"])}"/>')
    parts.append("</g>")
    for name, (x, y) in context_labels:
        px, py = f.xy(x, y)
        parts.append(_halo_text(px, py, name, 12, "bold"))
        facts.setdefault("neighbours", []).append(name)
    for name, outline in sorted(outlines.items()):
        x, y = basemap.label_point(outline)
        px, py = f.xy(x, y)
        parts.append(_halo_text(px, py + 4, name, 10.5).replace('class="map-label"',
                                                                 'class="map-label ward-label"'))
    return parts, f, facts


def _frame_extras(f: basemap.Frame, bottom: float, authorities: list[str]) -> tuple[str, float]:
    km = max(1, round((f.width / f.scale) / 5000))
    bar = km * 1000 * f.scale
    y = bottom + 14
    svg = (f'<rect x="{num(f.left)}" y="{num(y)}" width="{num(bar)}" height="5" fill="{TEXT}"/>'
           + text(f.left + bar + 6, y + 6, f"{km} km", size=11, fill=TEXT)
           + text(WIDTH - 12, y + 6, "North is up. Boundaries: ONS, OGL v3.0; contains OS data "
                                     "© Crown copyright and database right", size=9.5,
                  anchor="end", fill=MUTED))
    return svg, y + 20


def _line_swatch(colour: str, width: float) -> str:
    return f'<line x1="0" y1="6" x2="28" y2="6" stroke="{colour}" stroke-width="{width}"/>'


def draw_choropleth(chart: ChartSpec, ident: str) -> Drawn:
    areas = list((chart.extra or {}).get("areas", ()))
    values = {str(a["code"]): _number(a.get("value")) for a in areas}
    present = [v for v in values.values() if v is not None]
    bounds = classes(present)
    fills = {}
    for code, v in values.items():
        fills[code] = (f"url(#{ident}-novalue)" if v is None
                       else CLASS_COLOURS[_class_of(v, bounds) + (5 - len(bounds))])
    items = []
    lo = min(present) if present else 0.0
    for i, b in enumerate(bounds):
        colour = CLASS_COLOURS[i + (5 - len(bounds))]
        items.append((f'<rect x="2" y="0" width="24" height="12" fill="{colour}" '
                      f'stroke="{MUTED}" stroke-width="0.5"/>', f"{_fmt(lo)} to {_fmt(b)}"))
        lo = b
    if any(v is None for v in values.values()):
        items.append((f'<rect x="2" y="0" width="24" height="12" fill="url(#{ident}-novalue)" '
                      f'stroke="{MUTED}" stroke-width="0.5"/>', "No value"))
    items += [(_line_swatch(WARD_LINE, 1.3), "Ward boundary"),
              (_line_swatch(LA_LINE, 3), "Local authority boundary")]
    leg, leg_h = legend(items, 10, 26, WIDTH - 20)
    value_label = (chart.extra or {}).get("value_label") or chart.y_label or "Value"
    defs = (f'<defs><pattern id="{ident}-novalue" width="6" height="6" '
            f'patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{NO_VALUE}"/>'
            f'<path d="M0,6L6,0" stroke="{MUTED}" stroke-width="1"/></pattern></defs>')
    head = text(10, 16, f"{value_label} (five classes with equal numbers of areas)", size=12.5,
                fill=TEXT)
    top = 26 + leg_h + 8
    parts, f, facts = draw_base(areas, top, fills, ident)
    if f is None:
        return Drawn(defs + head + leg + text(20, top + 20, "No boundaries are available for "
                                              "these areas.", size=12), top + 40,
                     "No map could be drawn: no boundaries are available for these areas.")
    if (chart.extra or {}).get("label_areas"):
        parts += _area_labels(areas, f)
    if (chart.extra or {}).get("focusable"):
        parts += _focus_layer(areas, f, value_label)
    bottom = f.top + f.height
    extras, height = _frame_extras(f, bottom, facts["authorities"])
    how = (f"{facts['lsoas']} LSOAs shaded in {len(bounds)} classes of {value_label.lower()}, "
           f"darker for higher values; {facts['wards']} wards outlined and named; the "
           f"local authority boundary of {', '.join(facts['authorities']) or 'the area'} drawn "
           "thick" + (f"; neighbouring authorities named: {', '.join(facts['neighbours'])}"
                      if facts.get("neighbours") else "") + ".")
    return Drawn(defs + head + leg + "".join(parts) + extras, height, how)


def lsoa_map_svg(areas: Sequence[dict], *, title: str, finding: str, value_label: str,
                 ident: str = "lsoa-map", table_title: str = "", focusable: bool = False,
                 label_areas: bool = False) -> str:
    """One accessible LSOA choropleth (``<svg role="img">`` with title, description, legend,
    ward and local authority lines and names). ``areas`` as in the module docstring; put the
    values in a table beside it (``table_title`` names it in the description). ``focusable``:
    each area a keyboard stop with its tooltip (the web app; see the module docstring);
    ``label_areas``: each area named on the map (for a few areas)."""
    from .charts import render_chart

    spec = ChartSpec(key=ident, title=title, finding=finding, kind="choropleth", table_key="",
                     categories=tuple(str(a["code"]) for a in areas),
                     series=(Series(value_label, tuple(_number(a.get("value")) for a in areas)),),
                     extra={"areas": list(areas), "value_label": value_label,
                            "focusable": focusable, "label_areas": label_areas})
    return render_chart(spec, ident, table_title, role="group" if focusable else "img")
