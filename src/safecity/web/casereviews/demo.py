"""Demo ASB Case Reviews: the demo partnership's procedure (the default threshold) and four
applications in different states, so the yearly figures have something to count. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..partnerships.models import Agency
from ..strategy.models import Strategy
from .models import Application, Complaint, Procedure, Recommendation


def load(title: str, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    strategy = Strategy.objects.filter(title=title).first()
    if strategy is None or Procedure.objects.filter(partnership=strategy).exists():
        return 0
    d = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    agencies = list(Agency.objects.filter(strategies=strategy).order_by("name"))
    with transaction.atomic():
        Procedure.objects.create(partnership=strategy)
        cases = [
            ("Noise from a neighbour's flat at night", [150, 100, 60], "closed", True),
            ("Young people gathering and shouting outside the shops", [120, 90], "not_met",
             False),
            ("Harassment by a neighbour", [80, 50, 20], "reviewing", False),
            ("Motorbikes ridden on the playing field", [40, 30, 15], "received", False),
        ]
        for i, (problem, days, status, recs) in enumerate(cases):
            received = d(days[-1] - 5)
            app = Application.objects.create(
                partnership=strategy, received_on=received, applicant="victim",
                applicant_name=f"Demo Applicant {i + 1}", contact_email=f"applicant{i + 1}@"
                "example.org", problem=problem, place="Demo Road", description="Demo case: "
                "the behaviour has gone on for months despite reports.", status=status,
                threshold_met=status in ("closed", "reviewing") if status != "received" else None,
                decided_on=received + dt.timedelta(days=3) if status != "received" else None)
            for n, ago in enumerate(days):
                Complaint.objects.create(application=app, incident_on=d(ago + 2),
                                         reported_on=d(ago), problem=problem,
                                         reported_to=["Police", "Council", "Housing"][n % 3])
            if status == "not_met":
                app.closed_on = app.decided_on
            if status == "closed":
                app.meeting_on = received + dt.timedelta(days=20)
                app.outcome = "The agencies agreed a joint plan with the housing provider."
                app.closed_on = received + dt.timedelta(days=25)
                if recs and agencies:
                    Recommendation.objects.create(application=app, owner=agencies[0],
                                                  text="Install noise monitoring equipment.",
                                                  due_on=received + dt.timedelta(days=60))
            app.save()
    return len(cases)
