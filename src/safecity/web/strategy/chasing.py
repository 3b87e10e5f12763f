"""Chasing: which actions still lack an update as a cycle's deadline nears, and the reminders.

An action lacks an update until one has been submitted (or approved): a draft or a returned
update still needs its lead agency. Reminders go through Django's email backend (console in
development), one email per recipient listing their agency's actions (``notify.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from .models import Action, ReportingCycle, Update
from .notify import Sent, notify_agencies

DONE = (Update.Status.SUBMITTED, Update.Status.APPROVED)


@dataclass(frozen=True)
class Outstanding:
    action: Action
    status: str  # "missing", "draft" or "returned"


def outstanding(cycle: ReportingCycle) -> list[Outstanding]:
    """Actions in the cycle's strategy without a submitted or approved update, in plan order."""
    statuses = dict(Update.objects.filter(cycle=cycle).values_list("action_id", "status"))
    actions = (Action.objects.filter(priority__strategy=cycle.strategy)
               .select_related("priority").prefetch_related("lead_agencies"))
    return [Outstanding(a, statuses.get(a.pk, "missing")) for a in actions
            if statuses.get(a.pk) not in DONE]


def is_chasing_time(cycle: ReportingCycle, today: dt.date | None = None) -> bool:
    today = today or dt.date.today()
    window = dt.timedelta(days=settings.CHASE_DAYS_BEFORE_DEADLINE)
    return cycle.is_open and today >= cycle.deadline - window


def send_reminders(cycle: ReportingCycle, *, base_url: str = "") -> Sent:
    """Email each lead agency the actions it still owes an update for (``notify.py`` says who
    receives an agency's email). ``Sent`` counts the emails and names the agencies with nobody
    to notify."""
    items = outstanding(cycle)
    status = {i.action.pk: i.status for i in items}
    return notify_agencies(
        cycle, [i.action for i in items],
        subject=f"Update needed by {cycle.deadline:%d %B %Y}: {cycle.name}",
        intro=(f"The partnership meets on {cycle.meeting_date:%d %B %Y}. Please add or submit "
               f"the progress update for these actions by {cycle.deadline:%d %B %Y}:"),
        line=lambda a: "no update yet" if status[a.pk] == "missing" else status[a.pk],
        base_url=base_url)
