"""`safecity web demo` loads the demo partnership: about 25 actions, 10 agencies, a user per role
and two cycles in different states."""

from __future__ import annotations

from collections import Counter

import pytest

from safecity.web.partnerships.models import Agency, Membership
from safecity.web.strategy import demo
from safecity.web.strategy.models import Action, Priority, ReportingCycle, Update


@pytest.fixture
def loaded(db):
    return demo.load("a-demo-password-for-tests")


def test_the_demo_has_four_priorities_about_25_actions_and_about_ten_partner_agencies(loaded):
    assert Priority.objects.count() == 4
    assert 22 <= Action.objects.count() <= 28
    assert Agency.objects.filter(strategies__isnull=False).count() == 10
    assert Action.objects.filter(all_agencies_lead=True).exists()
    assert any(a.lead_agencies.count() > 1 for a in Action.objects.all())


def test_the_demo_has_one_user_per_role_and_an_outsider(loaded):
    roles = Counter(Membership.objects.values_list("role", flat=True))
    assert set(roles) == {"coordinator", "lead", "analyst", "member", "administrator",
                          "hate_coordinator", "youth_justice"}
    outsider = Membership.objects.get(user__username="outsider")
    assert not outsider.agency.strategies.exists()


def test_the_demo_has_a_closed_cycle_of_approved_updates_and_an_open_mixed_one(loaded):
    closed = ReportingCycle.objects.get(status="closed")
    assert set(closed.updates.values_list("status", flat=True)) == {"approved"}
    current = ReportingCycle.objects.get(status="open")
    statuses = set(current.updates.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned"}
    assert current.updates.count() < Action.objects.count()  # some are missing


def test_loading_the_demo_twice_changes_nothing_but_the_passwords(loaded):
    before = Update.objects.count()
    demo.load("another-password-for-tests")
    assert Update.objects.count() == before
    from django.contrib.auth import get_user_model
    assert get_user_model().objects.get(username="councillor").check_password(
        "another-password-for-tests")
