"""Turn an existing action plan or progress table (DOCX, XLSX or CSV) into a ``ParsedPlan``.

A partnership starts by importing the Word table it already keeps: Priority | Action | Lead
Agency | Update. Such tables are laid out for printing, not for machines, so the reader follows
the habits of people editing them in Word:

- the header row is repeated after each page break (or the table is split into several tables);
- a blank Priority cell means "the same priority as above"; a merged cell reads the same way;
- a priority, action or lead-agency cell that runs over a page break continues in the next row:
  a row whose Action text starts in lower case is the rest of the action above, and so is a row
  with an empty Action cell (its Lead Agency adds agencies, its Update adds paragraphs);
- several agencies share a lead cell, separated by commas, "/", ";", line breaks, "and" or "&";
  "All" is a lead value of its own. "and"/"&" also occur inside names ("Fire and Rescue
  Service"), so they only split a cell into names the partnership already has or that the same
  file sets apart with a comma, "/" or line break; anything else stays whole and is noted;
- a priority may instead be a full-width heading row above its actions.

The result is plain frozen data for the preview page; nothing is written until the coordinator
confirms (see ``import_views.py``). No Django here.

>>> import io, csv
>>> buf = io.StringIO()
>>> csv.writer(buf).writerows([
...     ["Priority", "Action", "Lead agency", "Update"],
...     ["Safer streets", "Light the underpass", "City Council and Bus Trust", "Done."],
...     ["", "Patrol the park at night", "All", "Started."],
...     ["", "", "", "Second patrol added in May."],
...     ["", "Fix the lights", "Bus Trust", ""]])
>>> plan = parse_plan(io.BytesIO(buf.getvalue().encode()), "plan.csv",
...                   known_agencies=["City Council"])
>>> [(a.text, a.lead_agencies) for a in plan.priorities[0].actions]
[('Light the underpass', ('City Council', 'Bus Trust')), ('Patrol the park at night', ('All',)), ('Fix the lights', ('Bus Trust',))]
>>> plan.priorities[0].actions[1].update
'Started.\\nSecond patrol added in May.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable

from safecity.engine.errors import SourceError

from .plan_grid import SPAN, Grid, read_document

ALL = "All"  # the lead value meaning every agency in the partnership
_ALL_SPELLINGS = {"all", "all agencies", "all partners", "all partner agencies"}


@dataclass(frozen=True)
class ParsedAction:
    text: str
    lead_agencies: tuple[str, ...]
    update: str  # paragraphs separated by "\n"; "" when the table has no update
    source: str  # where the action starts, as the person would find it: "table 1, row 3"


@dataclass(frozen=True)
class ParsedPriority:
    title: str
    actions: tuple[ParsedAction, ...]


@dataclass(frozen=True)
class ParsedPlan:
    title: str  # text above the table in a Word file, else ""
    priorities: tuple[ParsedPriority, ...]
    notes: tuple[str, ...] = ()  # rows read as continuations, for the preview to show

    @property
    def actions(self) -> tuple[ParsedAction, ...]:
        return tuple(a for p in self.priorities for a in p.actions)

    @property
    def agencies(self) -> tuple[str, ...]:
        """Every named lead agency in first-seen order, once each however it is spelt (see
        ``agency_key``); "All" is not an agency."""
        seen: dict[str, str] = {}
        for action in self.actions:
            for name in action.lead_agencies:
                if name != ALL:
                    seen.setdefault(agency_key(name), name)
        return tuple(seen.values())


@dataclass(frozen=True)
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class PlanImportError(SourceError):
    """The file cannot be imported as it stands; ``problems`` lists each place to fix."""

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        first = str(problems[0])
        more = f" ({len(problems) - 1} more problems are listed on the preview page.)" if len(problems) > 1 else ""
        super().__init__(filename, first + more)


def parse_plan(source: str | Path | BinaryIO, filename: str,
               known_agencies: Iterable[str] = ()) -> ParsedPlan:
    """Read an action plan. ``known_agencies`` (the partnership's agencies) help split lead
    cells such as "Police and Probation" whose parts are single words.

    Raises ``SourceError`` for an unreadable file and ``PlanImportError`` listing every row that
    cannot be understood.
    """
    document = read_document(source, filename)
    reader = _PlanReader(filename, {agency_key(name) for name in known_agencies})
    for grid in document.grids:
        reader.read_grid(grid)
    return reader.finish(document.preamble[0] if document.preamble else "")


# -- header recognition ---------------------------------------------------------------------------

def _column_kind(text: str) -> str | None:
    words = re.sub(r"[^a-z ]", " ", text.casefold()).split()
    if not words:
        return None
    if words[0].startswith("priorit") or words[0] in {"theme", "objective"}:
        return "priority"
    if words[0].startswith("action"):
        return "action"
    if "lead" in words or words[0] == "owner":
        return "lead"
    if any(w.startswith("update") for w in words) or words[0] == "progress":
        return "update"
    return None


def _header_mapping(cells: tuple[str, ...]) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for index, text in enumerate(cells):
        kind = _column_kind(text) if text != SPAN else None
        if kind and kind not in mapping:
            mapping[kind] = index
    return mapping if {"action", "lead"} <= mapping.keys() else None


# -- lead agencies --------------------------------------------------------------------------------

def agency_key(name: str) -> str:
    """What two spellings of one agency's name have in common: the comparison behind every
    match of a lead agency in a file, to another in the same file or to an agency safecity
    already has. Case, spacing, punctuation, "&" for "and" and plurals are ignored.

    >>> agency_key("Probation Service") == agency_key("probation  services")
    True
    >>> agency_key("Health & Wellbeing Board") == agency_key("health and wellbeing boards")
    True
    >>> agency_key("Police") == agency_key("Probation")
    False
    >>> agency_key("Children's Services") == agency_key("Childrens Service")
    True
    """
    text = re.sub(r"['’]", "", name.casefold()).replace("&", " and ")
    return " ".join(_singular(word) for word in re.sub(r"[\W_]+", " ", text).split())


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_SEPARATORS = re.compile(r"\s*(?:,|;|/|\n)\s*")
_AND = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
_EDGE_AND = re.compile(r"^(?:and|&)\s+|\s+(?:and|&)$", re.IGNORECASE)


def lead_fragments(cell: str) -> list[str]:
    """The cell split on its unambiguous separators (commas, "/", ";", line breaks)."""
    fragments = (_EDGE_AND.sub("", f.strip()).strip() for f in _SEPARATORS.split(cell))
    return [f for f in fragments if f]


def split_lead_agencies(cell: str, known: Iterable[str] = ()) -> tuple[str, ...]:
    """Split a lead cell into agency names, keeping each name as written.

    "and"/"&" split only where every part is a ``known`` name (compared ignoring case), because
    they also occur inside names.

    >>> split_lead_agencies("Hampshire Fire and Rescue / Police, All")
    ('Hampshire Fire and Rescue', 'Police', 'All')
    >>> split_lead_agencies("Police & Probation", known={"police", "probation"})
    ('Police', 'Probation')
    """
    known = {agency_key(k) for k in known}
    names: list[str] = []
    for fragment in lead_fragments(cell):
        parts = _AND.split(fragment)
        if len(parts) > 1 and agency_key(fragment) not in known and all(
                agency_key(p) in known for p in parts):
            pieces = parts
        else:
            pieces = [fragment]
        for piece in pieces:
            name = ALL if piece.casefold() in _ALL_SPELLINGS else piece
            if agency_key(name) not in {agency_key(n) for n in names}:
                names.append(name)
    return tuple(names)


# -- reading rows ---------------------------------------------------------------------------------

def _starts_lower(text: str) -> bool:
    """True when the first letter is lower case: the text carries on from the row above."""
    for char in text:
        if char.isalpha():
            return char.islower()
    return False


@dataclass
class _ActionDraft:
    text: str
    source: str
    leads: list[str] = field(default_factory=list)
    update: list[str] = field(default_factory=list)

    def add_update(self, text: str) -> None:
        if not text:
            return
        if self.update and _starts_lower(text):
            self.update[-1] += " " + text  # a sentence carried over a page break
        else:
            self.update.append(text)


@dataclass
class _PriorityDraft:
    title: str
    actions: list[_ActionDraft] = field(default_factory=list)


class _PlanReader:
    def __init__(self, filename: str, known: set[str]) -> None:
        self.filename = filename
        self.known = known
        self.mapping: dict[str, int] | None = None
        self.width = 0
        self.priorities: list[_PriorityDraft] = []
        self.priority: _PriorityDraft | None = None
        self.action: _ActionDraft | None = None
        self.problems: list[Problem] = []
        self.notes: list[str] = []

    def read_grid(self, grid: Grid) -> None:
        for row_label, cells in grid.rows:
            where = f"{grid.label}, {row_label}" if grid.label != "the file" else row_label
            mapping = _header_mapping(cells)
            if mapping is not None:
                # A first header, or one repeated after a page break: either way not data.
                self.mapping, self.width = mapping, len(cells)
                continue
            if self.mapping is None or not any(c and c != SPAN for c in cells):
                continue  # text above the table, or an empty row
            self.read_row(where, cells)

    def cell(self, cells: tuple[str, ...], kind: str) -> str:
        index = self.mapping.get(kind) if self.mapping else None
        if index is None or index >= len(cells) or cells[index] == SPAN:
            return ""
        return cells[index]

    def read_row(self, where: str, cells: tuple[str, ...]) -> None:
        filled = [c for c in cells if c and c != SPAN]
        heading = len(filled) == 1 and cells.count(SPAN) >= 1 and cells[0] == filled[0]
        if heading or ("priority" not in self.mapping and len(filled) == 1
                       and self.cell(cells, "action") == "" and cells[0] == filled[0]):
            # A full-width row: a priority written as a heading above its actions.
            self.start_priority(filled[0])
            return
        priority, action = self.cell(cells, "priority"), self.cell(cells, "action")
        lead, update = self.cell(cells, "lead"), self.cell(cells, "update")

        new_priority = False
        if priority:
            if self.priority and _starts_lower(priority):
                self.priority.title += " " + priority
                self.notes.append(f"{where}: read the Priority as the rest of the one above.")
            elif not self.priority or priority.casefold() != self.priority.title.casefold():
                self.start_priority(priority)
                new_priority = True

        if action:
            continues = self.action is not None and not new_priority and (
                _starts_lower(action) or action.casefold() == self.action.text.casefold())
            if continues:
                if action.casefold() != self.action.text.casefold():
                    self.action.text += " " + action
                    self.notes.append(f"{where}: read the Action as the rest of the one above "
                                      "(it starts in lower case).")
                if lead:
                    # A lead cell cut by the same page break ("Hampshire" / "Constabulary").
                    if self.action.leads and lead not in self.action.leads:
                        self.action.leads[-1] += " " + lead
                    elif not self.action.leads:
                        self.action.leads.append(lead)
            else:
                if self.priority is None:
                    self.problems.append(Problem(where, f"the action \"{_short(action)}\" has no "
                                                 "priority above it. Fill in its Priority cell."))
                    return
                self.action = _ActionDraft(action, where)
                self.priority.actions.append(self.action)
                if lead:
                    self.action.leads.append(lead)
            self.action.add_update(update)
            return

        if not (lead or update):
            return  # a row holding only a priority (or its continuation)
        if self.action is None or new_priority:
            self.problems.append(Problem(where, "this row has a Lead Agency or Update but no "
                                         "action in it or above it. Put the action's text in its "
                                         "Action cell."))
            return
        if lead and lead not in self.action.leads:
            self.action.leads.append(lead)
        self.action.add_update(update)

    def start_priority(self, title: str) -> None:
        existing = [p for p in self.priorities if p.title.casefold() == title.casefold()]
        if existing:
            self.priority = existing[0]
        else:
            self.priority = _PriorityDraft(title)
            self.priorities.append(self.priority)
        self.action = None

    def finish(self, title: str) -> ParsedPlan:
        if self.mapping is None:
            raise PlanImportError(self.filename, [Problem(
                "the file", "no header row with Action and Lead Agency columns was found. The "
                "table needs a header row naming its columns: Priority, Action, Lead Agency, "
                "Update.")])
        # A name set apart by a comma, "/" or line break anywhere in the file is an agency too.
        known = set(self.known)
        for draft in self.priorities:
            for a in draft.actions:
                known.update(agency_key(f) for f in lead_fragments("\n".join(a.leads))
                             if not _AND.search(f))
        priorities = []
        for draft in self.priorities:
            actions = []
            for a in draft.actions:
                leads = split_lead_agencies("\n".join(a.leads), known)
                for name in leads:
                    if _AND.search(name):
                        self.notes.append(f"{a.source}: kept \"{name}\" as one agency. If it is "
                                          "several, separate them with commas and import again.")
                if not leads:
                    self.problems.append(Problem(a.source, f"the action \"{_short(a.text)}\" has "
                                                 "no lead agency. Fill in its Lead Agency cell "
                                                 "(write All if every agency leads it)."))
                actions.append(ParsedAction(a.text, leads, "\n".join(a.update), a.source))
            if not actions:
                self.problems.append(Problem("the file", f"the priority \"{_short(draft.title)}\" "
                                             "has no actions. Add its actions or delete it."))
            priorities.append(ParsedPriority(draft.title, tuple(actions)))
        if not priorities and not self.problems:
            self.problems.append(Problem("the file", "the table has a header row but no actions "
                                         "below it."))
        if self.problems:
            raise PlanImportError(self.filename, self.problems)
        return ParsedPlan(title, tuple(priorities), tuple(self.notes))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
