"""Hour x weekday heat map: each cell is shaded AND carries its value, so shade is never the only cue."""

from __future__ import annotations

import math

from ..assessment.model import ChartSpec
from .svg import WIDTH, Drawn, MUTED, TEXT, ink_on, mix, num, text

LOW, HIGH = "#f3f2f1", "#003078"  # light grey to dark blue: luminance rises monotonically


def _compact(value: float) -> str:
    if value >= 9_950:
        return f"{value / 1000:.0f}k"
    if value >= 999.5:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}"


def draw_heatmap(chart: ChartSpec, ident: str) -> Drawn:
    """Rows are ``chart.series`` (weekdays), columns ``chart.categories`` (hours)."""
    cols = chart.categories or tuple(f"{h:02d}" for h in range(24))
    rows = chart.series
    values = [float(v) for s in rows for v in s.values if v is not None]
    hi = max(values, default=0.0)
    lo = min(values, default=0.0)
    left = 14 + 7.2 * max((len(s.label) for s in rows), default=3)
    top = 50.0 if chart.x_label else 30.0
    cell_w = (WIDTH - left - 10) / max(len(cols), 1)
    cell_h = 28.0
    parts = [text(left, 16, chart.x_label.capitalize(), size=12, fill=TEXT)] if chart.x_label else []
    # "07:00"-style labels do not fit 24 columns; the hour alone does, the axis title says what.
    labels = [c[:-3] if c.endswith(":00") and len(c) * 6.5 > cell_w else c for c in cols]
    step = max(1, math.ceil(max((len(c) for c in labels), default=1) * 6.5 / cell_w))
    for j, c in enumerate(labels):
        if j % step == 0:
            parts.append(text(left + (j + 0.5) * cell_w, top - 8, c, size=11, anchor="middle",
                              fill=MUTED))
    for i, s in enumerate(rows):
        y = top + i * cell_h
        parts.append(text(left - 6, y + cell_h / 2 + 4, s.label, size=12, anchor="end"))
        for j in range(len(cols)):
            v = s.values[j] if j < len(s.values) else None
            x = left + j * cell_w
            if v is None:
                parts.append(f'<rect x="{num(x)}" y="{num(y)}" width="{num(cell_w)}" height="{num(cell_h)}" '
                             f'fill="#ffffff" stroke="{MUTED}" stroke-width="0.5"/>')
                parts.append(text(x + cell_w / 2, y + cell_h / 2 + 3.5, "–", size=9, anchor="middle",
                                  fill=MUTED))
                continue
            t = 0.0 if hi == lo else (float(v) - lo) / (hi - lo)
            fill = mix(LOW, HIGH, t)
            parts.append(f'<rect x="{num(x)}" y="{num(y)}" width="{num(cell_w)}" height="{num(cell_h)}" '
                         f'fill="{fill}" stroke="#ffffff" stroke-width="1"/>')
            parts.append(text(x + cell_w / 2, y + cell_h / 2 + 3.5, _compact(float(v)), size=10,
                              anchor="middle", fill=ink_on(fill)))
    bottom = top + len(rows) * cell_h
    # A key: five swatches from the lowest to the highest value.
    key_y = bottom + 14
    parts.append(text(left, key_y + 11, "Lower", size=11, fill=TEXT))
    for k in range(5):
        fill = mix(LOW, HIGH, k / 4)
        parts.append(f'<rect x="{num(left + 44 + k * 26)}" y="{num(key_y)}" width="24" height="14" '
                     f'fill="{fill}" stroke="{MUTED}" stroke-width="0.5"/>')
    parts.append(text(left + 44 + 5 * 26 + 6, key_y + 11, "Higher", size=11, fill=TEXT))
    height = key_y + 24
    busiest = ""
    if values:
        best = max(((float(v), s.label, cols[j]) for s in rows for j, v in enumerate(s.values)
                    if v is not None and j < len(cols)), default=None)
        if best:
            busiest = f" The highest cell is {best[1]} at {best[2]} ({_compact(best[0])})."
    how = (f"Rows are {', '.join(s.label for s in rows)}; columns are {len(cols)} "
           f"{chart.x_label or 'hours'}. Each cell is shaded from light (lower) to dark (higher) and "
           f"shows its value.{busiest}")
    return Drawn("".join(parts), height, how)
