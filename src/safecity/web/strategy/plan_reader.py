"""Reading the rows of a plan's tables into priorities, actions, leads and updates.

``importing.parse_plan`` is the way in; this module holds the row-by-row reading of a table as
councils publish it, split out because it is the part that grows with each layout seen:

- a header row repeated after a page break is skipped;
- Action text runs on into later rows: a row whose Action starts in lower case continues the
  action above, and so does one starting with a capital when the text above does not end a
  sentence and the row has no lead of its own (a page break cut "... the Domestic Abuse" /
  "Strategy Group to ...");
- Update text runs on the same way: into the next row (lower case, or the paragraph above
  does not end a sentence), or into the first row of the next action (lower case);
- rows joined by a vertically merged Action, Lead or Update cell belong to one action, even
  when the action's text is printed below the first of them (a tall merged cell, centred);
- a lead cut over rows ("Northshire" / "Constabulary") is joined when the whole name is one the
  partnership or the file itself uses, or the action itself ran on; otherwise a lead in a later
  row is another agency.

Where the reading could be either way, the action carries a doubt the preview shows beside the
buttons that move an update paragraph to the neighbouring action or join two actions
(``importing.move_paragraph``, ``importing.join_actions``). No Django here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .importing import (ALL, AND_SPLIT, ParsedAction, ParsedPlan, ParsedPriority,
                        PlanImportError, Problem, agency_key, lead_fragments, short,
                        split_lead_agencies, starts_lower)
from .plan_grid import SPAN, Grid

# A title cut after one of these words was cut by a page break, not finished.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[A-Z0-9\u201c\"'])")
_OPEN_ENDINGS = {"and", "or", "of", "the", "to", "for", "with", "in", "on", "a", "an", "by",
                 "at", "from", "&"}


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence (a full stop, question or exclamation mark, perhaps
    inside closing quotes or brackets)."""
    return text.rstrip().rstrip("\"'\u201d\u2019)]").endswith((".", "!", "?"))


def _split_first_sentence(text: str) -> tuple[str, str]:
    """``text`` cut after its first sentence: ("a new zone.", "Twelve warrants ...")."""
    parts = _SENTENCE_BREAK.split(text, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (text, "")


def _ends_open(text: str) -> bool:
    words = text.split()
    return bool(words) and (words[-1].casefold() in _OPEN_ENDINGS
                            or text.rstrip().endswith((",", "-", "\u2013")))


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


def header_mapping(cells: tuple[str, ...]) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for index, text in enumerate(cells):
        kind = _column_kind(text) if text != SPAN else None
        if kind and kind not in mapping:
            mapping[kind] = index
    return mapping if {"action", "lead"} <= mapping.keys() else None


@dataclass
class _ActionDraft:
    text: str
    source: str
    leads: list[tuple[str, bool]] = field(default_factory=list)  # (cell, the action ran on)
    update: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)

    def add_lead(self, lead: str, ran_on: bool) -> None:
        if lead and lead not in [text for text, _ in self.leads]:
            self.leads.append((lead, ran_on))


@dataclass
class _PriorityDraft:
    title: str
    actions: list[_ActionDraft] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    where: str
    cells: tuple[str, ...]
    below: int | None  # in a merged cell whose action is printed lower down, at this row index
    inherited_lead: str  # the text of a merged Lead cell this row's empty cell is part of


