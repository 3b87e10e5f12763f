"""How values print in the report: one place, so tables, figures and notes agree.

Percent and change_pct values are percentages (12.3 means 12.3 %), not fractions. ``None`` prints
as "n/a" and ``Suppressed`` as "[c]"; each gets a footnote wherever it appears.
"""

from __future__ import annotations

import math
from typing import Any

from ..assessment.model import Figure, Suppressed

MINUS = "\u2212"  # a true minus sign reads better than a hyphen in tables
NA = "n/a"


def _signed(text: str, value: float) -> str:
    if value > 0:
        return "+" + text
    return text.replace("-", MINUS)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: Any, kind: str = "text") -> str:
    """A cell value as text for its column kind.

    >>> format_value(12345, "count"), format_value(7.44, "change_pct"), format_value(-3.2, "change_pct")
    ('12,345', '+7.4%', '−3.2%')
    >>> format_value(Suppressed(), "count"), format_value(None, "rate"), format_value(0.0004, "p_value")
    ('[c]', 'n/a', '<0.001')
    >>> format_value((37.108, 65.92), "interval")
    '37.1 to 65.9'
    """
    if isinstance(value, Suppressed):
        return "[c]"
    if _is_missing(value):
        return NA
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "interval" and isinstance(value, (tuple, list)) and len(value) == 2:
        low, high = value
        if _is_missing(low) or _is_missing(high):
            return NA
        return f"{format_value(low, 'rate')} to {format_value(high, 'rate')}"
    if isinstance(value, str) or not isinstance(value, (int, float)):
        return str(value)
    if kind == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if kind == "rate":
        return f"{value:,.1f}" if abs(value) >= 0.1 or value == 0 else f"{value:,.3f}"
    if kind == "percent":
        return f"{value:,.1f}%"
    if kind == "change_pct":
        return _signed(f"{value:,.1f}%", value)
    if kind == "p_value":
        return "<0.001" if value < 0.001 else f"{value:.3f}"
    if kind == "ratio":
        return f"{value:,.2f}"
    return plain_number(value)


def plain_number(value: int | float) -> str:
    """Integers with thousands separators; other numbers to 1 decimal place (2 below 1)."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{value:,.0f}".replace("-", MINUS)
    if abs(value) < 1:
        return f"{value:.2f}".replace("-", MINUS)
    return f"{value:,.1f}".replace("-", MINUS)


def format_figure(figure: Figure) -> str:
    """A headline figure with its unit: '12.3%', '45.2 per 1,000', '+1.2 percentage points'."""
    value, unit = figure.value, figure.unit.strip()
    if isinstance(value, Suppressed):
        return "[c]"
    if _is_missing(value):
        return NA
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return format_value(value)
    if unit == "%":
        return f"{value:,.1f}%"
    if unit in {"pp", "percentage points"}:
        return _signed(f"{value:,.1f}", value) + " percentage points"
    if unit in {"change_pct", "% change"}:
        return format_value(value, "change_pct")
    number = plain_number(value)
    return f"{number} {unit}" if unit else number


def is_numeric_kind(kind: str) -> bool:
    return kind in {"count", "rate", "percent", "change_pct", "p_value", "ratio", "interval"}
