"""Every view × every persona, with the status each must get.

The URLconf is walked, so a new view without a row in ``EXPECTED`` fails
``test_every_view_has_an_expected_row`` instead of escaping the matrix. Outsiders (an agency that
is not a partner of the strategy) get 404; read-only users get 403 (healthchecks' convention).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The personas of tests/web/conftest.py (checked by test_the_matrix_covers_every_persona).
PERSONAS = ("coordinator", "analyst", "police_lead", "council_lead", "probation_lead",
            "councillor", "administrator", "outsider")

ANON = "anonymous"
ROLES = (ANON, *PERSONAS)
ALL_SIGNED_IN = tuple(PERSONAS)
PARTNERS = tuple(p for p in PERSONAS if p != "outsider")
MANAGERS = ("coordinator", "administrator")
DATA = ("coordinator", "administrator", "analyst")
NOT_ADMIN_SITE = ("admin",)  # Django's admin has its own staff check, tested below


def expect(ok=(), ok_status=200, forbidden=(), not_found=(), other=None, anon=302):
    """A row: personas in ``ok`` get ``ok_status``, ``forbidden`` 403, ``not_found`` 404."""
    row = {ANON: anon}
    for persona in PERSONAS:
        row[persona] = (ok_status if persona in ok else 403 if persona in forbidden
                        else 404 if persona in not_found else None)
    row.update(other or {})
    missing = [p for p, s in row.items() if s is None]
    assert not missing, f"no expectation for {missing}"
    return row


def partners_read(ok_status=200):
    return expect(ok=PARTNERS, ok_status=ok_status, not_found=("outsider",))


def managers_write(ok=MANAGERS, ok_status=200):
    return expect(ok=ok, ok_status=ok_status, forbidden=[p for p in PARTNERS if p not in ok],
                  not_found=("outsider",))


def managers_only(ok_status=200):
    """A page of the partnership's set-up that names no one object: 403 for everyone else."""
    return expect(ok=MANAGERS, ok_status=ok_status,
                  forbidden=[p for p in PERSONAS if p not in MANAGERS])


def _invited(w):
    """A police officer invited but yet to choose a password."""
    from django.contrib.auth import get_user_model

    from safecity.web.partnerships.models import Membership

    user = get_user_model().objects.create_user("new@example.org", "new@example.org", None)
    Membership.objects.create(user=user, agency=w.agencies["police"], role="lead")
    return [user.pk]


import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from permission_rows_channels import (action_group_rows, case_review_rows,  # noqa: E402
                                      channel_rows, intelligence_rows)
from permission_rows_governance import governance_rows  # noqa: E402  (data governance's rows)
from evidence_runs import evidence_rows  # noqa: E402  (published evidence's rows)

CHANNEL_ROWS = {**channel_rows(expect, PERSONAS, PARTNERS, MANAGERS),
                **case_review_rows(expect, PERSONAS, PARTNERS, MANAGERS),
                **intelligence_rows(expect, PERSONAS, PARTNERS),
                **action_group_rows(expect, PERSONAS, PARTNERS, MANAGERS)}
GOVERNANCE_ROWS = governance_rows(expect, PERSONAS, PARTNERS, MANAGERS)
EVIDENCE_ROWS = evidence_rows(expect, PERSONAS, PARTNERS)

