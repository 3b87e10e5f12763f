"""Parse the calibration reference markdown into (key, value, kind) rows with tolerances."""

from __future__ import annotations

import re
from pathlib import Path

COUNT, PCT, RATIO = "count", "percentage", "ratio"


def _number(text: str) -> float | None:
    text = text.replace("−", "-").replace(",", "").replace("+", "")
    match = re.match(r"^\s*(-?\d+(?:\.\d+)?)", text)
    return float(match.group(1)) if match else None


def _kind(key: str) -> str:
    if key.endswith(("_pct", "_change_pct")):
        return PCT
    if "ratio" in key:
        return RATIO
    return COUNT


def parse_reference(path: Path) -> list[tuple[str, float, str]]:
    """Every (key, value, kind) the reference publishes, incl. comparison-year ``_previous``.

    Table columns: key | this year | comparison year | change | note. A value with a star is
    derived; '76.1* (published as "75 %")' reads as 76.1.
    """
    out: list[tuple[str, float, str]] = []
    header: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "key":
            header = cells
            continue
        if not header or set(cells[0]) <= set("-: "):
            continue
        key = cells[0]
        row = dict(zip(header, cells))
        kind = _kind(key)
        values = [v for h, v in row.items() if h not in ("key", "note", "change")]
        if values and _number(values[0]) is not None:
            out.append((key, _number(values[0]), kind))
        if len(values) > 1 and _number(values[1]) is not None:
            out.append((f"{key}_previous", _number(values[1]), kind))
        change = row.get("change", "")
        if _number(change) is not None and not key.endswith("_change_pct"):
            out.append((f"{key}_change_pct", _number(change), PCT))
        elif _number(change) is not None:
            out.append((key, _number(change), PCT))
    return out


def within(got: float, expected: float, kind: str) -> bool:
    if kind == COUNT:
        return abs(got - expected) <= 0.02 * abs(expected)
    if kind == RATIO:
        return abs(got - expected) <= 0.10 * abs(expected)
    return abs(got - expected) <= 1.0
