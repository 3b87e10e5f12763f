"""Turn an existing action plan or progress table (DOCX, XLSX or CSV) into a ``ParsedPlan``.

A partnership starts by importing the Word table it already keeps: Priority | Action | Lead
Agency | Update. Such tables are laid out for printing, not for machines, so the reader follows
the habits of people editing them in Word:

- the header row is repeated after each page break (or the table is split into several tables);
- a blank Priority cell means "the same priority as above"; a merged cell reads the same way;
- a priority, action, lead-agency or update cell that runs over a page break continues in the
  next row, and update paragraphs may sit above their action in a merged cell (the row rules
  are in ``plan_reader.py``; a row with an empty Action cell adds to the action above);
- several agencies share a lead cell, separated by commas, "/", ";", line breaks, "and" or "&";
  "All" is a lead value of its own. "and"/"&" also occur inside names ("Fire and Rescue
  Service"), so they only split a cell into names the partnership already has or that the same
  file sets apart with a comma, "/" or line break; anything else stays whole and is noted;
- a priority may instead be a full-width heading row above its actions.

The result is plain frozen data for the preview page, where the coordinator may move an update
paragraph to the neighbouring action or join two actions (``move_paragraph``, ``join_actions``);
nothing is written until they confirm (see ``import_views.py``). The file is read within the
limits of ``office_files.py``. Lead agency names are compared with ``agency_key``. No Django
here.

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Iterable

from safecity.engine.errors import SourceError

from .plan_grid import read_document

ALL = "All"  # the lead value meaning every agency in the partnership
_ALL_SPELLINGS = {"all", "all agencies", "all partners", "all partner agencies"}


@dataclass(frozen=True)
class ParsedAction:
    text: str
    lead_agencies: tuple[str, ...]
    update: str  # paragraphs separated by "\n"; "" when the table has no update
    source: str  # where the action starts, as the person would find it: "table 1, row 3"
    doubts: tuple[str, ...] = ()  # where the reading could be either way, for the preview


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
    from .plan_reader import PlanReader  # it builds on the definitions above

    document = read_document(source, filename)
    reader = PlanReader(filename, {agency_key(name) for name in known_agencies})
    for grid in document.grids:
        reader.read_grid(grid)
    return reader.finish(document.preamble[0] if document.preamble else "")


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
AND_SPLIT = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
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
        parts = AND_SPLIT.split(fragment)
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


def starts_lower(text: str) -> bool:
    """True when the text starts with a lower-case letter: it carries on from the row above.
    Text starting with a figure ("1,150 visits were made.") does not."""
    for char in text:
        if char.isalnum():
            return char.islower()
    return False


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- corrections made on the preview page ------------------------------------------------------------

def plan_from_dict(data: dict) -> ParsedPlan:
    """The plan back from ``dataclasses.asdict`` (how the preview keeps it in the session)."""
    return ParsedPlan(data["title"], tuple(
        ParsedPriority(p["title"], tuple(
            ParsedAction(a["text"], tuple(a["lead_agencies"]), a["update"], a["source"],
                         tuple(a.get("doubts", ())))
            for a in p["actions"]))
        for p in data["priorities"]), tuple(data["notes"]))


def _with_actions(plan: ParsedPlan, actions: list[ParsedAction]) -> ParsedPlan:
    it = iter(actions)
    return replace(plan, priorities=tuple(
        replace(p, actions=tuple(next(it) for _ in p.actions)) for p in plan.priorities))


def move_paragraph(plan: ParsedPlan, index: int, direction: str) -> ParsedPlan:
    """Move the first update paragraph of action ``index`` (counting every action in order,
    from 0) to the end of the previous action (``direction="previous"``), or its last
    paragraph to the start of the next (``"next"``). A paragraph that finishes an unfinished
    sentence is joined to it. The actions' doubts are settled by the move.

    >>> plan = ParsedPlan("", (ParsedPriority("P", (
    ...     ParsedAction("A", ("X",), "One and", "row 2"),
    ...     ParsedAction("B", ("Y",), "two.\\nThree.", "row 3"))),))
    >>> [a.update for a in move_paragraph(plan, 1, "previous").actions]
    ['One and two.', 'Three.']
    >>> [a.update for a in move_paragraph(plan, 0, "next").actions]
    ['', 'One and two.\\nThree.']
    """
    from .plan_reader import ends_sentence

    actions = list(plan.actions)
    target = index - 1 if direction == "previous" else index + 1
    if direction not in {"previous", "next"} or not (0 <= index < len(actions)) or not (
            0 <= target < len(actions)) or not actions[index].update:
        raise ValueError("There is no such paragraph to move.")
    source = actions[index].update.split("\n")
    into = actions[target].update.split("\n") if actions[target].update else []
    if direction == "previous":
        moving, left = source[0], source[1:]
        if into and not ends_sentence(into[-1]):
            into[-1] += " " + moving
        else:
            into.append(moving)
    else:
        moving, left = source[-1], source[:-1]
        if into and not ends_sentence(moving):
            into[0] = moving + " " + into[0]
        else:
            into.insert(0, moving)
    actions[index] = replace(actions[index], update="\n".join(left), doubts=())
    actions[target] = replace(actions[target], update="\n".join(into), doubts=())
    return _with_actions(plan, actions)


def join_actions(plan: ParsedPlan, index: int) -> ParsedPlan:
    """Join action ``index`` to the action above it in the same priority: one action with both
    texts, both actions' lead agencies and both updates.

    >>> plan = ParsedPlan("", (ParsedPriority("P", (
    ...     ParsedAction("Work with the", ("X",), "Begun.", "row 2"),
    ...     ParsedAction("Health Board.", ("Y", "X"), "Going well.", "row 3"))),))
    >>> join_actions(plan, 1).actions
    (ParsedAction(text='Work with the Health Board.', lead_agencies=('X', 'Y'), update='Begun.\\nGoing well.', source='row 2', doubts=()),)
    """
    position = 0
    priorities = list(plan.priorities)
    for number, priority in enumerate(priorities):
        if position < index < position + len(priority.actions):
            actions = list(priority.actions)
            upper, lower = actions[index - position - 1], actions.pop(index - position)
            leads = upper.lead_agencies + tuple(
                n for n in lower.lead_agencies
                if agency_key(n) not in {agency_key(m) for m in upper.lead_agencies})
            if ALL in leads:
                leads = (ALL,) + tuple(n for n in leads if n != ALL)
            update = "\n".join(u for u in (upper.update, lower.update) if u)
            actions[index - position - 1] = ParsedAction(
                f"{upper.text} {lower.text}", leads, update, upper.source)
            priorities[number] = replace(priority, actions=tuple(actions))
            return replace(plan, priorities=tuple(priorities))
        position += len(priority.actions)
    raise ValueError("Only an action below another in the same priority can be joined to it.")
