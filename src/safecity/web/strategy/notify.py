"""Who is told what by email: a cycle opening, reminders before the deadline, a return, an
approval. One rule for who receives an agency's notices, and one for quoting text in an email.

An agency's notices go to its active agency leads with an email address, and to its shared
inbox if it has one. An agency with neither has nobody to notify: the coordinator is told which
(on the cycle page, and after opening a cycle or sending reminders), so no action goes unchased
in silence.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from ...engine.safe_text import header_text
from ..partnerships.audit import record_email
from ..partnerships.models import Agency, Role
from .models import Action, ReportingCycle, Update


def excerpt(text: str, width: int = 120) -> str:
    """``text`` on one line, shortened at a word boundary to at most ``width`` characters
    (never mid-word: the standard library's ``textwrap.shorten`` drops whole words)."""
    return textwrap.shorten(" ".join(str(text).split()), width=width, placeholder=" …")


@dataclass
class Recipient:
    address: str
    greeting: str
    user: object | None = None


@dataclass
class Sent:
    emails: int = 0
    unreachable: list[Agency] = field(default_factory=list)  # agencies with nobody to notify




def recipients(agencies: Iterable[Agency]) -> dict[Agency, list[Recipient]]:
    """Each agency's recipients: its active leads with an email, then its shared inbox."""
    agencies = list(agencies)
    found: dict[Agency, list[Recipient]] = {a: [] for a in agencies}
    by_pk = {a.pk: a for a in agencies}
    users = (get_user_model().objects.filter(is_active=True, membership__role=Role.LEAD,
                                             membership__agency__in=agencies)
             .exclude(email="").select_related("membership").order_by("last_name", "username"))
    for user in users:
        found[by_pk[user.membership.agency_id]].append(
            Recipient(user.email, user.get_full_name() or user.get_username(), user))
    for agency in agencies:
        if agency.email:
            found[agency].append(Recipient(agency.email, f"colleagues at {agency.label}"))
    return found


def unreachable_agencies(strategy) -> list[Agency]:
    """Agencies leading an action of ``strategy`` with nobody to notify."""
    leading = {a for action in Action.objects.filter(priority__strategy=strategy)
               .select_related("priority__strategy") for a in action.leading_agencies()}
    return sorted((a for a, people in recipients(leading).items() if not people),
                  key=lambda a: a.name)


def _send(to: Recipient, subject: str, body: str, about) -> None:
    # One line whatever a cycle's or action's name holds: a line break would end the header.
    subject = header_text(subject)
    send_mail(subject, f"Dear {to.greeting},\n\n{body}", settings.DEFAULT_FROM_EMAIL,
              [to.address])
    record_email(about, [to.address], subject)


def notify_agencies(cycle: ReportingCycle, actions: list[Action], *, subject: str, intro: str,
                    line, base_url: str) -> Sent:
    """Email each agency leading any of ``actions`` the list of its own, one email per
    recipient; ``line(action)`` is the text after the action's number."""
    owed: dict[Agency, list[Action]] = {}
    for action in actions:
        for agency in action.leading_agencies():  # the model's one "led by" rule
            owed.setdefault(agency, []).append(action)
    result = Sent()
    for agency, people in recipients(owed).items():
        if not people:
            result.unreachable.append(agency)
            continue
        lines = [f"- {a.priority.number}.{a.number} {excerpt(a.text)} ({line(a)})\n  "
                 f"{base_url}{reverse('strategy:update_edit', args=[cycle.pk, a.pk])}"
                 for a in owed[agency]]
        body = (intro + "\n\n" + "\n".join(lines) + f"\n\nYour list of actions: {base_url}"
                f"{reverse('strategy:home')}\n\nThank you.\n")
        for to in people:
            _send(to, subject, body, cycle)
            result.emails += 1
    result.unreachable.sort(key=lambda a: a.name)
    return result


def cycle_opened(cycle: ReportingCycle, *, base_url: str = "") -> Sent:
    """Tell every lead agency's people that ``cycle`` is open, listing their actions."""
    actions = list(Action.objects.filter(priority__strategy=cycle.strategy)
                   .select_related("priority").prefetch_related("lead_agencies"))
    return notify_agencies(
        cycle, actions, subject=f"Updates wanted by {cycle.deadline:%d %B %Y}: {cycle.name}",
        intro=(f"{cycle.name} is open. The partnership meets on {cycle.meeting_date:%d %B %Y}. "
               f"Please write and submit the progress update for each of these actions by "
               f"{cycle.deadline:%d %B %Y}:"),
        line=lambda a: "your agency leads this", base_url=base_url)


def author(update: Update):
    """Whoever last submitted ``update`` (the person a return or approval is for)."""
    version = (update.versions.filter(event="submitted").select_related("author")
               .order_by("-number").first())
    return version.author if version is not None else update.updated_by


def _tell_author(update: Update, subject: str, body: str, base_url: str) -> int:
    person = author(update)
    if person is None or not person.is_active or not person.email:
        return 0
    link = f"{base_url}{reverse('strategy:update', args=[update.cycle_id, update.action_id])}"
    _send(Recipient(person.email, person.get_full_name() or person.get_username(), person),
          subject, body + f"\n\n{link}\n\nThank you.\n", update)
    return 1


def update_returned(update: Update, *, base_url: str = "") -> int:
    action = update.action
    number = f"{action.priority.number}.{action.number}"
    return _tell_author(
        update, f"Update {number} returned: {update.cycle.name}",
        f"The coordinator returned your update for action {number} ({excerpt(action.text)}) "
        f"in {update.cycle.name}. Please change it and submit it again by "
        f"{update.cycle.deadline:%d %B %Y}.\n\nThe coordinator's comment:\n"
        f"{update.review_comment}", base_url)


def update_approved(update: Update, *, base_url: str = "") -> int:
    action = update.action
    number = f"{action.priority.number}.{action.number}"
    return _tell_author(
        update, f"Update {number} approved: {update.cycle.name}",
        f"The coordinator approved your update for action {number} ({excerpt(action.text)}) "
        f"in {update.cycle.name}. It will be in the papers for the meeting on "
        f"{update.cycle.meeting_date:%d %B %Y}.", base_url)
