"""Partner intelligence: a partner submits, an analyst triages, the submitter sees the outcome
and never another partner's intelligence; views audited without the text; retention purge."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from safecity.web.intelligence import services
from safecity.web.intelligence.models import Intelligence
from safecity.web.partnerships.models import AuditEntry, Membership

WHAT = "Cars stopping for a minute outside 14 Demo Road every evening; young people run out."


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _submit(client, **extra):
    data = {"category": "drugs", "what": WHAT, "seen_on": "01/11/2024", "ward": "Bevois",
            "reliability": "A", "handling": "P", **extra}
    return client.post(reverse("intelligence:submit"), data)


def test_a_partner_submits_an_analyst_triages_and_the_submitter_sees_the_outcome(world):
    lead = _client(world.users["council_lead"])
    assert _submit(lead).status_code == 302
    item = Intelligence.objects.get()
    assert (item.agency, item.submitted_by) == (world.agencies["council"],
                                                world.users["council_lead"])
    analyst = _client(world.users["analyst"])
    assert str(item) in analyst.get(reverse("intelligence:list")).content.decode()
    url = reverse("intelligence:item", args=[item.pk])
    response = analyst.post(url, {"grade": "2", "decision": "nfa"})
    assert "Enter the reason for no further action" in response.content.decode()
    analyst.post(url, {"grade": "2", "decision": "tasking",
                       "outcome": "Passed to the tasking meeting on Tuesday."})
    item.refresh_from_db()
    assert (item.status, item.grade, item.triaged_by) == ("tasking", 2, world.users["analyst"])
    mine = lead.get(reverse("intelligence:mine")).content.decode()
    assert "Passed to the tasking meeting on Tuesday." in mine
    assert lead.post(url, {"grade": "1", "decision": "nfa", "outcome": "x"}).status_code == 403


def test_no_one_else_learns_the_intelligence_exists(world):
    _submit(_client(world.users["council_lead"]))
    item = Intelligence.objects.get()
    url = reverse("intelligence:item", args=[item.pk])
    for persona in ("police_lead", "probation_lead", "councillor", "coordinator", "outsider"):
        client = _client(world.users[persona])
        assert client.get(url).status_code == 404, persona
        assert WHAT not in client.get(reverse("intelligence:mine")).content.decode()
    other = get_user_model().objects.create_user("other-analyst", "a@example.org", "pw-123456")
    Membership.objects.create(user=other, agency=world.agencies["outside"], role="analyst")
    client = _client(other)
    assert client.get(url).status_code == 404
    assert str(item) not in client.get(reverse("intelligence:list")).content.decode()


def test_the_form_needs_a_place_and_conditions_for_handling_code_c(world):
    response = _submit(_client(world.users["police_lead"]), ward="", handling="C")
    page = response.content.decode()
    assert "Enter a ward, an LSOA code or a place" in page
    assert "Enter the conditions on sharing" in page
    assert not Intelligence.objects.exists()


def test_an_outsider_cannot_submit_and_is_not_offered_to(world):
    client = _client(world.users["outsider"])
    assert _submit(client).status_code == 403
    assert reverse("intelligence:submit") not in client.get(
        reverse("intelligence:mine")).content.decode()


def test_every_view_is_audited_and_the_log_never_holds_the_text(world):
    _submit(_client(world.users["council_lead"]))
    item = Intelligence.objects.get()
    _client(world.users["analyst"]).get(reverse("intelligence:item", args=[item.pk]))
    assert AuditEntry.objects.filter(verb="view", model="intelligence.Intelligence",
                                     object_id=str(item.pk)).exists()
    logged = str(list(AuditEntry.objects.values_list("changes", "object_repr")))
    assert "Demo Road" not in logged


def test_intelligence_is_purged_after_twelve_months(world):
    _submit(_client(world.users["council_lead"]))
    item = Intelligence.objects.get()
    submitted = item.submitted_at.date()
    assert services.purge(submitted.replace(year=submitted.year + 1)) == 0
    assert services.purge(submitted.replace(year=submitted.year + 1)
                          + dt.timedelta(days=1)) == 1
    assert not Intelligence.objects.exists()
    assert AuditEntry.objects.filter(verb="delete", model="intelligence.Intelligence").exists()
