"""The action groups' one door to the engine (``engine/problem_solving.py``): the
partnership's LSOAs and sectors, a problem's evidence, its closing comparison, and the purge of
text past its retention period."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ...engine import problem_solving
from ...engine.assessment import narrative
from ...engine.errors import SafecityError
from ...engine.periods import add_months
from ...engine.warehouse import Warehouse
from .models import PURGED, RETENTION_MONTHS, Problem, Review, Task


def warehouse() -> Warehouse:
    return Warehouse()


def known_lsoas() -> dict[str, str] | None:
    """The partnership's LSOAs (code -> label), or None when its area cannot be resolved."""
    try:
        return problem_solving.area_lsoas(warehouse())
    except SafecityError:
        return None


def sector_lsoas(sector: str) -> tuple[str, ...]:
    """The sector's LSOAs from the partnership's geography (() when it has none loaded)."""
    try:
        return problem_solving.sectors(warehouse()).get(sector, ())
    except SafecityError:
        return ()


def sector_names() -> tuple[str, ...]:
    """The policing sectors of the partnership's geography (() when it has none loaded)."""
    try:
        return tuple(problem_solving.sectors(warehouse()))
    except SafecityError:
        return ()


def place(problem: Problem) -> problem_solving.Place:
    polygon = problem_solving.parse_polygon(problem.drawn_area) if problem.drawn_area else ()
    return problem_solving.Place(tuple(problem.lsoas), polygon)


def evidence(problem: Problem):
    """(Evidence, None) or (None, the sentence saying why there is none)."""
    try:
        return problem_solving.evidence(place(problem), warehouse=warehouse()), None
    except SafecityError as exc:
        return None, exc.message


def latest_month() -> str | None:
    try:
        return problem_solving.latest_month(warehouse())
    except SafecityError:
        return None


def close(problem: Problem, data: dict) -> str | None:
    """Compute the closing comparison and close the problem; the sentence saying why it could
    not be made (nothing changed) otherwise."""
    control = problem_solving.Place(tuple(data["control_text"])) if data["control_text"] else None
    try:
        outcome = problem_solving.before_after(
            place(problem), (data["before_first"], data["before_last"]),
            (data["after_first"], data["after_last"]), crime_type=data["crime_type"],
            control=control, warehouse=warehouse())
    except SafecityError as exc:
        return exc.message
    change = outcome.change
    problem.crime_type = outcome.crime_type
    for name in ("before_first", "before_last", "after_first", "after_last"):
        setattr(problem, name, data[name])
    problem.before_count, problem.after_count = outcome.before, outcome.after
    problem.change_pct = change.change_pct
    problem.change_p = change.p_value
    problem.change_wording = narrative.change_sentence(
        f"{outcome.crime_type_label} in the place", change,
        f"{outcome.after_label} against {outcome.before_label}")[:300]
    problem.control_lsoas = list(data["control_text"])
    problem.control_before, problem.control_after = outcome.control_before, outcome.control_after
    w = outcome.wdd
    problem.wdd_estimate = w.estimate if w else None
    problem.wdd_se = w.se if w else None
    problem.wdd_z = w.z if w else None
    problem.wdd_p = w.p if w else None
    problem.wdd_low = w.low if w else None
    problem.wdd_high = w.high if w else None
    problem.closing_note = data["closing_note"]
    problem.status = Problem.Status.CLOSED
    problem.closed_on = timezone.localdate()
    problem.save()
    return None


def purge(today: dt.date | None = None) -> int:
    """Blank the free text of problems closed more than RETENTION_MONTHS before ``today`` (the
    plan, closing note, actions and review notes); the place, type, dates and closing figures
    stay. Returns how many problems were purged."""
    today = today or timezone.localdate()
    cutoff = add_months(today, -RETENTION_MONTHS)
    done = 0
    with transaction.atomic():
        for problem in Problem.objects.filter(closed_on__lt=cutoff, purged_on__isnull=True):
            for name in Problem.TEXT_FIELDS:
                setattr(problem, name, PURGED if getattr(problem, name) else "")
            problem.purged_on = today
            problem.save()  # audited; the log never held the text
            for task in Task.objects.filter(problem=problem):
                task.text = PURGED
                task.save()
            for review in Review.objects.filter(problem=problem):
                review.notes = PURGED
                review.save()
            done += 1
    return done
