"""Chasing: which actions still lack an update as a cycle's deadline nears, and the reminders.

An action lacks an update until one has been submitted (or approved): a draft or a returned
update still needs its lead agency. Reminders go through Django's email backend (console in
development), one email per person listing their actions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from ...engine.safe_text import header_text
from ..partnerships.audit import record_email
from ..partnerships.models import Role
from .models import Action, ReportingCycle, Update

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


def _recipients(action: Action) -> list:
    User = get_user_model()
    leads = User.objects.filter(is_active=True, membership__role=Role.LEAD).exclude(email="")
    return list(leads.filter(membership__agency__in=action.leading_agencies()))


def send_reminders(cycle: ReportingCycle, *, base_url: str = "") -> int:
    """Email each agency lead the actions they still owe an update for. Returns emails sent."""
    owed: dict = {}
    for item in outstanding(cycle):
        for user in _recipients(item.action):
            owed.setdefault(user, []).append(item)
    sent = 0
    for user, items in owed.items():
        lines = [f"- {i.action.priority.number}.{i.action.number} {i.action.text[:120]} "
                 f"({'no update yet' if i.status == 'missing' else i.status})\n  "
                 f"{base_url}{reverse('strategy:update_edit', args=[cycle.pk, i.action.pk])}"
                 for i in items]
        # One line whatever the cycle's name holds: a line break would end the header.
        subject = header_text(f"Update needed by {cycle.deadline:%d %B %Y}: {cycle.name}")
        body = (f"Dear {user.get_full_name() or user.get_username()},\n\n"
                f"The partnership meets on {cycle.meeting_date:%d %B %Y}. Please add or submit "
                f"the progress update for these actions by {cycle.deadline:%d %B %Y}:\n\n"
                + "\n".join(lines) + "\n\nThank you.\n")
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        record_email(cycle, [user.email], subject)
        sent += 1
    return sent
