"""The web app's scorecard export (``scorecard.xlsx``, Strategy → Scorecard → Excel), as the
engine reads it. The engine never imports Django, so what the app knows of the partnership's
strategy reaches ``safecity assess`` through this file (``--progress``):

* sheet **Strategy** (written by ``web/reports/scorecard_xlsx.py``): whose strategy it is
  (``Partnership``, ``Area code``, ``Strategy`` rows), then one row per priority and measure
  (``Priority number``, ``Priority``, ``Measure``, ``Metric``: the indicator's name and its
  metric in ``engine/indicators.METRICS``). The priority-setting matrix compares its
  recommendations with these priorities (``assessment/priorities.py``);
* sheet **Actions**: each action's RAG status, for the scrutiny report
  (``report/documents/progress.py``).

An export carries its area code, and a partnership's export must not feed another's
assessment: :func:`read_strategy` refuses an export whose area is not the assessment's, and an
export made before the Strategy sheet existed (it cannot be checked).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import AssessmentError

MAX_ROWS = 5000  # a strategy has tens of priorities and actions; a bigger sheet is not an export
FIX = "Give the scorecard workbook the web app exports (Strategy → Scorecard → Excel)."
SHEET = "Strategy"
#: the rows naming whose strategy it is (first cell, second cell the value)
FIELDS = ("Partnership", "Area code", "Strategy")
COLUMNS = ("Priority number", "Priority", "Measure", "Metric")


@dataclass(frozen=True)
class StrategyPriority:
    number: str
    title: str
    measures: tuple[tuple[str, str], ...]  # (indicator name, metric key)

    @property
    def metrics(self) -> frozenset[str]:
        return frozenset(m for _, m in self.measures if m)


@dataclass(frozen=True)
class StrategyExport:
    path: str
    partnership: str
    area_code: str
    strategy: str
    priorities: tuple[StrategyPriority, ...]


@contextmanager
def open_export(path: str | Path, what: str = "scorecard workbook"):
    """The export as an openpyxl workbook (read-only), closed after; AssessmentError (one
    sentence) when the file is not a workbook."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a file that is not a workbook
        raise AssessmentError(f"{path}: cannot read the {what} ({err}).",
                              fix=FIX) from None
    try:
        yield book
    finally:
        book.close()


def sheet_rows(path: Path, sheet):
    """(line, cells as stripped text) of a sheet, refusing a sheet too big to be an export."""
    for i, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if i > MAX_ROWS:
            raise AssessmentError(f"{path}: the {sheet.title} sheet has more than {MAX_ROWS:,} "
                                  "rows, so it is not a scorecard export.", fix=FIX)
        yield i, ["" if v is None else str(v).strip() for v in row]


def read_strategy(path: str | Path, area_code: str | None = None) -> StrategyExport:
    """The partnership and its current priorities with their measures. With ``area_code``
    (the assessment's area), an export of another area is refused."""
    path = Path(path)
    with open_export(path) as book:
        if SHEET not in book.sheetnames:
            raise AssessmentError(
                f"{path}: has no Strategy sheet, so it does not say whose strategy it is (an "
                "export made by an older safecity, or not the web app's scorecard export).",
                fix="Export the scorecard again from the web app (Strategy → Scorecard → "
                    "Excel).")
        meta: dict[str, str] = {}
        header = None
        found: dict[str, StrategyPriority] = {}
        for line, cells in sheet_rows(path, book[SHEET]):
            if header is None:
                if tuple(cells[:4]) == COLUMNS:
                    header = line
                elif cells and cells[0] in FIELDS:
                    meta[cells[0]] = cells[1] if len(cells) > 1 else ""
                continue
            if not any(cells):
                continue
            number, title, measure, metric = (cells + [""] * 4)[:4]
            if not title:
                raise AssessmentError(f"{path}: line {line} of the Strategy sheet has no "
                                      "priority.", fix=FIX)
            key = f"{number}|{title}"
            had = found.get(key, StrategyPriority(number, title, ()))
            if measure or metric:
                had = StrategyPriority(number, title, had.measures + ((measure, metric),))
            found[key] = had
    if header is None:
        raise AssessmentError(f"{path}: the Strategy sheet has no header row "
                              f"({', '.join(COLUMNS)}).", fix=FIX)
    area = meta.get("Area code", "")
    if not area:
        raise AssessmentError(f"{path}: the Strategy sheet gives no area code, so it cannot be "
                              "checked as this partnership's.", fix=FIX)
    export = StrategyExport(str(path), meta.get("Partnership", ""), area,
                            meta.get("Strategy", ""), tuple(found.values()))
    if area_code is not None and area.upper() != area_code.upper():
        who = export.partnership or export.strategy or "another partnership"
        raise AssessmentError(
            f"{path}: is the scorecard export of {who} (area {area}), not of the area this "
            f"assessment is for ({area_code}); a partnership's export cannot feed another's "
            "assessment.",
            fix=f"Give the export of the strategy for {area_code}, or assess --area {area}.")
    return export
