"""Bar fills that differ by pattern as well as colour, so grouped bars never rely on colour alone."""

from __future__ import annotations

from .svg import PALETTE

PATTERN_WORDS = ("solid", "diagonal hatching", "dots", "horizontal stripes", "cross-hatching",
                 "vertical stripes")


def pattern_defs(prefix: str, count: int) -> str:
    """<pattern> elements for the first ``count`` series (series 0 is a plain fill, no pattern)."""
    defs = []
    for i in range(1, count):
        colour = PALETTE[i % len(PALETTE)]
        kind = i % len(PATTERN_WORDS)
        pid = f"{prefix}-p{i}"
        body = {
            1: f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{colour}" stroke-width="2"/>',
            2: f'<circle cx="4" cy="4" r="1.8" fill="{colour}"/>',
            3: f'<rect x="0" y="0" width="8" height="3" fill="{colour}"/>',
            4: (f'<path d="M0,0 L8,8 M8,0 L0,8" stroke="{colour}" stroke-width="1.5"/>'),
            5: f'<rect x="0" y="0" width="3" height="8" fill="{colour}"/>',
        }.get(kind, f'<rect width="8" height="8" fill="{colour}"/>')
        defs.append(f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
                    f'<rect width="8" height="8" fill="#ffffff"/>{body}</pattern>')
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def bar_fill(prefix: str, index: int) -> tuple[str, str]:
    """(fill, stroke) for series ``index``: solid colour first, then patterns outlined in colour."""
    colour = PALETTE[index % len(PALETTE)]
    if index == 0:
        return colour, colour
    return f"url(#{prefix}-p{index})", colour


def bar_swatch(prefix: str, index: int) -> str:
    fill, stroke = bar_fill(prefix, index)
    return f'<rect x="2" y="0" width="24" height="12" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
