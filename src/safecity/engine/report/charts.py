"""Accessible SVG charts drawn from a ``ChartSpec``: line, bar, hbar here; heatmap, funnel and
grid_map in their own modules.

Every chart is ``<svg role="img" aria-labelledby="…">`` with a ``<title>`` (the chart title) and a
``<desc>`` (the one-sentence finding, how the series are drawn, and where the table twin is).
Series differ by dash pattern, marker or fill pattern as well as colour. The numbers are always in
the twin table printed beside the chart, so the SVG never has to carry every value.
"""

from __future__ import annotations

import math
import re

from ..assessment.model import ChartSpec
from .patterns import PATTERN_WORDS, bar_fill, bar_swatch, pattern_defs
from .svg import (WIDTH, DASH_WORDS, DASHES, FONT, Drawn, GRID, MARKER_WORDS, MARKERS, MUTED, PALETTE, TEXT,
                  esc, legend, line_swatch, marker, nice_ticks, num, text, text_lines, tick_label,
                  value_label, wrap_words)

KIND_WORDS = {"line": "Line chart", "bar": "Bar chart", "hbar": "Horizontal bar chart",
              "heatmap": "Heat map", "funnel": "Funnel plot", "grid_map": "Grid map",
              "choropleth": "Map"}


def slug(text_: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text_.lower()).strip("-") or "x"


def render_chart(chart: ChartSpec, ident: str | None = None, table_title: str = "",
                 role: str = "img") -> str:
    """The chart as one accessible ``<svg>`` element (a string of markup). ``role`` "group"
    when the chart holds keyboard stops of its own (a web map's areas: ``maps.py``).

    >>> from safecity.engine.assessment.model import ChartSpec, Series
    >>> svg = render_chart(ChartSpec("c", "Crimes", "Crime fell.", "bar", "t", ("A", "B"),
    ...                              (Series("2019/20", (3.0, 4.0)),)))
    >>> 'role="img"' in svg and "<title" in svg and "<desc" in svg
    True
    """
    ident = ident or f"chart-{slug(chart.key)}"
    drawer = _DRAWERS.get(chart.kind)
    if drawer is None:
        raise ValueError(f"Chart {chart.key!r} has kind {chart.kind!r}; expected one of "
                         f"{', '.join(_DRAWERS)}.")
    drawn = drawer(chart, ident)
    twin = f" The table “{table_title}” beside the chart gives every value." if table_title else (
        " The table beside the chart gives every value.")
    desc = f"{chart.finding} {KIND_WORDS[chart.kind]}. {drawn.how}{twin}".strip()
    height = math.ceil(drawn.height)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="{role}" class="chart" '
            f'viewBox="0 0 {num(WIDTH)} {height}" width="{num(WIDTH)}" height="{height}" '
            f'aria-labelledby="{ident}-title {ident}-desc" font-family="{esc(FONT)}">'
            f'<title id="{ident}-title">{esc(chart.title)}</title>'
            f'<desc id="{ident}-desc">{esc(desc)}</desc>'
            f'<rect width="100%" height="100%" fill="#ffffff"/>{drawn.body}</svg>')


def _values(chart: ChartSpec) -> list[float]:
    return [float(v) for s in chart.series for v in s.values if v is not None]


def _y_axis(ticks: list[float], left: float, right: float, y_of, label: str, top: float,
            bottom: float) -> str:
    parts = []
    for t in ticks:
        y = y_of(t)
        stroke = MUTED if t == 0 else GRID
        parts.append(f'<line x1="{num(left)}" y1="{num(y)}" x2="{num(right)}" y2="{num(y)}" '
                     f'stroke="{stroke}" stroke-width="1"/>')
        parts.append(text(left - 6, y + 4, tick_label(t), size=12, anchor="end", fill=MUTED))
    if label:
        mid = (top + bottom) / 2
        parts.append(text(14, mid, label, size=13, anchor="middle",
                          extra=f' transform="rotate(-90 14 {num(mid)})"'))
    return "".join(parts)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _axis_lines(label: str) -> list[str]:
    """An ISO month "2019-04" reads as "Apr" over "2019"; other labels wrap at spaces."""
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", label):
        return [MONTHS[int(label[5:]) - 1], label[:4]]
    return wrap_words(label, 14)


def _x_labels(categories: tuple[str, ...], x_of, y: float) -> tuple[str, int]:
    """Category labels under the axis, thinned so they never overprint; (svg, lines used)."""
    if not categories:
        return "", 1
    lines = [_axis_lines(c) for c in categories]
    widest = max(len(part) for ls in lines for part in ls) * 7.0 + 8
    spacing = abs(x_of(1) - x_of(0)) if len(categories) > 1 else widest
    step = max(1, math.ceil(widest / max(spacing, 1)))
    svg = "".join(text_lines(x_of(i), y, ls, size=12, fill=MUTED)
                  for i, ls in enumerate(lines) if i % step == 0)
    return svg, max(len(ls) for ls in lines)


