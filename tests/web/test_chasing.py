"""Chasing actions without an update, and the reminder emails (locmem backend)."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from safecity.web.partnerships.models import AuditEntry
from safecity.web.strategy.chasing import is_chasing_time, outstanding


def test_actions_without_a_submitted_update_are_listed_for_chasing(world):
    items = {i.action.pk: i.status for i in outstanding(world.cycle)}
    assert items == {world.joint_action.pk: "missing", world.all_action.pk: "missing",
                     world.probation_action.pk: "missing"}


def test_chasing_starts_a_week_before_the_deadline(world):
    deadline = world.cycle.deadline
    assert not is_chasing_time(world.cycle, deadline - dt.timedelta(days=8))
    assert is_chasing_time(world.cycle, deadline - dt.timedelta(days=7))
    assert not is_chasing_time(world.closed, world.closed.deadline)


def test_the_reminder_button_emails_each_lead_their_outstanding_actions(client, world):
    client.force_login(world.users["coordinator"])
    response = client.post(reverse("strategy:chase", args=[world.cycle.pk]))
    assert response.status_code == 302
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    # police leads the joint and All actions still missing; probation its own and All.
    assert set(by_recipient) == {"police_lead@example.org", "council_lead@example.org",
                                 "probation_lead@example.org"}
    assert "Joint work" in by_recipient["police_lead@example.org"]
    assert "Police work" not in by_recipient["police_lead@example.org"]  # already submitted
    assert "Probation work" in by_recipient["probation_lead@example.org"]
    assert "outsider@example.org" not in by_recipient
    assert AuditEntry.objects.filter(verb="email").count() == 3


def test_the_management_command_sends_reminders_for_cycles_near_their_deadline(world):
    call_command("send_reminders")
    assert len(mail.outbox) == 3
    assert all(m.subject.startswith("Update needed by") for m in mail.outbox)