class PlanReader:
    def __init__(self, filename: str, known: set[str]) -> None:
        self.filename = filename
        self.known = known  # agency keys of the partnership's agencies
        self.mapping: dict[str, int] | None = None
        self.priorities: list[_PriorityDraft] = []
        self.priority: _PriorityDraft | None = None
        self.action: _ActionDraft | None = None
        self.pending: list[tuple[str, str, str]] = []  # (where, lead, update) for the action below
        self.problems: list[Problem] = []
        self.notes: list[str] = []

    # -- a table ------------------------------------------------------------------------------

    def read_grid(self, grid: Grid) -> None:
        rows: list[tuple[int, str, tuple[str, ...]]] = []
        for index, (row_label, cells) in enumerate(grid.rows):
            where = f"{grid.label}, {row_label}" if grid.label != "the file" else row_label
            mapping = header_mapping(cells)
            if mapping is not None:
                # A first header, or one repeated after a page break: either way not data.
                self.mapping = mapping
                continue
            if self.mapping is None or not any(c and c != SPAN for c in cells):
                continue  # text above the table, or an empty row
            rows.append((index, where, cells))
        if not rows:
            return
        below, inherited = self._merged_blocks(grid)
        for number, (index, where, cells) in enumerate(rows):
            following = rows[number + 1][2] if number + 1 < len(rows) else None
            self.read_row(_Row(where, cells, below.get(index), inherited.get(index, "")),
                          following)
        self._flush_pending()

    def _merged_blocks(self, grid: Grid) -> tuple[dict[int, int], dict[int, str]]:
        """Rows tied to an action printed lower down by a vertically merged Action, Lead or
        Update cell (row index -> the row holding the action text), and rows whose empty Lead
        cell is part of a merged one (row index -> its text)."""
        columns = {self.mapping[k] for k in ("action", "lead", "update") if k in self.mapping}
        spans = sorted((first, last) for column, first, last in grid.vmerges if column in columns)
        blocks: list[list[int]] = []
        for first, last in spans:
            if blocks and first <= blocks[-1][1]:
                blocks[-1][1] = max(blocks[-1][1], last)
            else:
                blocks.append([first, last])
        below: dict[int, int] = {}
        for first, last in blocks:
            texts = [i for i in range(first, last + 1) if self._text(grid.rows[i][1], "action")]
            if texts and texts[0] > first:
                below.update({i: texts[0] for i in range(first, texts[0])})
        inherited: dict[int, str] = {}
        lead_column = self.mapping.get("lead")
        for column, first, last in grid.vmerges:
            if column == lead_column:
                top = self._text(grid.rows[first][1], "lead")
                inherited.update({i: top for i in range(first + 1, last + 1)})
        return below, inherited

    def _text(self, cells: tuple[str, ...], kind: str) -> str:
        index = self.mapping.get(kind) if self.mapping else None
        if index is None or index >= len(cells) or cells[index] == SPAN:
            return ""
        return cells[index]

    # -- a row --------------------------------------------------------------------------------

    def read_row(self, row: _Row, following: tuple[str, ...] | None) -> None:
        cells, where = row.cells, row.where
        filled = [c for c in cells if c and c != SPAN]
        heading = len(filled) == 1 and cells.count(SPAN) >= 1 and cells[0] == filled[0]
        if heading or ("priority" not in self.mapping and len(filled) == 1
                       and self._text(cells, "action") == "" and cells[0] == filled[0]):
            # A full-width row: a priority written as a heading above its actions.
            self._flush_pending()
            self.start_priority(filled[0])
            return
        priority, action = self._text(cells, "priority"), self._text(cells, "action")
        lead, update = self._text(cells, "lead"), self._text(cells, "update")

        new_priority = False
        if priority:
            if self.priority and (starts_lower(priority) or _ends_open(self.priority.title)):
                self.priority.title += " " + priority
                self.notes.append(f"{where}: read the Priority as the rest of the one above.")
            elif not self.priority or priority.casefold() != self.priority.title.casefold():
                self._flush_pending()
                self.start_priority(priority)
                new_priority = True

        if row.below is not None and not action:
            # Printed above its action's text in a merged cell: keep it for that action.
            self.pending.append((where, lead, update))
            return

        if action:
            self.read_action_row(where, action, lead or row.inherited_lead, update, new_priority)
            return

        if not (lead or update):
            return  # a row holding only a priority (or its continuation)
        if self.action is None or new_priority:
            self.problems.append(Problem(where, "this row has a Lead Agency or Update but no "
                                         "action in it or above it. Put the action's text in its "
                                         "Action cell."))
            return
        self.action.add_lead(lead, False)
        self.add_update(self.action, update, where)
        if update and not lead and following is not None and self._starts_action(following):
            last = self.action.update[-1]
            if not starts_lower(update) and ends_sentence(last):
                self.action.doubts.append(
                    f"The last update paragraph (from {where}) sits just above the next action "
                    "with nothing to tie it to either. If it is about the next action, move it "
                    "there.")

    def _starts_action(self, cells: tuple[str, ...]) -> bool:
        action = self._text(cells, "action")
        return bool(action and self._text(cells, "lead") and not self._text(cells, "priority")
                    and not starts_lower(action))

    def read_action_row(self, where: str, action: str, lead: str, update: str,
                        new_priority: bool) -> None:
        current = self.action
        same = current is not None and action.casefold() == current.text.casefold()
        lower = starts_lower(action)
        ran_on = current is not None and not new_priority and not same and (
            lower or (not lead and not ends_sentence(current.text)))
        if current is not None and not new_priority and (same or ran_on):
            if ran_on:
                current.text += " " + action
                self.notes.append(
                    f"{where}: read the Action as the rest of the one above (it "
                    + ("starts in lower case)." if lower else
                       "has no lead of its own and the text above does not end a sentence)."))
            current.add_lead(lead, ran_on)
            self._take_pending(current)
            self.add_update(current, update, where)
            return
        if self.priority is None:
            self.problems.append(Problem(where, f"the action \"{short(action)}\" has no "
                                         "priority above it. Fill in its Priority cell."))
            return
        if update and current is not None and current.update and not new_priority:
            first, _, rest = update.partition("\n")
            if starts_lower(first):
                # The previous action's last sentence, run on into this action's first row:
                # up to its full stop it is the previous action's; the rest is this one's.
                end, after = _split_first_sentence(first)
                current.update[-1] += " " + end
                self.notes.append(f"{where}: read the Update up to its first full stop as the "
                                  "end of the previous action's update (it starts in lower "
                                  "case).")
                update = "\n".join(t for t in (after, rest) if t)
        draft = _ActionDraft(action, where)
        if current is not None and not new_priority and _ends_open(current.text):
            draft.doubts.append("The action above ends mid-phrase (\u201c"
                                f"{short(current.text, 40)}\u201d). If this row is the rest of "
                                "it, join them.")
        if (update and current is not None and current.update and not new_priority
                and not ends_sentence(current.update[-1])):
            draft.doubts.append("The update of the action above does not end a sentence. If "
                                "this action's first update paragraph finishes it, move it to "
                                "the previous action.")
        self.priority.actions.append(draft)
        self.action = draft
        self._take_pending(draft)
        draft.add_lead(lead, False)
        self.add_update(draft, update, where)

    def add_update(self, action: _ActionDraft, text: str, where: str) -> None:
        if not text:
            return
        first, *rest = text.split("\n")
        if action.update and (starts_lower(first) or not ends_sentence(action.update[-1])):
            action.update[-1] += " " + first  # a sentence carried over a page or row break
            if not starts_lower(first):
                self.notes.append(f"{where}: read the Update as the rest of the sentence above "
                                  "it (that sentence has no full stop).")
        else:
            action.update.append(first)
        action.update.extend(rest)

    def _take_pending(self, action: _ActionDraft) -> None:
        for where, lead, update in self.pending:
            action.add_lead(lead, False)
            self.add_update(action, update, where)
            self.notes.append(f"{where}: read as part of the action printed below it "
                              f"({action.source}), which shares a merged cell with it.")
        self.pending = []

    def _flush_pending(self) -> None:
        """Merged rows whose action never came (the block ended first) go to the action above."""
        if self.pending and self.action is not None:
            self._take_pending(self.action)
        for where, _lead, _update in self.pending:
            self.problems.append(Problem(where, "this row has a Lead Agency or Update but no "
                                         "action in it or above it. Put the action's text in "
                                         "its Action cell."))
        self.pending = []

    def start_priority(self, title: str) -> None:
        existing = [p for p in self.priorities if p.title.casefold() == title.casefold()]
        if existing:
            self.priority = existing[0]
        else:
            self.priority = _PriorityDraft(title)
            self.priorities.append(self.priority)
        self.action = None

    # -- the plan -----------------------------------------------------------------------------

    def finish(self, title: str) -> ParsedPlan:
        self._flush_pending()
        if self.mapping is None:
            raise PlanImportError(self.filename, [Problem(
                "the file", "no header row with Action and Lead Agency columns was found. The "
                "table needs a header row naming its columns: Priority, Action, Lead Agency, "
                "Update.")])
        drafts = [a for p in self.priorities for a in p.actions]
        # Whole names: the partnership's, and every name a lead cell in one piece sets apart.
        whole = set(self.known)
        for a in drafts:
            if len(a.leads) == 1:
                whole.update(agency_key(f) for f in lead_fragments(a.leads[0][0]))
        cells = {id(a): _join_lead_pieces(a.leads, whole) for a in drafts}
        # A name set apart by a comma, "/" or line break anywhere in the file is an agency too.
        known = set(self.known)
        for cell in cells.values():
            known.update(agency_key(f) for f in lead_fragments(cell) if not AND_SPLIT.search(f))
        priorities = []
        for draft in self.priorities:
            actions = []
            for a in draft.actions:
                leads = split_lead_agencies(cells[id(a)], known)
                for name in leads:
                    if AND_SPLIT.search(name):
                        self.notes.append(f"{a.source}: kept \"{name}\" as one agency. If it is "
                                          "several, separate them with commas and import again.")
                if not leads:
                    self.problems.append(Problem(a.source, f"the action \"{short(a.text)}\" has "
                                                 "no lead agency. Fill in its Lead Agency cell "
                                                 "(write All if every agency leads it)."))
                actions.append(ParsedAction(a.text, leads, "\n".join(a.update), a.source,
                                            tuple(a.doubts)))
            if not actions:
                self.problems.append(Problem("the file", f"the priority \"{short(draft.title)}\" "
                                             "has no actions. Add its actions or delete it."))
            priorities.append(ParsedPriority(draft.title, tuple(actions)))
        if not priorities and not self.problems:
            self.problems.append(Problem("the file", "the table has a header row but no actions "
                                         "below it."))
        if self.problems:
            raise PlanImportError(self.filename, self.problems)
        return ParsedPlan(title, tuple(priorities), tuple(self.notes))


def _join_lead_pieces(pieces: list[tuple[str, bool]], whole: set[str]) -> str:
    """One lead cell from the pieces found in an action's rows. A piece joins the one above as
    the rest of a name ("Northshire" + "Constabulary") when the joined name is a whole name,
    when it starts in lower case, or when the action's text ran on into its row and neither
    part is a name by itself; otherwise it is another agency."""
    if not pieces:
        return ""
    cell = pieces[0][0]
    for piece, ran_on in pieces[1:]:
        before, after = lead_fragments(cell), lead_fragments(piece)
        separated = (not before or not after or cell.rstrip().endswith((",", "/", ";", "&"))
                     or cell.rstrip().casefold().endswith(" and")
                     or piece.lstrip()[:1] in {",", "/", ";", "&"})
        if not separated:
            joined = agency_key(before[-1] + " " + after[0])
            if joined in whole or starts_lower(after[0]):
                cell += " " + piece
                continue
            if ran_on and agency_key(before[-1]) not in whole and agency_key(after[0]) not in whole:
                cell += " " + piece
                continue
        cell += "\n" + piece
    return cell