def _series_words(chart: ChartSpec, *, bars: bool = False) -> str:
    words = []
    for i, s in enumerate(chart.series):
        if bars:
            words.append(f"{s.label} ({PATTERN_WORDS[i % len(PATTERN_WORDS)]} bars)")
        else:
            words.append(f"{s.label} ({DASH_WORDS[i % len(DASHES)]} with "
                         f"{MARKER_WORDS[i % len(MARKERS)]})")
    return "Series: " + "; ".join(words) + "." if words else ""


def _axes_words(chart: ChartSpec) -> str:
    bits = []
    if chart.x_label:
        bits.append(f"horizontal axis: {chart.x_label}")
    if chart.y_label:
        bits.append(f"vertical axis: {chart.y_label}")
    return (bits[0][0].upper() + "; ".join(bits)[1:] + ". ") if bits else ""


def _line(chart: ChartSpec, ident: str) -> Drawn:
    cats, series = chart.categories, chart.series
    leg, leg_h = legend([(line_swatch(i), s.label) for i, s in enumerate(series)], 10, 8, WIDTH - 20)
    values = _values(chart) or [0.0]
    ticks = nice_ticks(min(0.0, min(values)), max(values))
    top = 8 + leg_h + 14
    plot_h = 240.0
    left = 24 + 7.5 * max(len(tick_label(t)) for t in ticks) + (18 if chart.y_label else 0)
    right = WIDTH - 16
    bottom = top + plot_h
    n = max(len(cats), 1)
    x_of = (lambda i: (left + right) / 2) if n == 1 else (lambda i: left + 10 + i * (right - left - 20) / (n - 1))
    y_of = lambda v: bottom - (v - ticks[0]) / (ticks[-1] - ticks[0]) * plot_h  # noqa: E731
    x_svg, x_lines = _x_labels(cats, x_of, bottom + 16)
    parts = [leg, _y_axis(ticks, left, right, y_of, chart.y_label, top, bottom), x_svg]
    show_markers = n <= 60
    for i, s in enumerate(series):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        path, pen_down = [], False
        for j, v in enumerate(s.values[:n]):
            if v is None:
                pen_down = False  # a gap, not a zero: missing months are not drawn as falls
                continue
            path.append(f"{'L' if pen_down else 'M'}{num(x_of(j))},{num(y_of(float(v)))}")
            pen_down = True
        parts.append(f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5"'
                     f'{dash_attr} stroke-linejoin="round"/>')
        if show_markers:
            parts.extend(marker(MARKERS[i % len(MARKERS)], x_of(j), y_of(float(v)), colour, 3.5)
                         for j, v in enumerate(s.values[:n]) if v is not None)
    height = bottom + 10 + 14 * x_lines
    if chart.x_label:
        parts.append(text((left + right) / 2, height + 12, chart.x_label, size=13, anchor="middle"))
        height += 20
    return Drawn("".join(parts), height, _axes_words(chart) + _series_words(chart))


def _bar(chart: ChartSpec, ident: str) -> Drawn:
    cats, series = chart.categories, chart.series
    prefix = ident
    parts = [pattern_defs(prefix, len(series))]
    leg_h = 0.0
    if len(series) > 1:
        leg, leg_h = legend([(bar_swatch(prefix, i), s.label) for i, s in enumerate(series)], 10, 8,
                            WIDTH - 20)
        parts.append(leg)
    values = _values(chart) or [0.0]
    ticks = nice_ticks(min(0.0, min(values)), max(0.0, max(values)))
    top = 8 + leg_h + 18
    plot_h = 240.0
    left = 24 + 7.5 * max(len(tick_label(t)) for t in ticks) + (18 if chart.y_label else 0)
    right = WIDTH - 16
    bottom = top + plot_h
    n = max(len(cats), 1)
    band = (right - left) / n
    y_of = lambda v: bottom - (v - ticks[0]) / (ticks[-1] - ticks[0]) * plot_h  # noqa: E731
    parts.append(_y_axis(ticks, left, right, y_of, chart.y_label, top, bottom))
    group_w = band * 0.8
    bar_w = group_w / max(len(series), 1)
    label_values = n * len(series) <= 16
    zero = y_of(0.0)
    for i, s in enumerate(series):
        fill, stroke = bar_fill(prefix, i)
        for j, v in enumerate(s.values[:n]):
            x = left + j * band + band * 0.1 + i * bar_w
            if v is None:
                parts.append(text(x + bar_w / 2, zero - 4, "n/a", size=10, anchor="middle", fill=MUTED))
                continue
            y = y_of(float(v))
            parts.append(f'<rect x="{num(x + 1)}" y="{num(min(y, zero))}" width="{num(max(bar_w - 2, 1))}" '
                         f'height="{num(max(abs(zero - y), 0.5))}" fill="{fill}" stroke="{stroke}" '
                         f'stroke-width="1.5"/>')
            if label_values:
                ly = min(y, zero) - 4 if float(v) >= 0 else max(y, zero) + 12
                parts.append(text(x + bar_w / 2, ly, value_label(float(v)), size=11, anchor="middle"))
    step = max(1, math.ceil(n / 12))
    max_chars = max(int(band * step / 6.8), 3)
    wrapped = [wrap_words(c, max_chars) for c in cats]
    lines = max((len(w) for w in wrapped), default=1)
    parts.extend(text_lines(left + (j + 0.5) * band, bottom + 17, w, size=12, fill=MUTED)
                 for j, w in enumerate(wrapped) if j % step == 0)
    height = bottom + 10 + 14 * lines
    if chart.x_label:
        parts.append(text((left + right) / 2, height + 12, chart.x_label, size=13, anchor="middle"))
        height += 20
    return Drawn("".join(parts), height, _axes_words(chart) + _series_words(chart, bars=True))


