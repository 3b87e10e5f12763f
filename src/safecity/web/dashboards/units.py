"""How a metric's values are labelled: the one place the scorecard, the indicator page and the
scorecard workbook get a unit from (the engine's ``Metric.unit`` and ``Metric.per``)."""

from __future__ import annotations

from ...engine.indicators import METRICS


def unit_label(metric: str) -> str:
    """ "per 100,000" for a rate per 100,000 people, "%" for a percentage, else "count"."""
    spec = METRICS.get(metric)
    if spec is None or spec.unit == "count":
        return "count"
    if spec.unit in ("percent", "%"):
        return "%"
    return f"per {spec.per:,}"


def workbook_unit(metric: str) -> str:
    """The workbook's Unit column: "count", "%" or "rate per 100,000"."""
    label = unit_label(metric)
    return f"rate {label}" if label.startswith("per ") else label
