"""Demo Partnership Action Groups: one group per demo policing sector (Central, East, West)
with member agencies; open problems with plans, actions and reviews (one escalated to the
partnership), and in the West a problem closed with its before-and-after comparison and WDD
when the demo warehouse is loaded (``safecity demo`` before ``safecity web demo``).
Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..partnerships.models import Agency
from ..strategy.models import Strategy
from . import services
from .models import ActionGroup, Problem, Review, Task

# sector -> (group name, member agency short names, meets)
GROUPS = {
    "Central": ("Central PAG", ("Police", "City Council", "Housing", "Recovery"),
                "The first Tuesday of each month"),
    "East": ("East PAG", ("Police", "City Council", "Fire and Rescue", "Housing"),
             "The second Wednesday of each month"),
    "West": ("West PAG", ("Police", "City Council", "Youth Justice", "Housing"),
             "The last Thursday of each month"),
}
BEVOIS = ["E01017153", "E01017154", "E01017155"]
HAREFIELD = ["E01017198", "E01017199"]
MILLBROOK = ["E01017207", "E01017208", "E01017209", "E01017210"]
REDBRIDGE = ["E01017236", "E01017237", "E01017238", "E01017239"]  # the West's control area

PLAN = {
    "objectives": "Fewer reports of dealing and of needles found; residents say they feel "
                  "safer using the walkway by spring.",
    "scanning": "Residents and the housing officer report cars stopping briefly outside the "
                "flats most evenings, and needles in the stairwells.",
    "analysis": "Reports cluster between 6 pm and 10 pm near the unlit walkway; the stairwell "
                "doors do not lock, so the stairwells are used out of sight.",
    "response": "Repair the door entry, light the walkway, targeted patrols at peak times, and "
                "outreach from the recovery service.",
    "assessment": "Compare crime and ASB in the three LSOAs for six months before and after, "
                  "against the rest of the ward.",
}


def _agency(short: str) -> Agency | None:
    return Agency.objects.filter(short_name=short).first()


def load(title: str, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    strategy = Strategy.objects.filter(title=title).first()
    if strategy is None or ActionGroup.objects.filter(partnership=strategy).exists():
        return 0
    police, council, housing = _agency("Police"), _agency("City Council"), _agency("Housing")
    if not (police and council and housing):
        return 0
    with transaction.atomic():
        groups = {}
        for sector, (name, members, meets) in GROUPS.items():
            group = ActionGroup.objects.create(partnership=strategy, sector=sector, name=name,
                                               meets=meets)
            group.members.set([a for a in map(_agency, members) if a is not None])
            groups[sector] = group
        dealing = Problem.objects.create(
            group=groups["Central"], title="Drug dealing around the flats on Demo Road",
            kind=Problem.Kind.DRUGS, owner=police, opened_on=dt.date(2020, 6, 2),
            place_description="The flats on Demo Road and the walkway behind them",
            lsoas=BEVOIS, **PLAN)
        for text, owner, due, done in [
                ("Repair the door entry system on the three blocks.", housing, -60, -75),
                ("Light the walkway behind the flats.", council, -20, None),
                ("Targeted patrols between 6 pm and 10 pm.", police, 30, None)]:
            Task.objects.create(problem=dealing, text=text, owner=owner,
                                due_on=today + dt.timedelta(days=due),
                                done_on=today + dt.timedelta(days=done) if done else None)
        Review.objects.create(problem=dealing, meeting_on=today - dt.timedelta(days=63),
                              notes="Door entry repaired on two blocks; patrols started.",
                              decision=Review.Decision.CONTINUE)
        Review.objects.create(problem=dealing, meeting_on=today - dt.timedelta(days=28),
                              notes="Lighting delayed by the council's contractor; the group "
                                    "asks the partnership to unblock the funding.",
                              decision=Review.Decision.ESCALATE)
        dealing.escalated_on = today - dt.timedelta(days=28)
        dealing.save()
        fires = Problem.objects.create(
            group=groups["East"], title="Bin fires behind the shopping parade",
            kind=Problem.Kind.DAMAGE, owner=_agency("Fire and Rescue") or council,
            opened_on=dt.date(2020, 9, 1), place_description="The service road behind the "
            "Harefield shopping parade", lsoas=HAREFIELD,
            objectives="No deliberate bin fires for three months.",
            scanning="Bins set alight at weekends, mostly on Saturday nights.",
            response="Locked bin stores, a fire safety visit to each shop, and patrols.")
        Task.objects.create(problem=fires, text="Fire safety visit to each shop on the parade.",
                            owner=fires.owner, due_on=today + dt.timedelta(days=14))
        Review.objects.create(problem=fires, meeting_on=today - dt.timedelta(days=35),
                              notes="Bin stores ordered; two fires since the last meeting.",
                              decision=Review.Decision.CONTINUE)
        asb = Problem.objects.create(
            group=groups["West"], title="Anti-social behaviour around Millbrook precinct",
            kind=Problem.Kind.ASB, owner=council, opened_on=dt.date(2019, 12, 2),
            place_description="Millbrook precinct and the play area", lsoas=MILLBROOK,
            objectives="Fewer ASB incidents at the precinct in the evenings.",
            scanning="Groups gathering at the precinct in the evenings; shopkeepers report "
                     "intimidation.",
            response="Youth outreach at the play area, CCTV relocated, dispersal patrols.")
        Task.objects.create(problem=asb, text="Youth outreach sessions on Friday evenings.",
                            owner=_agency("Youth Justice") or council,
                            due_on=dt.date(2020, 3, 31), done_on=dt.date(2020, 3, 20))
        Review.objects.create(problem=asb, meeting_on=dt.date(2020, 10, 29),
                              notes="Outreach well attended; shopkeepers report fewer groups.",
                              decision=Review.Decision.CLOSE)
    if services.latest_month() is not None:  # the demo warehouse is loaded: close with WDD
        services.close(asb, {"crime_type": "asb", "before_first": "2019-04",
                             "before_last": "2019-09", "after_first": "2020-04",
                             "after_last": "2020-09", "control_text": REDBRIDGE,
                             "closing_note": "Outreach and patrols are now routine; the "
                                             "group closes the problem on the comparison "
                                             "below and will reopen it if reports rise."})
    return 3
