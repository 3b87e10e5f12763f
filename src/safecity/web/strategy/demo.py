"""Load the demo partnership: agencies, one user per role, the strategy, indicators and two
reporting cycles (one closed with approved updates, one open with a mix of states).

Idempotent: loading again resets the demo users' passwords and leaves the rest as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from ..dashboards.models import Indicator
from ..partnerships.models import Agency, Membership
from . import demo_content as content
from .models import Action, Priority, ReportingCycle, Strategy, Update
from .schedule import meetings
from .updates import approve_update, return_update, save_update

TITLE = "Riverton Safer City Partnership Strategy 2020-2023"
RAGS = ["green", "amber", "green", "red", "complete", "green", "amber"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    agency: str
    role: str


def load(password: str) -> list[DemoUser]:
    User = get_user_model()
    with transaction.atomic():
        agencies = {}
        for key, short, name in content.AGENCIES + [content.OUTSIDER_AGENCY]:
            agencies[key], _ = Agency.objects.get_or_create(
                name=name, defaults={"short_name": short})
        people = []
        for username, first, last, agency, role, title in content.PEOPLE:
            user, _ = User.objects.get_or_create(username=username, defaults={
                "first_name": first, "last_name": last, "email": f"{username}@example.org"})
            user.set_password(password)
            user.is_staff = user.is_superuser = role == "administrator"
            user.save()
            Membership.objects.update_or_create(user=user, defaults={
                "agency": agencies[agency], "role": role, "job_title": title})
            people.append(DemoUser(username, f"{first} {last}", agencies[agency].name, role))
        if not Strategy.objects.filter(title=TITLE).exists():
            _load_strategy(agencies)
    return people


def _load_strategy(agencies: dict[str, Agency]) -> None:
    User = get_user_model()
    # Six meetings a year from June 2020; the two demo cycles are the strategy's last autumn
    # and winter meetings, so every date falls inside its 2020-2023 period.
    strategy = Strategy.objects.create(title=TITLE, partnership="Riverton Safer City Partnership",
                                       start=dt.date(2020, 4, 1),
                                       end=dt.date(2023, 3, 31), meetings_per_year=6,
                                       first_meeting=dt.date(2020, 6, 16), deadline_days=10)
    strategy.partners.set([a for k, a in agencies.items() if k != "outside"])
    for p_number, (title, actions) in enumerate(content.PRIORITIES, start=1):
        priority = Priority.objects.create(strategy=strategy, number=p_number, title=title)
        indicators = [Indicator.objects.create(priority=priority, name=name, metric=metric,
                                               direction=direction, target=target)
                      for name, metric, direction, target in content.INDICATORS.get(p_number, [])]
        for a_number, (text, leads, supporting) in enumerate(actions, start=1):
            action = Action.objects.create(
                priority=priority, number=a_number, text=text, all_agencies_lead=leads == "All",
                target_date=dt.date(2023, 3, 31))
            if leads != "All":
                action.lead_agencies.set([agencies[k] for k in leads])
            action.supporting_agencies.set([agencies[k] for k in supporting])
            action.indicators.set(indicators[:1])

    coordinator = User.objects.get(username="coordinator")
    autumn, winter = [m for m in meetings(strategy)
                      if m.meeting_date in (dt.date(2022, 10, 16), dt.date(2022, 12, 16))]
    closed = ReportingCycle.objects.create(
        strategy=strategy, name="Autumn partnership meeting", status="closed",
        meeting_date=autumn.meeting_date, deadline=autumn.deadline, opened_by=coordinator)
    current = ReportingCycle.objects.create(
        strategy=strategy, name="Winter partnership meeting",
        meeting_date=winter.meeting_date, deadline=winter.deadline, opened_by=coordinator)
    actions = list(Action.objects.filter(priority__strategy=strategy))
    for i, action in enumerate(actions):
        author = _author(action) or coordinator
        rag = RAGS[i % len(RAGS)]
        update = save_update(Update(cycle=closed, action=action), author, rag=rag,
                             text=content.UPDATE_TEXT[rag], expected_version=0, submit=True)
        approve_update(update, coordinator, expected_version=update.version)

        state = i % 5  # 0 missing, 1 draft, 2 submitted, 3 returned, 4 submitted
        if state == 0:
            continue
        rag = RAGS[(i + 1) % len(RAGS)]
        update = save_update(Update(cycle=current, action=action), author, rag=rag,
                             text=content.UPDATE_TEXT[rag], expected_version=0,
                             submit=state != 1)
        if state == 3:
            return_update(update, coordinator, expected_version=update.version,
                          comment="Please add what has changed since the last meeting and "
                                  "when the next milestone is due.")


def _author(action: Action):
    User = get_user_model()
    leads = User.objects.filter(membership__role="lead").order_by("username")
    return leads.filter(membership__agency__in=action.leading_agencies()).first()
