"""The audit log records every change and every view of a restricted page."""

from __future__ import annotations

from django.urls import reverse

from safecity.web.partnerships.models import AuditEntry


def test_every_change_to_an_update_is_audited_with_who_and_what(client, world):
    client.force_login(world.users["police_lead"])
    before = AuditEntry.objects.count()
    client.post(reverse("strategy:update_edit", args=[world.cycle.pk, world.police_action.pk]),
                {"rag": "red", "text": "Changed", "version": 1, "save": "1"})
    entry = AuditEntry.objects.filter(verb="change", model="strategy.Update").first()
    assert entry.user == world.users["police_lead"]
    assert entry.changes["text"] == ["Police text", "Changed"]
    assert entry.path.startswith("/strategy/cycles/")
    assert AuditEntry.objects.count() > before


def test_viewing_an_unpublished_update_is_audited_but_a_published_one_is_not(client, world):
    client.force_login(world.users["coordinator"])
    client.get(reverse("strategy:update", args=[world.cycle.pk, world.police_action.pk]))
    client.get(reverse("strategy:update", args=[world.closed.pk, world.police_action.pk]))
    views = AuditEntry.objects.filter(verb="view", model="strategy.Update")
    assert views.count() == 1
    assert views.get().user == world.users["coordinator"]


def test_changing_an_actions_lead_agencies_is_audited(client, world):
    client.force_login(world.users["coordinator"])
    client.post(reverse("strategy:action_edit", args=[world.police_action.pk]), {
        "text": "Police work", "lead_agencies": [world.agencies["council"].pk]})
    entry = AuditEntry.objects.filter(model="strategy.Action", changes__has_key="lead_agencies")
    assert entry.exists()


def test_reading_the_audit_log_is_itself_audited(client, world):
    client.force_login(world.users["administrator"])
    assert client.get(reverse("audit_log")).status_code == 200
    assert AuditEntry.objects.filter(verb="view", model="partnerships.AuditEntry").exists()
