"""The scorecard as an Excel workbook: one sheet of actions with their RAG status, one of indicators
with their trend, baseline, target and whether the latest change is significant, and one
(Strategy) saying whose strategy it is with its priorities and their measures, which
``safecity assess --progress`` reads (the engine cannot read the app's database).

Takes plain data (``Scorecard``) so it is tested without a database; ``build.py`` fills it.
Numbers are written as numbers (not text) so people can chart and filter them in Excel; a value
the engine could not compute is an empty cell, never 0. Every text cell goes through ``_append``:
characters XML cannot hold are removed and text is stored as a string cell, never a formula
(``engine/safe_text.py``), whatever a name or action starts with.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ...engine.safe_text import is_formula_like, xml_text


@dataclass(frozen=True)
class ScorecardAction:
    number: str
    text: str
    lead: str
    rag: str  # "Red", "Amber", "Green", "Complete" or "" when no update
    status: str  # the update's state in the cycle: "Approved", "Submitted", "Not started"…
    as_at: str = ""  # the cycle the RAG and status are from: "Autumn meeting (16 October 2022)"
    update: str = ""  # the approved update's text


@dataclass(frozen=True)
class ScorecardIndicator:
    name: str
    direction: str  # "Lower is better" / "Higher is better"
    unit: str  # "count" or "rate per 100,000"
    baseline: float | None
    baseline_label: str
    target: float | None
    trend: tuple[tuple[str, float | None], ...]  # (period label, value), oldest first
    change_pct: float | None  # latest period against the same period a year before
    significance: str  # e.g. "significant rise", "no significant change", "" when not tested
    metric: str = ""  # the engine metric it is computed on (engine/indicators.METRICS)


@dataclass(frozen=True)
class ScorecardPriority:
    number: int
    title: str
    actions: tuple[ScorecardAction, ...]
    indicators: tuple[ScorecardIndicator, ...]


@dataclass(frozen=True)
class Scorecard:
    title: str
    cycle: str  # the reporting cycle whose RAG statuses are shown
    priorities: tuple[ScorecardPriority, ...]
    generated: date
    #: whose strategy it is, on the Strategy sheet: ``safecity assess --progress`` refuses the
    #: export of another area (engine/strategy_export.py)
    partnership: str = ""
    area_code: str = ""
    strategy: str = ""


# Fills echo the RAG colours on screen; the status is always written as text too.
_RAG_FILL = {"Red": "F4C7C3", "Amber": "FCE8B2", "Green": "B7E1CD", "Complete": "C9DAF8"}
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def render_scorecard_xlsx(scorecard: Scorecard) -> bytes:
    book = Workbook()
    actions = book.active
    actions.title = "Actions"
    _title(actions, scorecard, f"RAG statuses for {scorecard.cycle}")
    _header(actions, ("Priority", "Action number", "Action", "Lead Agency", "RAG status",
                      "Update status", "As at", "Update"), widths=(34, 10, 60, 28, 12, 16, 30, 80))
    for priority in scorecard.priorities:
        for action in priority.actions:
            _append(actions, [priority.title, action.number, action.text, action.lead,
                              action.rag or None, action.status, action.as_at or None,
                              action.update or None])
            row = actions.max_row
            for cell in actions[row]:
                cell.alignment = _WRAP
            if action.rag in _RAG_FILL:
                actions.cell(row, 5).fill = PatternFill("solid", fgColor=_RAG_FILL[action.rag])
    _finish(actions)

    indicators = book.create_sheet("Indicators")
    _title(indicators, scorecard, "Indicators computed from the warehouse")
    periods = _period_labels(scorecard)
    _header(indicators, ("Priority", "Indicator", "Unit", "Direction", "Baseline period",
                         "Baseline", "Target", *periods, "Change on a year before (%)",
                         "Significance"),
            widths=(34, 34, 16, 18, 14, 11, 11, *([11] * len(periods)), 16, 24))
    for priority in scorecard.priorities:
        for indicator in priority.indicators:
            values = dict(indicator.trend)
            _append(indicators, [priority.title, indicator.name, indicator.unit,
                               indicator.direction, indicator.baseline_label or None,
                               indicator.baseline, indicator.target,
                               *(values.get(p) for p in periods),
                               None if indicator.change_pct is None else indicator.change_pct / 100,
                               indicator.significance or None])
            row = indicators.max_row
            for cell in indicators[row]:
                cell.alignment = _WRAP
            for column in range(6, 8 + len(periods)):
                indicators.cell(row, column).number_format = "#,##0.0"
            indicators.cell(row, 8 + len(periods)).number_format = "0.0%"
    _finish(indicators)

    _strategy_sheet(book, scorecard)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _strategy_sheet(book, scorecard: Scorecard) -> None:
    """Whose strategy it is and its priorities with their measures, in the layout
    ``engine/strategy_export.py`` reads (one source of its names: FIELDS and COLUMNS there)."""
    from ...engine.strategy_export import COLUMNS, FIELDS, SHEET

    sheet = book.create_sheet(SHEET)
    _title(sheet, scorecard, "The current strategy's priorities and their measures, read by "
                             "safecity assess --progress")
    for name, value in zip(FIELDS, (scorecard.partnership, scorecard.area_code,
                                    scorecard.strategy)):
        _append(sheet, [name, value or None])
        sheet.cell(sheet.max_row, 1).font = _BOLD
    _append(sheet, [])
    _header(sheet, COLUMNS, widths=(16, 40, 40, 30))
    header_row = sheet.max_row
    for priority in scorecard.priorities:
        rows = [(i.name, i.metric or None) for i in priority.indicators] or [(None, None)]
        for name, metric in rows:
            _append(sheet, [priority.number, priority.title, name, metric])
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)


def _append(sheet, values) -> None:
    """Append one row; text is cleaned of what XML cannot hold and typed as a string, so a
    value starting with "=" is shown as typed instead of being run as a formula."""
    sheet.append([xml_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and is_formula_like(cell.value):
            cell.data_type = "s"


def _period_labels(scorecard: Scorecard) -> list[str]:
    labels: list[str] = []
    for priority in scorecard.priorities:
        for indicator in priority.indicators:
            for label, _value in indicator.trend:
                if label not in labels:
                    labels.append(label)
    return labels


def _title(sheet, scorecard: Scorecard, what: str) -> None:
    _append(sheet, [scorecard.title])
    sheet["A1"].font = Font(bold=True, size=14)
    _append(sheet, [f"{what}. Produced by safecity on {scorecard.generated:%-d %B %Y}."])
    _append(sheet, [])


def _header(sheet, names, widths) -> None:
    _append(sheet, list(names))
    for index, (cell, width) in enumerate(zip(sheet[sheet.max_row], widths), start=1):
        cell.font = _BOLD
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width


def _finish(sheet) -> None:
    header_row = 4
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    last = get_column_letter(sheet.max_column)
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(sheet.max_row, header_row)}"
