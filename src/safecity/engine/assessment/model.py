"""The shape of an assessment: small frozen dataclasses shared by the sections and the renderers.

A section builder returns a ``Section``; ``build.py`` assembles a ``StrategicAssessment``. The
renderers (JSON, CSV, HTML, PDF) and the web app read only these types. Impossible ratios are
``None``, never 0 or NaN; a suppressed count is ``Suppressed`` so no renderer can print it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Suppressed:
    """A published cell withheld by disclosure control. Renders as '[c]' (ONS convention)."""

    reason: str = "fewer than the suppression threshold"

    def __str__(self) -> str:
        return "[c]"


Value = int | float | str | bool | None | Suppressed

ColumnKind = Literal["text", "count", "rate", "percent", "change_pct", "p_value", "ratio",
                     "interval", "flag"]


@dataclass(frozen=True)
class TableColumn:
    key: str
    label: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class TableResult:
    """A table: the CSV output, the HTML table, and the twin of any chart built on it."""

    key: str  # file name stem of its CSV, unique within an assessment
    title: str
    columns: tuple[TableColumn, ...]
    rows: tuple[tuple[Value, ...], ...]
    caption: str = ""
    notes: tuple[str, ...] = ()
    # True when disclosure control applies (victim, offender, youth or sensitive-offence
    # breakdowns): no count cell below the suppression threshold may be published.
    sensitive: bool = False


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]


ChartKind = Literal["line", "bar", "hbar", "heatmap", "funnel", "grid_map", "choropleth"]


@dataclass(frozen=True)
class ChartSpec:
    """A chart is always drawn from a table (``table_key``) that is printed beside it."""

    key: str
    title: str
    finding: str  # one plain-English sentence: what the chart shows
    kind: ChartKind
    table_key: str
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    x_label: str = ""
    y_label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific (funnel limits, grid)


@dataclass(frozen=True)
class Figure:
    """A headline number with its definition key (see ``metrics.py`` / docs/metrics.md)."""

    key: str
    label: str
    value: Value
    unit: str = ""  # "", "%", "per 1,000", "pp"…
    metric: str = ""  # key into the metric definitions


@dataclass(frozen=True)
class Section:
    key: str  # e.g. "overview", "crime_groups", "harm"
    number: int
    title: str
    available: bool = True
    unavailable_reason: str = ""  # why, when the data lacks what the section needs
    narrative: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[TableResult, ...] = ()
    charts: tuple[ChartSpec, ...] = ()
    caveats: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()  # parts of the section not available, each with its reason
    definitions: tuple[str, ...] = ()  # keys of the definitions of the figures it publishes


@dataclass(frozen=True)
class Period:
    label: str  # "2019/20", "Oct 2018 – Feb 2019", "30 Sep – 30 Nov 2020"
    start: dt.date  # inclusive
    end: dt.date  # inclusive


@dataclass(frozen=True)
class MetricDefinition:
    key: str
    name: str
    definition: str
    source_fields: str
    filters: str
    caveats: str = ""


@dataclass(frozen=True)
class StrategicAssessment:
    area_code: str
    area_name: str
    period: Period
    comparison: Period
    custom_period: Period | None
    custom_comparison: Period | None
    generated_at: str
    population: int | None
    data_coverage: tuple[str, ...]  # sentences on what data was used (sources, months, gaps)
    sections: tuple[Section, ...]
    headlines: tuple[tuple[str, Value], ...]  # (key, value) rows of headlines.csv
    definitions: tuple[MetricDefinition, ...]
    settings: dict[str, Any] = field(default_factory=dict)  # suppression threshold, weights edition…
    # the strategic assessment, the monthly pack, or the Serious Violence Duty needs assessment
    kind: Literal["annual", "monthly", "serious_violence"] = "annual"
    not_available: tuple[tuple[str, str], ...] = ()  # (section title, reason) for the report
    # the priority-setting matrix (priorities.PriorityMatrix) when --priorities was given
    priorities: Any = None
    # key findings and the executive summary (findings.Findings), with "since the last
    # assessment" when a previous run was given; attached by findings.attach
    findings: Any = None
