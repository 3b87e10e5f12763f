"""Demo partner intelligence: three submissions from the demo leads, one already triaged.
Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from ..strategy.models import Strategy
from .models import Intelligence

ITEMS = [
    ("council-lead", "drugs", "Cars stop for a minute outside the flats on Demo Road most "
     "evenings; young people run out to them.", "Bevois", "B", "new"),
    ("probation-lead", "exploitation", "A young person on our caseload has new clothes and "
     "two phones and is often out late.", "Bargate", "A", "tasking"),
    ("council-lead", "asb", "Fires set in the bins behind the parade of shops at weekends.",
     "Shirley", "A", "new"),
]


def load(title: str, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    strategy = Strategy.objects.filter(title=title).first()
    if strategy is None or Intelligence.objects.filter(partnership=strategy).exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.select_related(
        "membership__agency")}
    made = 0
    for i, (username, category, what, ward, reliability, status) in enumerate(ITEMS):
        user = users.get(username)
        if user is None:
            continue
        Intelligence.objects.create(
            partnership=strategy, submitted_by=user, agency=user.membership.agency,
            seen_on=today - dt.timedelta(days=10 - i), category=category, what=what, ward=ward,
            reliability=reliability, handling="P", status=status,
            grade=2 if status != "new" else None,
            outcome="Passed to the tasking meeting." if status == "tasking" else "")
        made += 1
    return made
