"""A strategy's meeting schedule, and opening a reporting cycle (by hand or from the schedule).

A schedule is a number of meetings a year from a first meeting date, until the strategy ends;
each meeting's deadline for updates is a set number of days before it. At most one cycle of a
strategy is open at a time, unless the coordinator allows more (``Strategy.concurrent_cycles``):
``open_cycle`` is the one place a cycle is opened, so the rule cannot be skipped.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from .models import ReportingCycle, Strategy

MEETINGS_PER_YEAR = [1, 2, 3, 4, 6, 12]


class CycleClash(Exception):
    """Another cycle of the strategy is open and the schedule allows only one."""


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, kept within the month (31 Jan + 1 = 28/29
    Feb). Written here because the standard library has no month arithmetic and this is the
    only use (python-dateutil would be a dependency for three lines)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Meeting:
    meeting_date: dt.date
    deadline: dt.date
    name: str
    cycle: ReportingCycle | None


def cycle_name(meeting_date: dt.date) -> str:
    return f"{meeting_date:%B %Y} partnership meeting"


def meetings(strategy: Strategy) -> list[Meeting]:
    """Every scheduled meeting from the first until the strategy ends, with its cycle if one
    was opened for that date."""
    if not strategy.meetings_per_year or not strategy.first_meeting:
        return []
    step = 12 // strategy.meetings_per_year
    cycles = {c.meeting_date: c for c in strategy.cycles.all()}
    out, n = [], 0
    while (day := add_months(strategy.first_meeting, step * n)) <= strategy.end:
        out.append(Meeting(day, day - dt.timedelta(days=strategy.deadline_days),
                           cycle_name(day), cycles.get(day)))
        n += 1
    return out


def open_cycle(strategy: Strategy, *, name: str, meeting_date: dt.date, deadline: dt.date,
               user) -> ReportingCycle:
    """Open a cycle, refusing (``CycleClash``) while another is open, unless allowed."""
    with transaction.atomic():
        locked = Strategy.objects.select_for_update().get(pk=strategy.pk)
        if not locked.concurrent_cycles:
            other = locked.cycles.filter(status=ReportingCycle.Status.OPEN).first()
            if other is not None:
                raise CycleClash(f"{other.name} is still open: close it first, or allow more "
                                 "than one open cycle in the meeting schedule")
        return ReportingCycle.objects.create(strategy=strategy, name=name,
                                             meeting_date=meeting_date, deadline=deadline,
                                             opened_by=user)