# name -> (method, kwargs builder, expected row)
EXPECTED = {
    "pages:home": ("get", None, expect(ok=ALL_SIGNED_IN, anon=200)),
    "pages:accessibility": ("get", None, expect(ok=ALL_SIGNED_IN, anon=200)),
    "pages:cookies": ("get", None, expect(ok=ALL_SIGNED_IN, anon=200)),
    "pages:privacy": ("get", None, expect(ok=ALL_SIGNED_IN, anon=200)),
    "login": ("get", None, expect(ok=ALL_SIGNED_IN, ok_status=302, anon=200)),
    "logout": ("post", None, expect(ok=ALL_SIGNED_IN, ok_status=302, anon=302)),
    "keep_alive": ("get", None, expect(ok=ALL_SIGNED_IN, ok_status=204)),
    "account": ("get", None, expect(ok=ALL_SIGNED_IN)),
    "audit_log": ("get", None, expect(ok=("administrator",),
                                      forbidden=[p for p in PERSONAS if p != "administrator"])),
    "people": ("get", None, managers_only()),
    "invite": ("get", None, managers_only()),
    "agencies": ("get", None, managers_only()),
    "agency_new": ("get", None, managers_only()),
    "person": ("get", lambda w: [w.users["police_lead"].pk], managers_write()),
    "person_active": ("post", _invited, managers_write(
        ok_status=302)),
    "person_reinvite": ("post", _invited, managers_write(ok_status=302)),
    "agency_edit": ("get", lambda w: [w.agencies["police"].pk], managers_write()),
    "accept_invitation": ("get", lambda w: ["MQ", "not-a-token"], expect(
        ok=ALL_SIGNED_IN, anon=200)),
    # Leads get their own list of actions; others with one strategy go straight to it.
    "strategy:home": ("get", None, expect(ok=PARTNERS, ok_status=302, other={
        "outsider": 200, "police_lead": 200, "council_lead": 200, "probation_lead": 200})),
    "strategy:strategy": ("get", lambda w: [w.strategy.pk], partners_read()),
    "strategy:import": ("get", None, expect(ok=MANAGERS, forbidden=[p for p in PERSONAS
                                                                    if p not in MANAGERS])),
    "strategy:import_preview": ("get", None, expect(ok=MANAGERS, ok_status=302, forbidden=[
        p for p in PERSONAS if p not in MANAGERS])),
    "strategy:cycle_new": ("get", lambda w: [w.strategy.pk], managers_write()),
    "strategy:rag_meanings": ("get", lambda w: [w.strategy.pk], managers_write()),
    "strategy:schedule": ("get", lambda w: [w.strategy.pk], managers_write()),
    # Posted without a meeting date, a manager is told there is no such meeting.
    "strategy:schedule_open": ("post", lambda w: [w.strategy.pk], managers_write(ok_status=404)),
    "strategy:action": ("get", lambda w: [w.police_action.pk], partners_read()),
    "strategy:action_edit": ("get", lambda w: [w.police_action.pk], managers_write()),
    "strategy:cycle": ("get", lambda w: [w.cycle.pk], partners_read()),
    "strategy:cycle_close": ("post", lambda w: [w.cycle.pk], managers_write(ok_status=302)),
    "strategy:chase": ("get", lambda w: [w.cycle.pk], managers_write()),
    # The police-led action's update is submitted, so unpublished: its readers are its lead
    # agency, the coordinator, analysts and administrators.
    "strategy:update": ("get", lambda w: [w.cycle.pk, w.police_action.pk], expect(
        ok=("coordinator", "administrator", "analyst", "police_lead"),
        forbidden=("council_lead", "probation_lead", "councillor"), not_found=("outsider",))),
    "strategy:update_edit": ("get", lambda w: [w.cycle.pk, w.police_action.pk],
                             managers_write(ok=("coordinator", "administrator", "police_lead"))),
    "strategy:update_review": ("get", lambda w: [w.cycle.pk, w.police_action.pk], expect(
        ok=MANAGERS, forbidden=("analyst", "police_lead", "council_lead", "probation_lead",
                                "councillor"), not_found=("outsider",))),
    "dashboards:scorecard": ("get", lambda w: [w.strategy.pk], partners_read()),
    "dashboards:refresh": ("post", lambda w: [w.strategy.pk], managers_write(DATA, 302)),
    "dashboards:indicator_new": ("get", lambda w: [w.strategy.pk], managers_write(DATA)),
    "dashboards:indicator": ("get", lambda w: [w.indicator.pk], partners_read()),
    "dashboards:indicator_edit": ("get", lambda w: [w.indicator.pk], managers_write(DATA)),
    "dashboards:violence": ("get", lambda w: [w.strategy.pk], partners_read()),
    "dashboards:violence_csv": ("get", lambda w: [w.strategy.pk], partners_read()),
    # The youth re-offending tracker names children by key: the youth justice role
    # (tests/web/test_youth_tracker.py) and administrators only; 404 for every other role, so
    # its existence is not revealed.
    "dashboards:youth_tracker": ("get", None, expect(
        ok=("administrator",), not_found=[p for p in PERSONAS if p != "administrator"])),
    "reports:paper": ("get", lambda w: [w.closed.pk], partners_read()),
    "reports:paper_docx": ("get", lambda w: [w.closed.pk], partners_read()),
    "reports:paper_pdf": ("get", lambda w: [w.closed.pk], partners_read()),
    "reports:scorecard_xlsx": ("get", lambda w: [w.strategy.pk], partners_read()),
    **CHANNEL_ROWS,
    **GOVERNANCE_ROWS,
    **EVIDENCE_ROWS,
}


