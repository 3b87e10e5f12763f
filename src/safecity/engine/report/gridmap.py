"""Grid map of Getis-Ord Gi* classes on British National Grid cells.

Reads ``chart.extra``: ``cell_size`` (metres) and ``cells`` [{x, y, value, label}] with x, y the
lower-left corner in BNG metres and label like "hot 99%", "cold 95%" or "". Hot cells carry an
upward triangle and cold cells a downward one (filled at 99%, outlined at 95%/90%), so the class
is told by shape as well as colour. Empty cells are not drawn.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..assessment.model import ChartSpec
from .svg import WIDTH, Drawn, MUTED, TEXT, ink_on, legend, marker, num, text

HOT = {"99": "#942514", "95": "#d4351c", "90": "#f4a69a"}
COLD = {"99": "#003078", "95": "#1d70b8", "90": "#9cc4e8"}
NEUTRAL = "#e6e6e6"


def _class(label: object) -> tuple[str, str]:
    """('hot'|'cold'|'', confidence '99'|'95'|'90'|'')."""
    word = str(label or "").lower()
    side = "hot" if "hot" in word else "cold" if "cold" in word else ""
    found = re.search(r"(99|95|90)", word)
    return side, (found.group(1) if found and side else ("95" if side else ""))


def _mark(side: str, conf: str, x: float, y: float, cell: float) -> str:
    """Filled triangle at 99%, outlined at 95%, small outlined at 90%; ink chosen for contrast."""
    fill = (HOT if side == "hot" else COLD)[conf]
    ink = ink_on(fill)
    shape = "triangle" if side == "hot" else "triangle-down"
    size = max(cell * (0.3 if conf != "90" else 0.22), 1.5)
    return marker(shape, x, y, ink, size, open_=conf != "99")


def draw_grid_map(chart: ChartSpec, ident: str) -> Drawn:
    extra = chart.extra or {}
    cells = [c for c in extra.get("cells", ()) if c.get("x") is not None and c.get("y") is not None]
    size = float(extra.get("cell_size") or 250)
    legend_items = []
    for conf in ("99", "95", "90"):
        legend_items.append((f'<rect x="2" y="0" width="24" height="12" fill="{HOT[conf]}"/>'
                             + _mark("hot", conf, 14, 6, 12), f"Hot spot {conf}%"))
    for conf in ("99", "95", "90"):
        legend_items.append((f'<rect x="2" y="0" width="24" height="12" fill="{COLD[conf]}"/>'
                             + _mark("cold", conf, 14, 6, 12), f"Cold spot {conf}%"))
    legend_items.append((f'<rect x="2" y="0" width="24" height="12" fill="{NEUTRAL}" stroke="{MUTED}" '
                         f'stroke-width="0.5"/>', "Not significant"))
    base = extra.get("base")
    if base and cells:
        drawn = _on_base(chart, ident, cells, size, legend_items[:6], base)
        if drawn is not None:
            return drawn
    leg, leg_h = legend(legend_items, 10, 8, WIDTH - 20)
    top = 8 + leg_h + 10
    if not cells:
        return Drawn(leg + text(20, top + 20, "No cells to show.", size=12), top + 40,
                     "The map has no cells.")
    xs = [float(c["x"]) for c in cells]
    ys = [float(c["y"]) for c in cells]
    x0, x1, y0, y1 = min(xs), max(xs) + size, min(ys), max(ys) + size
    avail_w, avail_h = WIDTH - 20, 520.0
    scale = min(avail_w / (x1 - x0), avail_h / (y1 - y0))
    left = 10 + (avail_w - (x1 - x0) * scale) / 2
    px = size * scale
    parts = [leg]
    counts = {"hot": 0, "cold": 0}
    runs: dict[tuple[float, str], list[float]] = defaultdict(list)
    marks = []
    for c in cells:
        side, conf = _class(c.get("label"))
        fill = HOT[conf] if side == "hot" else COLD[conf] if side == "cold" else NEUTRAL
        runs[(float(c["y"]), fill)].append(float(c["x"]))
        if side:
            counts[side] += 1
            sx = left + (float(c["x"]) - x0) * scale
            sy = top + (y1 - float(c["y"]) - size) * scale  # north is up: northing grows upwards
            marks.append(_mark(side, conf, sx + px / 2, sy + px / 2, px))
    # Neighbouring cells of one class in a row are drawn as one rectangle: a city grid has about
    # a thousand cells, and every SVG element costs layout time in the PDF.
    for (y, fill), xs in sorted(runs.items()):
        xs.sort()
        start = prev = xs[0]
        for x in xs[1:] + [None]:
            if x is not None and abs(x - prev - size) < size * 1e-6:
                prev = x
                continue
            sx = left + (start - x0) * scale
            sy = top + (y1 - y - size) * scale
            parts.append(f'<rect x="{num(sx)}" y="{num(sy)}" width="{num((prev - start + size) * scale + 0.3)}" '
                         f'height="{num(px + 0.3)}" fill="{fill}"/>')
            if x is not None:
                start = prev = x
    parts.extend(marks)
    bottom = top + (y1 - y0) * scale
    # Scale bar: a round number of kilometres about a fifth of the map width.
    km = max(1, round((x1 - x0) / 5000))
    bar = km * 1000 * scale
    parts.append(f'<rect x="{num(left)}" y="{num(bottom + 12)}" width="{num(bar)}" height="5" fill="{TEXT}"/>')
    parts.append(text(left + bar + 6, bottom + 18, f"{km} km", size=11, fill=TEXT))
    parts.append(text(WIDTH - 12, bottom + 18, f"Cells {size:,.0f} m square; north is up",
                      size=11, anchor="end", fill=MUTED))
    how = (f"{len(cells)} grid cells of {size:,.0f} metres; {counts['hot']} hot spot cells marked "
           f"with upward triangles and {counts['cold']} cold spot cells with downward triangles "
           f"(filled at 99% confidence, outlined at 95% and 90%).")
    return Drawn("".join(parts), bottom + 30, how)


def _on_base(chart: ChartSpec, ident: str, cells, size: float, legend_items, base) -> Drawn | None:
    """Hot and cold cells on the LSOA, ward and local authority base (``maps.draw_base``);
    cells that are not significant are not drawn, so the streets' areas show through. None when
    no LSOA of ``base`` has a shipped boundary (the plain grid is drawn instead)."""
    from .maps import (LA_LINE, WARD_LINE, _frame_extras, _line_swatch, area_value_text,
                       draw_base, focus_stop)

    items = legend_items + [(_line_swatch(WARD_LINE, 1.3), "Ward boundary"),
                            (_line_swatch(LA_LINE, 3), "Local authority boundary")]
    leg, leg_h = legend(items, 10, 8, WIDTH - 20)
    top = 8 + leg_h + 10
    parts, f, facts = draw_base(base, top, None, ident)
    if f is None:
        return None
    counts = {"hot": 0, "cold": 0}
    rects, marks = [], []
    px = size * f.scale
    for c in cells:
        side, conf = _class(c.get("label"))
        if not side:
            continue
        counts[side] += 1
        sx, sy = f.xy(float(c["x"]), float(c["y"]) + size)
        fill = HOT[conf] if side == "hot" else COLD[conf]
        rects.append(f'<rect x="{num(sx)}" y="{num(sy)}" width="{num(px + 0.3)}" '
                     f'height="{num(px + 0.3)}" fill="{fill}" fill-opacity="0.9"/>')
        if px >= 6:
            marks.append(_mark(side, conf, sx + px / 2, sy + px / 2, px))
    # cells above the base's fills, below its lines and names (parts end with the labels)
    labels_from = next((i for i, p in enumerate(parts)
                        if 'class="ward-line"' in p or 'class="la-line"' in p or p == "</g>"),
                       len(parts))
    body = parts[:labels_from] + rects + marks + parts[labels_from:]
    if (chart.extra or {}).get("focusable"):  # the web app: each cell a keyboard stop
        body.append('<g class="map-areas">')
        for c in cells:
            side, conf = _class(c.get("label"))
            if side:
                sx, sy = f.xy(float(c["x"]), float(c["y"]) + size)
                body.append(focus_stop(
                    f"Cell at {float(c['x']):.0f} E, {float(c['y']):.0f} N",
                    f"{c.get('label')}; crimes in the cell: {area_value_text(c.get('value'))}",
                    f'<rect class="map-hit" x="{num(sx)}" y="{num(sy)}" width="{num(px)}" '
                    f'height="{num(px)}" fill="transparent" stroke="none"/>',
                    sx + px / 2, sy + px / 2, f.top, f"{float(c['x']):.0f}-{float(c['y']):.0f}"))
        body.append("</g>")
    extras, height = _frame_extras(f, f.top + f.height, facts["authorities"])
    how = (f"{len(cells)} grid cells of {size:,.0f} metres tested; {counts['hot']} hot spot "
           f"cells (red, upward triangles) and {counts['cold']} cold spot cells (blue, downward "
           f"triangles) drawn over {facts['lsoas']} LSOAs, with {facts['wards']} wards outlined "
           f"and named and the local authority boundary of "
           f"{', '.join(facts['authorities']) or 'the area'} drawn thick; cells that are not "
           "significant are not drawn.")
    return Drawn(leg + "".join(body) + extras, height, how)