HBAR_LABEL_CHARS = 24  # characters a line of a horizontal bar chart's category label holds


def _hbar(chart: ChartSpec, ident: str) -> Drawn:
    cats, series = chart.categories, chart.series
    prefix = ident
    parts = [pattern_defs(prefix, len(series))]
    leg_h = 0.0
    if len(series) > 1:
        leg, leg_h = legend([(bar_swatch(prefix, i), s.label) for i, s in enumerate(series)], 10, 8,
                            WIDTH - 20)
        parts.append(leg)
    values = _values(chart) or [0.0]
    ticks = nice_ticks(min(0.0, min(values)), max(0.0, max(values)))
    # Long labels wrap onto up to three lines rather than being cut ("Miscellaneous crimes
    # against society" reads whole); the rows grow to hold them.
    labels = [wrap_words(c, HBAR_LABEL_CHARS, lines=3) for c in cats]
    label_chars = max((len(line) for ls in labels for line in ls), default=4)
    label_lines = max((len(ls) for ls in labels), default=1)
    left = 14 + 6.8 * label_chars
    right = WIDTH - 56  # room for the value label at the end of the longest bar
    top = 8 + leg_h + 22
    row = max(10 + 16 * max(len(series), 1), 8 + 14 * label_lines)
    bottom = top + row * max(len(cats), 1)
    x_of = lambda v: left + (v - ticks[0]) / (ticks[-1] - ticks[0]) * (right - left)  # noqa: E731
    zero = x_of(0.0)
    for t in ticks:
        x = x_of(t)
        parts.append(f'<line x1="{num(x)}" y1="{num(top - 4)}" x2="{num(x)}" y2="{num(bottom)}" '
                     f'stroke="{MUTED if t == 0 else GRID}" stroke-width="1"/>')
        parts.append(text(x, top - 8, tick_label(t), size=12, anchor="middle", fill=MUTED))
    bar_h = (row - 8) / max(len(series), 1)
    for j, c in enumerate(cats):
        y0 = top + j * row + 4
        lines = labels[j]
        first = y0 + (row - 8) / 2 + 4 - (len(lines) - 1) * 12 * 1.15 / 2
        parts.append(text_lines(left - 8, first, lines, size=12, anchor="end"))
        for i, s in enumerate(series):
            v = s.values[j] if j < len(s.values) else None
            y = y0 + i * bar_h
            if v is None:
                parts.append(text(zero + 4, y + bar_h / 2 + 4, "n/a", size=10, fill=MUTED))
                continue
            fill, stroke = bar_fill(prefix, i)
            x = x_of(float(v))
            parts.append(f'<rect x="{num(min(x, zero))}" y="{num(y)}" width="{num(max(abs(x - zero), 0.5))}" '
                         f'height="{num(bar_h - 1)}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>')
            lx, anchor = (max(x, zero) + 4, "start") if float(v) >= 0 else (min(x, zero) - 4, "end")
            parts.append(text(lx, y + bar_h / 2 + 4, value_label(float(v)), size=11, anchor=anchor))
    height = bottom + 10
    if chart.x_label:
        parts.append(text((left + right) / 2, bottom + 22, chart.x_label, size=13, anchor="middle"))
        height += 18
    return Drawn("".join(parts), height, _axes_words(chart) + _series_words(chart, bars=True))


def _drawers():
    from .funnel import draw_funnel
    from .gridmap import draw_grid_map
    from .heatmap import draw_heatmap
    from .maps import draw_choropleth
    return {"line": _line, "bar": _bar, "hbar": _hbar, "heatmap": draw_heatmap,
            "funnel": draw_funnel, "grid_map": draw_grid_map, "choropleth": draw_choropleth}


_DRAWERS = _drawers()