def url_names(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in NOT_ADMIN_SITE:
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"the URL {entry.pattern} has no name, so the matrix cannot see it"
            yield namespace + entry.name


def test_the_matrix_covers_every_persona(world):
    assert sorted(world.users) == sorted(PERSONAS)


def test_every_view_has_an_expected_row():
    assert sorted(set(url_names()) - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - set(url_names())) == []


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_persona_gets_the_expected_status(world, name):
    # One world per view, every persona in turn (a fresh client each): the whole row is
    # reported at once, and the matrix stays fast.
    method, kwargs, row = EXPECTED[name]
    url = reverse(name, args=kwargs(world) if kwargs else None)
    got = {}
    for role in ROLES:
        client = Client()
        if role != ANON:
            client.force_login(world.users[role])
        got[role] = getattr(client, method)(url).status_code
    assert got == row, f"{method.upper()} {url}"


@pytest.mark.parametrize("role", [p for p in PERSONAS if p != "administrator"])
def test_the_django_admin_site_is_for_administrators_only(client, world, role):
    client.force_login(world.users[role])
    assert client.get("/admin/").status_code == 302


def test_an_agency_lead_cannot_edit_another_agencys_action(client, world):
    client.force_login(world.users["probation_lead"])
    url = reverse("strategy:update_edit", args=[world.cycle.pk, world.joint_action.pk])
    assert client.get(url).status_code == 403


def test_a_co_lead_can_write_the_update_of_an_action_their_agency_co_leads(client, world):
    client.force_login(world.users["council_lead"])
    url = reverse("strategy:update_edit", args=[world.cycle.pk, world.joint_action.pk])
    assert client.get(url).status_code == 200


def test_every_partner_lead_can_write_an_action_all_agencies_lead(client, world):
    for persona in ("police_lead", "council_lead", "probation_lead"):
        client.force_login(world.users[persona])
        url = reverse("strategy:update_edit", args=[world.cycle.pk, world.all_action.pk])
        assert client.get(url).status_code == 200, persona


def test_an_outsider_gets_404_even_for_an_action_all_agencies_lead(client, world):
    client.force_login(world.users["outsider"])
    url = reverse("strategy:update_edit", args=[world.cycle.pk, world.all_action.pk])
    assert client.get(url).status_code == 404


def test_an_action_of_another_strategy_is_not_found_in_this_cycle(client, world):
    """The update page joins cycle and action in one statement: the action must belong to the
    cycle's strategy, whatever the reader's role (an administrator sees every strategy)."""
    import datetime as dt

    from safecity.web.strategy.models import Action, Priority, Strategy

    other = Strategy.objects.create(title="Other strategy", start=dt.date(2020, 4, 1),
                                    end=dt.date(2023, 3, 31))
    other.partners.set([world.agencies["police"]])
    priority = Priority.objects.create(strategy=other, number=1, title="Elsewhere")
    action = Action.objects.create(priority=priority, number=1, text="Not in this cycle",
                                   all_agencies_lead=True)
    for persona in ("coordinator", "administrator", "police_lead"):
        client.force_login(world.users[persona])
        for name in ("strategy:update", "strategy:update_edit"):
            url = reverse(name, args=[world.cycle.pk, action.pk])
            assert client.get(url).status_code == 404, (persona, name)
        url = reverse("strategy:update_edit", args=[world.cycle.pk + 1000, world.all_action.pk])
        assert client.get(url).status_code == 404, persona


def test_nobody_edits_an_update_once_the_cycle_is_closed(client, world):
    client.force_login(world.users["police_lead"])
    url = reverse("strategy:update_edit", args=[world.closed.pk, world.police_action.pk])
    assert client.get(url).status_code == 403


def test_a_member_can_read_an_approved_update(client, world):
    client.force_login(world.users["councillor"])
    url = reverse("strategy:update", args=[world.closed.pk, world.police_action.pk])
    assert client.get(url).status_code == 200


def test_a_read_only_member_is_not_linked_to_updates_they_cannot_open(client, world):
    """The cycle page links only updates the reader may open, so no link sends a councillor to
    a 403 (the axe crawler found one): the submitted, unpublished update is not linked, the
    approved one in the closed cycle is, and opens."""
    def update_url(cycle):
        return reverse("strategy:update", args=[cycle.pk, world.police_action.pk])

    client.force_login(world.users["councillor"])
    open_page = client.get(reverse("strategy:cycle", args=[world.cycle.pk])).content.decode()
    assert f'href="{update_url(world.cycle)}"' not in open_page
    assert client.get(update_url(world.cycle)).status_code == 403
    closed_page = client.get(reverse("strategy:cycle", args=[world.closed.pk])).content.decode()
    assert f'href="{update_url(world.closed)}"' in closed_page
    assert client.get(update_url(world.closed)).status_code == 200

    client.force_login(world.users["coordinator"])
    open_page = client.get(reverse("strategy:cycle", args=[world.cycle.pk])).content.decode()
    assert f'href="{update_url(world.cycle)}"' in open_page
