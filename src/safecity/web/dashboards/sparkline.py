"""Inline SVG sparklines: a polyline and point markers, always printed with a table twin."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 160, 40, 4


@dataclass(frozen=True)
class Sparkline:
    points: str  # SVG polyline points
    dots: tuple[tuple[float, float], ...]
    width: int = WIDTH
    height: int = HEIGHT


def sparkline(values: list[float | None]) -> Sparkline | None:
    """Scale ``values`` into the box; gaps (None) are left out. None when fewer than 2 values."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return None
    low, high = min(v for _, v in known), max(v for _, v in known)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    dots = tuple((round(PAD + i * step, 1),
                  round(HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD), 1)) for i, v in known)
    return Sparkline(" ".join(f"{x},{y}" for x, y in dots), dots)
