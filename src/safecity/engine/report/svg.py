"""SVG primitives for the report's charts: escaping, scales, ticks, markers, legend, contrast.

Hand-written because no maintained Python library emits small, accessible SVG (role, title,
desc, dash patterns per series) quickly enough: matplotlib is not a dependency, is slow to import
and its SVG carries no accessibility structure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
TEXT = "#0b0c0c"  # GOV.UK text colour: 19:1 on white
MUTED = "#505a5f"  # axes and gridline labels: 7:1 on white
GRID = "#b1b4b6"  # gridlines are decoration; values are read from labels and the table
# Series colours, each at least 4.5:1 on white (tested), so lines and bars meet WCAG 1.4.11.
PALETTE = ("#1d70b8", "#b54700", "#00703c", "#912b88", "#4c2c92", "#505a5f")
# Dash patterns and markers tell series apart without colour (WCAG 1.4.1).
DASHES = ("", "8 4", "2 3", "10 3 2 3", "14 4", "4 4")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "triangle-down")
DASH_WORDS = ("solid line", "dashed line", "dotted line", "dash-dot line", "long-dashed line",
              "short-dashed line")
MARKER_WORDS = ("circles", "squares", "triangles", "diamonds", "crosses", "downward triangles")


WIDTH = 640.0  # viewBox width of every chart; about the width of an A4 text block at 96 dpi


@dataclass(frozen=True)
class Drawn:
    """The body of a chart, its height and a sentence on how to read it (for ``<desc>``)."""

    body: str
    height: float
    how: str


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def num(value: float) -> str:
    """Compact coordinate text: SVG size matters for a report with dozens of charts."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of '#rrggbb'."""
    hexa = colour.lstrip("#")
    channels = [int(hexa[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours.

    >>> contrast_ratio("#000000", "#ffffff"), round(contrast_ratio("#767676", "#ffffff"), 2)
    (21.0, 4.54)
    """
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def ink_on(fill: str) -> str:
    """Pure black or white text, whichever contrasts more with ``fill``.

    One of the two always reaches at least 4.58:1 (the square root of 21), so any shade of a
    colour ramp can carry readable text; GOV.UK's near-black would fall short on mid-tones.
    """
    return "#000000" if contrast_ratio("#000000", fill) >= contrast_ratio("#ffffff", fill) else "#ffffff"


def mix(a: str, b: str, t: float) -> str:
    """Linear blend of two '#rrggbb' colours, t in [0, 1]."""
    ca = [int(a.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    cb = [int(b.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb))


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (Heckbert's 'nice numbers').

    >>> nice_ticks(0, 87)
    [0, 20, 40, 60, 80, 100]
    """
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, value = [], start
    while value < hi - 1e-9 * step:
        ticks.append(round(value, 10))
        value += step
    ticks.append(round(value, 10))
    return ticks


def tick_label(value: float) -> str:
    if abs(value) >= 10_000 and value == int(value):
        return f"{value / 1000:,.0f}k" if value % 1000 == 0 else f"{value:,.0f}"
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def value_label(value: float | None) -> str:
    if value is None:
        return "n/a"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def text(x: float, y: float, content: object, *, size: float = 12, anchor: str = "start",
         fill: str = TEXT, weight: str = "normal", extra: str = "") -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}" '
            f'fill="{fill}"{bold}{extra}>{esc(content)}</text>')


def wrap_words(label: str, max_chars: int, lines: int = 2) -> list[str]:
    """Split a label into at most ``lines`` lines of about ``max_chars``; the last is clipped with '…'."""
    words, out, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > max_chars:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(max_chars - 1, 1)].rstrip() + "…"
    return [o if len(o) <= max_chars + 2 else o[: max(max_chars - 1, 1)] + "…" for o in out]


def text_lines(x: float, y: float, lines: list[str], *, size: float = 12, anchor: str = "middle",
               fill: str = TEXT) -> str:
    spans = "".join(f'<tspan x="{num(x)}" dy="{0 if i == 0 else num(size * 1.15)}">{esc(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}" '
            f'fill="{fill}">{spans}</text>')


def marker(kind: str, x: float, y: float, colour: str, size: float = 4.5, *,
           hollow: bool = False, open_: bool = False) -> str:
    """A point symbol; ``hollow`` fills it white, ``open_`` leaves it unfilled (outline only)."""
    fill = "none" if open_ else "#ffffff" if hollow else colour
    common = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    s = size
    if kind == "circle":
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(s)}" {common}/>'
    if kind == "square":
        return f'<rect x="{num(x - s)}" y="{num(y - s)}" width="{num(2 * s)}" height="{num(2 * s)}" {common}/>'
    if kind == "diamond":
        pts = f"{num(x)},{num(y - s * 1.3)} {num(x + s * 1.3)},{num(y)} {num(x)},{num(y + s * 1.3)} {num(x - s * 1.3)},{num(y)}"
        return f'<polygon points="{pts}" {common}/>'
    if kind == "cross":
        return (f'<path d="M{num(x - s)},{num(y - s)}L{num(x + s)},{num(y + s)}M{num(x - s)},{num(y + s)}'
                f'L{num(x + s)},{num(y - s)}" stroke="{colour}" stroke-width="2.5" fill="none"/>')
    if kind == "triangle-down":
        pts = f"{num(x - s * 1.2)},{num(y - s)} {num(x + s * 1.2)},{num(y - s)} {num(x)},{num(y + s * 1.2)}"
        return f'<polygon points="{pts}" {common}/>'
    pts = f"{num(x - s * 1.2)},{num(y + s)} {num(x + s * 1.2)},{num(y + s)} {num(x)},{num(y - s * 1.2)}"
    return f'<polygon points="{pts}" {common}/>'


def legend(items: list[tuple[str, str]], x: float, y: float, width: float) -> tuple[str, float]:
    """Lay out (swatch_svg_at_origin, label) pairs in rows; returns (svg, height used).

    Each swatch is drawn in a 28x12 box translated into place, followed by its label.
    """
    parts, cx, cy, row_h = [], x, y, 18.0
    for swatch, label in items:
        w = 36 + 7.2 * len(label)
        if cx > x and cx + w > x + width:
            cx, cy = x, cy + row_h
        parts.append(f'<g transform="translate({num(cx)},{num(cy)})">{swatch}</g>')
        parts.append(text(cx + 32, cy + 11, label, size=13))
        cx += w + 14
    return "".join(parts), (cy - y) + row_h


def line_swatch(index: int) -> str:
    colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="0" y1="6" x2="28" y2="6" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            + marker(MARKERS[index % len(MARKERS)], 14, 6, colour, 4))
