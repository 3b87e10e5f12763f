"""The Strategic Assessment as one self-contained, accessible HTML page (WCAG 2.2 AA).

Inline CSS, inline SVG, no scripts, fonts or network. The same HTML is printed to PDF by
``pdf.py``; print rules live in the same stylesheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..assessment.model import (Figure, Section, StrategicAssessment, Suppressed,
                                TableResult)
from ..errors import AssessmentError
from .charts import render_chart, slug
from .funnel import complete_from_table
from .format import NA, format_figure, format_value, is_numeric_kind

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool
    header: bool
    suppressed: bool


@dataclass(frozen=True)
class TableView:
    ident: str
    title: str
    caption: str
    headers: tuple[tuple[str, bool], ...]  # (label, numeric)
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...]
    suppressed_reasons: tuple[str, ...]  # distinct reasons of [c] cells; empty if none
    has_na: bool
    col_widths: tuple[float, ...] = ()  # percentages, for long tables laid out "fixed" in print


@dataclass(frozen=True)
class ChartView:
    ident: str
    title: str
    finding: str
    svg: Markup
    table: TableView
    beside: bool  # a short, narrow twin sits beside the chart; a long or wide one goes below
    appendix: bool = False  # a long twin (every LSOA, every cell) is printed in the appendix
    csv_name: str = ""


@dataclass(frozen=True)
class FigureView:
    label: str
    value: str
    metric: str  # anchor of its definition, "" when it has none
    suppressed: bool


@dataclass(frozen=True)
class SectionView:
    ident: str
    heading: str
    section: Section
    figures: tuple[FigureView, ...]
    charts: tuple[ChartView, ...]
    tables: tuple[TableView, ...]  # tables that are not a chart's twin
    figure_suppressed: bool
    definitions: tuple[tuple[str, str], ...] = ()  # (anchor, name) in the appendix


def _table_view(table: TableResult, ident: str) -> TableView:
    kinds = [c.kind for c in table.columns]
    # A header that already says "(%)" makes a % sign in every cell noise.
    bare = [k in {"percent", "change_pct"} and "%" in c.label for k, c in zip(kinds, table.columns)]
    row_header = bool(kinds) and kinds[0] == "text"
    rows, reasons, has_na = [], [], False
    for row in table.rows:
        cells = []
        for i, value in enumerate(row):
            kind = kinds[i] if i < len(kinds) else "text"
            if isinstance(value, Suppressed) and value.reason not in reasons:
                reasons.append(value.reason)
            text = format_value(value, kind)
            if i < len(bare) and bare[i] and text.endswith("%"):
                text = text[:-1]
            has_na = has_na or text == NA
            cells.append(Cell(text, is_numeric_kind(kind), row_header and i == 0,
                              isinstance(value, Suppressed)))
        rows.append(tuple(cells))
    return TableView(ident, table.title, table.caption,
                     tuple((c.label, is_numeric_kind(c.kind)) for c in table.columns), tuple(rows),
                     table.notes, tuple(reasons), has_na, _column_widths(table, rows))


LONG_TABLE = 40  # rows; longer tables get fixed column widths in print


def _column_widths(table: TableResult, rows: list[tuple[Cell, ...]]) -> tuple[float, ...]:
    """Column shares from the longest text in each column (capped), as percentages.

    WeasyPrint's automatic table layout measures every cell twice; for long tables (an LSOA
    table runs to hundreds of rows) widths computed here and ``table-layout: fixed`` in print
    halve the table's layout time with the same look.
    """
    if len(rows) <= LONG_TABLE or not table.columns:
        return ()
    widths = []
    for j, column in enumerate(table.columns):
        longest_word = max((len(w) for w in column.label.split()), default=1)
        longest_cell = max((len(r[j].text) for r in rows if j < len(r)), default=1)
        widths.append(min(max(longest_word, longest_cell, 3), 32) + 2)
    total = sum(widths)
    return tuple(round(100 * w / total, 2) for w in widths)


def _figure_view(figure: Figure, metric_keys: set[str]) -> FigureView:
    anchor = f"def-{slug(figure.metric)}" if figure.metric in metric_keys else ""
    return FigureView(figure.label, format_figure(figure), anchor,
                      isinstance(figure.value, Suppressed))


#: A chart's twin table longer than this (every LSOA, every hotspot cell) is printed in the
#: appendix, and the main text links to it and to its CSV.
APPENDIX_ROWS = 30


def appendix_ident(key: str) -> str:
    return f"appendix-table-{slug(key)}"


def _section_view(section: Section, metric_keys: set[str], all_tables: dict[str, TableResult],
                  names: dict[str, str] | None = None) -> SectionView:
    sid = f"section-{slug(section.key)}"
    own = {t.key: t for t in section.tables}
    charts, twins = [], set()
    for chart in section.charts:
        table = own.get(chart.table_key) or all_tables.get(chart.table_key)
        if table is None:
            raise AssessmentError(
                f"Chart {chart.key!r} in section {section.key!r} names table {chart.table_key!r}, "
                "which the assessment does not contain; every chart must have its table twin.")
        twins.add(table.key)
        cid = f"{sid}-chart-{slug(chart.key)}"
        if chart.kind == "funnel":
            chart = complete_from_table(chart, table)
        svg = render_chart(chart, cid, table.title)
        beside = len(table.rows) <= 16 and len(table.columns) <= 3
        long_twin = len(table.rows) > APPENDIX_ROWS
        view = _table_view(table, appendix_ident(table.key) if long_twin else f"{cid}-table")
        charts.append(ChartView(cid, chart.title, chart.finding, Markup(svg), view, beside,
                                long_twin, f"tables/{table.key}.csv"))
    tables = tuple(_table_view(t, f"{sid}-table-{slug(t.key)}") for t in section.tables
                   if t.key not in twins)
    figures = tuple(_figure_view(f, metric_keys) for f in section.figures)
    names = names or {}
    defs = tuple((f"def-{slug(k)}", names[k]) for k in getattr(section, "definitions", ())
                 if k in names)
    return SectionView(sid, f"{section.number}. {section.title}", section, figures, tuple(charts),
                       tables, any(f.suppressed for f in figures), defs)


def _kind_title(assessment: StrategicAssessment) -> str:
    if getattr(assessment, "kind", "annual") == "monthly":
        return "Monthly performance pack"
    if getattr(assessment, "kind", "annual") == "serious_violence":
        return "Serious violence strategic needs assessment"
    return "Community Safety Strategic Assessment"


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _generated(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    if len(text) <= 10:
        return _long_date(moment.date())
    return f"{_long_date(moment.date())} at {moment:%H:%M}"


SETTING_LABELS = {"non_recent_months": "Non-recent threshold (months)",
                  "comparator_csps": "Comparator CSPs", "crime_source": "Crime data source",
                  "weights_source": "Harm weights source", "weights_coverage": "Harm weights coverage"}


def _setting_rows(settings: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in settings.items():
        if key in {"suppression_threshold", "weights_edition"}:
            continue
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value) or "none"
        elif isinstance(value, dict):
            continue  # nested settings are described in the sections that use them
        rows.append((SETTING_LABELS.get(key, key.replace("_", " ").capitalize()), format_value(value)))
    return rows


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["stylesheet"] = Markup((TEMPLATES / "report.css").read_text(encoding="utf-8"))
    from ..assessment.findings import since_value

    env.globals["since_value"] = since_value  # the since-last table, as the documents print it
    return env


def _findings_rule() -> str:
    from ..assessment.findings import RULE_SUMMARY

    return RULE_SUMMARY


def render_html(assessment: StrategicAssessment) -> str:
    """The whole report as a single HTML document (a string)."""
    metric_keys = {d.key for d in assessment.definitions}
    all_tables = {t.key: t for s in assessment.sections for t in s.tables}
    names = {d.key: d.name for d in assessment.definitions}
    sections = [_section_view(s, metric_keys, all_tables, names) for s in assessment.sections]
    appendix_tables, seen = [], set()
    for v in sections:
        for c in v.charts:
            if c.appendix and c.table.ident not in seen:
                seen.add(c.table.ident)
                appendix_tables.append((c.table, c.csv_name))
    threshold = assessment.settings.get("suppression_threshold")
    any_suppressed = any(v.figure_suppressed or any(t.suppressed_reasons for t in v.tables)
                         or any(c.table.suppressed_reasons for c in v.charts) for v in sections)
    context = {
        "a": assessment,
        "title": f"{assessment.area_name} {_kind_title(assessment)} {assessment.period.label}",
        "kind_title": _kind_title(assessment),
        "sections": sections,
        "unavailable": [v for v in sections if not v.section.available],
        "partial": [v for v in sections if v.section.available and v.section.partial],
        # Parts the builder lists without a Section of their own (e.g. in the monthly pack).
        "other_unavailable": [(title, reason) for title, reason in
                              getattr(assessment, "not_available", ())
                              if title not in {v.section.title for v in sections}],
        "threshold": threshold,
        "weights_edition": assessment.settings.get("weights_edition"),
        "other_settings": _setting_rows(assessment.settings),
        "any_suppressed": any_suppressed,
        "generated": _generated(assessment.generated_at),
        "long_date": _long_date,
        "population": format_value(assessment.population, "count") if assessment.population else None,
        "definitions": [(f"def-{slug(d.key)}", d) for d in assessment.definitions],
        "findings_rule": _findings_rule(),
        "appendix_tables": appendix_tables,
    }
    return _environment().get_template("report.html").render(**context)


__all__ = ["render_html"]
