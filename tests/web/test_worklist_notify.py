"""A lead's own list of actions, and the emails: a cycle opening, a return, an approval, and
the agencies with nobody to notify."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.urls import reverse

from safecity.web.partnerships.models import Agency
from safecity.web.strategy.models import Action, Update
from safecity.web.strategy.notify import excerpt
from safecity.web.strategy.updates import return_update, save_update


def _states(page: str) -> list[tuple[str, str]]:
    """(action number, state) in the order the lead's table lists them."""
    return re.findall(r'>(\d+\.\d+)<span class="govuk-visually-hidden"> ([^<]+)</span>', page)


def test_a_lead_sees_their_agencys_actions_with_returned_ones_first(as_user, world):
    joint = save_update(Update(cycle=world.cycle, action=world.joint_action),
                        world.users["council_lead"], rag="red", text="Joint", expected_version=0,
                        submit=True)
    return_update(joint, world.users["coordinator"], comment="More detail",
                  expected_version=joint.version)
    page = as_user(world.users["police_lead"]).get(reverse("strategy:home")).content.decode()
    assert "Your actions in this cycle: Open cycle" in page
    # police leads 1.1 (submitted), 1.2 with the council (returned) and 1.3 (All, no update);
    # not 1.4, which probation leads.
    assert _states(page) == [("1.2", "Returned to you"), ("1.3", "Not started"),
                             ("1.1", "Submitted")]
    assert world.cycle.deadline.strftime("%-d %B %Y") in page


def test_a_probation_lead_with_nothing_returned_sees_drafts_after_not_started(as_user, world):
    save_update(Update(cycle=world.cycle, action=world.probation_action),
                world.users["probation_lead"], rag="", text="", expected_version=0, submit=False)
    page = as_user(world.users["probation_lead"]).get(reverse("strategy:home")).content.decode()
    assert _states(page) == [("1.3", "Not started"), ("1.4", "Draft")]
    assert "2 still need you" in page


def test_opening_a_cycle_emails_each_lead_agencys_people_their_own_actions(as_user, world):
    fire = Agency.objects.create(name="Test Fire and Rescue", short_name="Fire")
    world.strategy.partners.add(fire)  # a partner with no people: nobody to notify
    world.cycle.status = "closed"  # one open cycle at a time
    world.cycle.save()
    client = as_user(world.users["coordinator"])
    today = dt.date.today()
    response = client.post(reverse("strategy:cycle_new", args=[world.strategy.pk]), {
        "name": "June meeting", "meeting_date": (today + dt.timedelta(days=30)).isoformat(),
        "deadline": (today + dt.timedelta(days=20)).isoformat()}, follow=True)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"police_lead@example.org", "council_lead@example.org",
                                 "probation_lead@example.org"}
    police = by_recipient["police_lead@example.org"].body
    assert "June meeting is open" in police and "Police work" in police
    assert "Probation work" not in police and "Probation work" in \
        by_recipient["probation_lead@example.org"].body
    assert "outsider@example.org" not in by_recipient
    message = response.content.decode()
    assert "3 emails sent." in message
    assert "Nobody to notify at Test Fire and Rescue" in message  # leads the All action


def test_an_agencys_shared_inbox_is_notified_too(as_user, world):
    world.agencies["probation"].email = "team@probation.example.org"
    world.agencies["probation"].save()
    client = as_user(world.users["coordinator"])
    client.post(reverse("strategy:chase", args=[world.cycle.pk]))
    inbox = [m for m in mail.outbox if m.to == ["team@probation.example.org"]]
    assert len(inbox) == 1 and inbox[0].body.startswith("Dear colleagues at probation")


def test_the_coordinator_sees_agencies_with_nobody_to_notify(as_user, world):
    world.users["probation_lead"].is_active = False
    world.users["probation_lead"].save()
    page = as_user(world.users["coordinator"]).get(
        reverse("strategy:cycle", args=[world.cycle.pk])).content.decode()
    assert "Nobody to notify at Test Probation" in page
    response = as_user(world.users["coordinator"]).post(
        reverse("strategy:chase", args=[world.cycle.pk]), follow=True)
    assert "Nobody to notify at Test Probation" in response.content.decode()
    assert "probation_lead@example.org" not in {m.to[0] for m in mail.outbox}


def test_returning_and_approving_email_the_author(as_user, world):
    client = as_user(world.users["coordinator"])
    url = reverse("strategy:update_review", args=[world.cycle.pk, world.police_action.pk])
    client.post(url, {"decision": "return", "comment": "Add the figures",
                      "version": world.submitted.version})
    [returned] = mail.outbox
    assert returned.to == ["police_lead@example.org"]
    assert returned.subject == "Update 1.1 returned: Open cycle"
    assert "Add the figures" in returned.body
    update = Update.objects.get(pk=world.submitted.pk)
    update = save_update(update, world.users["police_lead"], rag="green", text="With figures",
                         expected_version=update.version, submit=True)
    client.post(url, {"decision": "approve", "version": update.version})
    assert mail.outbox[1].to == ["police_lead@example.org"]
    assert mail.outbox[1].subject == "Update 1.1 approved: Open cycle"


def test_email_text_never_cuts_a_word(as_user, world):
    words = ("Deliver multi-agency problem-solving partnership interventions in the "
             "neighbourhoods with the highest harm, including environmental improvements, "
             "youth diversion, licensing enforcement and targeted patrols").split()
    Action.objects.filter(pk=world.joint_action.pk).update(text=" ".join(words))
    as_user(world.users["coordinator"]).post(reverse("strategy:chase", args=[world.cycle.pk]))
    body = next(m.body for m in mail.outbox if m.to == ["council_lead@example.org"])
    line = next(line for line in body.splitlines() if line.startswith("- 1.2 "))
    quoted = line.removeprefix("- 1.2 ").rsplit(" (", 1)[0]
    assert quoted.endswith(" …") and len(quoted) <= 120
    shown = quoted.removesuffix(" …").split()
    assert shown == words[:len(shown)]  # whole words, in order
    assert excerpt("short text") == "short text"
