"""The strategy's progress, read from the web app's scorecard export (``scorecard.xlsx``, sheet
"Actions": Priority, Action number, Action, Lead Agency, RAG status, Update status, As at,
Update; written by ``web/reports/scorecard_xlsx.py``). The engine never imports Django, so the
scrutiny report reads the export, not the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import AssessmentError

MAX_ROWS = 5000  # a strategy has tens of actions; a bigger sheet is not a scorecard export
COLUMNS = ("Priority", "Action number", "Action", "Lead Agency", "RAG status")


@dataclass(frozen=True)
class ProgressAction:
    priority: str
    number: str
    action: str
    lead: str
    rag: str
    as_at: str


@dataclass(frozen=True)
class Progress:
    title: str
    actions: tuple[ProgressAction, ...]

    def priorities(self) -> list[str]:
        seen: list[str] = []
        for a in self.actions:
            if a.priority not in seen:
                seen.append(a.priority)
        return seen

    def rag_counts(self, priority: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for a in self.actions:
            if a.priority == priority:
                key = a.rag or "No update"
                counts[key] = counts.get(key, 0) + 1
        return counts

    def as_at(self) -> str:
        return next((a.as_at for a in self.actions if a.as_at), "")


def read_progress(path: str | Path) -> Progress:
    """Read the export; AssessmentError (one sentence) when it is not one."""
    from openpyxl import load_workbook

    path = Path(path)
    fix = "Give the scorecard workbook the web app exports (Strategy → Scorecard → Excel)."
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a file that is not a workbook
        raise AssessmentError(f"{path}: cannot read the strategy progress workbook ({err}).",
                              fix=fix) from None
    try:
        if "Actions" not in book.sheetnames:
            raise AssessmentError(f"{path}: has no sheet called Actions, so it is not the web "
                                  "app's scorecard export.", fix=fix)
        sheet = book["Actions"]
        title, header, actions = "", None, []
        for i, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if i > MAX_ROWS:
                raise AssessmentError(f"{path}: the Actions sheet has more than {MAX_ROWS:,} "
                                      "rows, so it is not a scorecard export.", fix=fix)
            cells = ["" if v is None else str(v).strip() for v in row]
            if i == 1:
                title = cells[0] if cells else ""
            if header is None:
                if tuple(cells[:5]) == COLUMNS:
                    header = {name: j for j, name in enumerate(cells)}
                continue
            if not any(cells):
                continue

            def get(name: str) -> str:
                j = header.get(name)
                return cells[j] if j is not None and j < len(cells) else ""

            actions.append(ProgressAction(get("Priority"), get("Action number"), get("Action"),
                                          get("Lead Agency"), get("RAG status"), get("As at")))
        if header is None:
            raise AssessmentError(f"{path}: the Actions sheet has no header row "
                                  f"({', '.join(COLUMNS)}).", fix=fix)
    finally:
        book.close()
    return Progress(title, tuple(actions))
