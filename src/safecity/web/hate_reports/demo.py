"""Demo hate reporting: reporting centres of the demo partnership and reports in every state,
received in the demo warehouse's last months (October to December 2020) so the assessment and
the monthly pack count them once they are sent to the warehouse. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..strategy.models import Strategy
from .models import Centre, Report

CENTRES = [
    ("Central Library", "Bargate"),
    ("Riverton Mosque Community Centre", "Bevois"),
    ("Pride Riverton", "Portswood"),
    ("Disability Advice Centre", "Shirley"),
    ("Riverton College", "Swaythling"),
    ("Victim Support Riverton", "Bargate"),
    ("Northam Youth Club", "Bevois"),
]
INACTIVE = {"Northam Youth Club"}
# (centre index or None for online, strands, status, day offset from 1 Oct 2020, wants police)
REPORTS = [
    (0, ["race"], "police", 3, True), (0, ["race", "religion"], "recorded", 9, False),
    (1, ["religion"], "police", 14, True), (1, ["religion", "race"], "signposted", 21, False),
    (2, ["sexual_orientation"], "recorded", 25, False), (2, ["transgender"], "police", 33, True),
    (3, ["disability"], "signposted", 38, False), (4, ["race"], "recorded", 41, False),
    (5, ["race"], "police", 47, True), (None, ["sexual_orientation"], "recorded", 52, False),
    (None, ["race"], "rejected", 55, False), (0, ["race"], "recorded", 58, False),
    (1, ["religion"], "recorded", 63, False), (5, ["disability"], "new", 70, True),
    (None, ["race", "disability"], "new", 74, False), (2, ["sexual_orientation"], "new", 78, True),
]
TEXT = ("Demo report: a group shouted abuse about the person's {what} at a bus stop and "
        "followed them for a short way.")


def load(title: str) -> int:
    """Load the centres and reports for the strategy called ``title``; returns reports made."""
    strategy = Strategy.objects.filter(title=title).first()
    if strategy is None or Centre.objects.filter(partnership=strategy).exists():
        return 0
    with transaction.atomic():
        centres = [Centre.objects.create(partnership=strategy, name=name, area=area,
                                         active=name not in INACTIVE)
                   for name, area in CENTRES]
        start = dt.datetime(2020, 10, 1, 11, 0, tzinfo=timezone.get_current_timezone())
        for i, (c, strands, status, day, police) in enumerate(REPORTS):
            received = start + dt.timedelta(days=day)
            report = Report.objects.create(
                partnership=strategy, centre=centres[c] if c is not None else None,
                reporter=Report.Reporter.CENTRE if c is not None else Report.Reporter.VICTIM,
                strands=strands, what_happened=TEXT.format(what=" and ".join(strands).replace(
                    "_", " ")), place="Demo Street bus stop",
                happened_on=received.date() - dt.timedelta(days=1), wants_police=police,
                contact_ok=False, status=status,
                lsoa_code="E01017140" if status != "new" else "",
                triaged_at=received + dt.timedelta(days=2) if status != "new" else None)
            Report.objects.filter(pk=report.pk).update(received_at=received)
    return len(REPORTS)
