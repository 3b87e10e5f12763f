"""The strategy's progress, read from the web app's scorecard export (``scorecard.xlsx``, sheet
"Actions": Priority, Action number, Action, Lead Agency, RAG status, Update status, As at,
Update; written by ``web/reports/scorecard_xlsx.py``). The engine never imports Django, so the
scrutiny report reads the export, not the database; the workbook is opened and bounded by
``engine/strategy_export.py``, which also reads its Strategy sheet (whose export it is, and the
current priorities)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import AssessmentError
from ...strategy_export import FIX, open_export, sheet_rows

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
    """Read the export's Actions sheet; AssessmentError (one sentence) when it is not one."""
    path = Path(path)
    with open_export(path, "strategy progress workbook") as book:
        if "Actions" not in book.sheetnames:
            raise AssessmentError(f"{path}: has no sheet called Actions, so it is not the web "
                                  "app's scorecard export.", fix=FIX)
        title, header, actions = "", None, []
        for i, cells in sheet_rows(path, book["Actions"]):
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
                                  f"({', '.join(COLUMNS)}).", fix=FIX)
    return Progress(title, tuple(actions))
