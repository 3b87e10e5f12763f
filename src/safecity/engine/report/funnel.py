"""Funnel plot: rate against population with control limits; flagged areas get a shape and a label.

Reads ``chart.extra``: ``points`` [{label, population, rate, flag}], ``overall`` (baseline rate),
optional ``limits`` {population, low95, high95, low998, high998} and ``per``. Points above the
upper limits are upward triangles, below the lower limits downward triangles, others hollow circles.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..assessment.model import ChartSpec, Suppressed, TableResult
from .svg import (WIDTH, Drawn, GRID, MUTED, TEXT, legend, marker, nice_ticks, num, text,
                  tick_label)

HIGH_COLOUR, LOW_COLOUR, PLAIN = "#b54700", "#1d70b8", "#505a5f"


def _side(flag: Any) -> str:
    word = str(flag or "").lower()
    if "high" in word or "above" in word:
        return "high"
    if "low" in word or "below" in word:
        return "low"
    return ""


def _curve(xs: list[float], ys: list[Any], x_of, y_of, dash: str, colour: str) -> str:
    path, pen = [], False
    for x, y in zip(xs, ys):
        if y is None or x is None:
            pen = False
            continue
        path.append(f"{'L' if pen else 'M'}{num(x_of(float(x)))},{num(y_of(float(y)))}")
        pen = True
    if not path:
        return ""
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="1.5"{dash_attr}/>'


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, (Suppressed, bool, str)):
        return None
    return float(value)


def complete_from_table(chart: ChartSpec, table: TableResult) -> ChartSpec:
    """Fill ``extra`` (points, limits, overall) from the twin table when the chart lacks them.

    A builder may give only ``categories`` (area labels), ``series[0]`` (rates) and
    ``extra["populations"]``; flags and limits then come from the table's columns whose keys are
    ``population``, ``rate``, ``*flag*``, ``low95``, ``high95``, ``low998``, ``high998`` and a count
    column (``crimes`` or ``count``) for the overall rate, matched on the first column.
    """
    extra = dict(chart.extra or {})
    if extra.get("points"):
        return chart
    keys = [c.key for c in table.columns]
    col = {k: i for i, k in enumerate(keys)}
    flag_i = next((i for i, k in enumerate(keys) if "flag" in k), None)
    rows = {str(r[0]): r for r in table.rows}
    labels = chart.categories or tuple(rows)
    rates = chart.series[0].values if chart.series else tuple(
        rows[lab][col["rate"]] if "rate" in col else None for lab in labels)
    pops = extra.get("populations") or [
        rows[lab][col["population"]] if "population" in col and lab in rows else None for lab in labels]
    # Points are labelled by the area's name when the table has one (an LSOA name, not its code).
    name_i = col.get("lsoa_name", col.get("name", col.get("area_name")))
    points = []
    for label, rate, pop in zip(labels, rates, pops):
        row = rows.get(str(label))
        flag = row[flag_i] if row is not None and flag_i is not None else ""
        name = row[name_i] if row is not None and name_i is not None else None
        if _number(rate) is not None and _number(pop) is not None:
            points.append({"label": str(name) if isinstance(name, str) and name else label,
                           "population": _number(pop), "rate": _number(rate),
                           "flag": "" if isinstance(flag, Suppressed) else flag or ""})
    extra["points"] = points
    if "limits" not in extra and "population" in col:
        ordered = sorted((r for r in table.rows if _number(r[col["population"]])),
                         key=lambda r: float(r[col["population"]]))
        extra["limits"] = {"population": [float(r[col["population"]]) for r in ordered]}
        for key in ("low95", "high95", "low998", "high998"):
            if key in col:
                extra["limits"][key] = [_number(r[col[key]]) for r in ordered]
    count_i = col.get("crimes", col.get("count"))
    if extra.get("overall") is None and count_i is not None and "population" in col:
        pairs = [(_number(r[count_i]), _number(r[col["population"]])) for r in table.rows]
        total_pop = sum(p for c, p in pairs if c is not None and p)
        if total_pop:
            per = float(extra.get("per", 1000))
            extra["overall"] = per * sum(c for c, p in pairs if c is not None and p) / total_pop
    return dataclasses.replace(chart, extra=extra)


def draw_funnel(chart: ChartSpec, ident: str) -> Drawn:
    extra = chart.extra or {}
    points = [p for p in extra.get("points", ()) if p.get("rate") is not None
              and p.get("population") is not None]
    limits = extra.get("limits") or {}
    overall = extra.get("overall")
    pops = [float(p["population"]) for p in points] + [float(x) for x in limits.get("population", ())]
    rates = [float(p["rate"]) for p in points]
    for key in ("low95", "high95", "low998", "high998"):
        rates += [float(v) for v in limits.get(key, ()) if v is not None]
    if overall is not None:
        rates.append(float(overall))
    x_ticks = nice_ticks(0.0, max(pops, default=1.0))
    # Limits explode at tiny populations; clip the y range to the points plus a margin.
    point_rates = [float(p["rate"]) for p in points] or rates or [1.0]
    y_hi = max(point_rates) * 1.15
    y_ticks = nice_ticks(0.0, max(y_hi, float(overall or 0) * 1.5))
    items = [(f'<line x1="0" y1="6" x2="28" y2="6" stroke="{TEXT}" stroke-width="1.5"/>', "Overall rate"),
             (f'<line x1="0" y1="6" x2="28" y2="6" stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="6 3"/>', "95% limits"),
             (f'<line x1="0" y1="6" x2="28" y2="6" stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="2 2"/>', "99.8% limits"),
             (marker("triangle", 14, 6, HIGH_COLOUR, 5), "Above the limits"),
             (marker("triangle-down", 14, 6, LOW_COLOUR, 5), "Below the limits"),
             (marker("circle", 14, 6, PLAIN, 3.5, hollow=True), "Within the limits")]
    leg, leg_h = legend(items, 10, 8, WIDTH - 20)
    top = 8 + leg_h + 14
    plot_h = 300.0
    left = 24 + 7 * max(len(tick_label(t)) for t in y_ticks) + 18
    right = WIDTH - 20
    bottom = top + plot_h
    x_of = lambda v: left + v / x_ticks[-1] * (right - left)  # noqa: E731
    y_of = lambda v: bottom - min(max(v, y_ticks[0]), y_ticks[-1]) / y_ticks[-1] * plot_h  # noqa: E731
    parts = [leg, f'<clipPath id="{ident}-clip"><rect x="{num(left)}" y="{num(top)}" '
             f'width="{num(right - left)}" height="{num(plot_h)}"/></clipPath>']
    for t in y_ticks:
        y = y_of(t)
        parts.append(f'<line x1="{num(left)}" y1="{num(y)}" x2="{num(right)}" y2="{num(y)}" stroke="{GRID}"/>')
        parts.append(text(left - 6, y + 4, tick_label(t), size=12, anchor="end", fill=MUTED))
    for t in x_ticks:
        parts.append(text(x_of(t), bottom + 16, tick_label(t), size=12, anchor="middle", fill=MUTED))
    y_label = chart.y_label or f"Rate per {extra.get('per', 1000):,}"
    mid = (top + bottom) / 2
    parts.append(text(14, mid, y_label, size=12, anchor="middle", extra=f' transform="rotate(-90 14 {num(mid)})"'))
    parts.append(text((left + right) / 2, bottom + 36, chart.x_label or "Population", size=12, anchor="middle"))
    curves = []
    lim_x = [float(x) for x in limits.get("population", ())]
    for key, dash in (("low95", "6 3"), ("high95", "6 3"), ("low998", "2 2"), ("high998", "2 2")):
        curves.append(_curve(lim_x, list(limits.get(key, ())), x_of, y_of, dash, MUTED))
    if overall is not None:
        y = y_of(float(overall))
        curves.append(f'<line x1="{num(left)}" y1="{num(y)}" x2="{num(right)}" y2="{num(y)}" '
                      f'stroke="{TEXT}" stroke-width="1.5"/>')
    parts.append(f'<g clip-path="url(#{ident}-clip)">{"".join(curves)}</g>')
    # Only outliers (outside the limits) are labelled, the most extreme first: beyond the 99.8 %
    # limits before the 95 % ones, then by distance from the overall rate.
    centre = float(overall) if overall is not None else 0.0

    def order(p):
        side = _side(p.get("flag"))
        return (side != "", "99.8" in str(p.get("flag")), abs(float(p["rate"]) - centre))

    flagged, placed = [], []
    for p in sorted(points, key=order):  # flagged drawn on top, extreme ones last
        side = _side(p.get("flag"))
        x, y = x_of(float(p["population"])), y_of(float(p["rate"]))
        if side == "high":
            parts.append(marker("triangle", x, y, HIGH_COLOUR, 5.5))
        elif side == "low":
            parts.append(marker("triangle-down", x, y, LOW_COLOUR, 5.5))
        else:
            parts.append(marker("circle", x, y, PLAIN, 3, hollow=True))
            continue
        flagged.append(p)
    for p in sorted(flagged, key=order, reverse=True):  # the most extreme get a label first
        x, y = x_of(float(p["population"])), y_of(float(p["rate"]))
        label = str(p.get("label", ""))
        w = 6.8 * len(label)
        lx = x + 8 if x + 8 + w < right else x - 8 - w
        box = (lx, y - 9, lx + w, y + 3)
        # Labels that would overprint another are left out; every flagged area is in the table.
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            placed.append(box)
            # A white backing keeps the label legible over the points it crosses.
            parts.append(f'<rect x="{num(lx - 2)}" y="{num(y - 10)}" width="{num(w + 4)}" height="15" '
                         f'fill="#ffffff" fill-opacity="0.85"/>')
            parts.append(text(lx, y + 1, label, size=11.5, fill=TEXT))
    high = sum(1 for p in flagged if _side(p.get("flag")) == "high")
    low = len(flagged) - high
    how = (f"{len(points)} areas plotted by population (horizontal) and rate (vertical) against the "
           f"overall rate and funnel limits; {high} above the limits (upward triangles) and {low} "
           f"below (downward triangles), labelled where space allows.")
    return Drawn("".join(parts), bottom + 46, how)
