"""Django set-up for the web tests, and the named personas.

The settings module is chosen here rather than in pyproject so the engine tests never load
Django. ``DATABASE_URL`` (set by scripts/pg-test.sh) runs the same tests on PostgreSQL.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecity.web.settings")
# Set up now, not later in pytest-django's fixtures: test modules import models at the top.
import django  # noqa: E402

django.setup()

PASSWORD = "correct-horse-battery-staple"
#: persona → (agency key, role); "outsider" works for an agency that is not a partner.
PERSONAS = {
    "coordinator": ("council", "coordinator"),      # a council coordinator
    "analyst": ("police", "analyst"),              # a police analyst
    "police_lead": ("police", "lead"),
    "council_lead": ("council", "lead"),
    "probation_lead": ("probation", "lead"),
    "councillor": ("council", "member"),            # a read-only councillor
    "administrator": ("council", "administrator"),
    "outsider": ("outside", "lead"),                # a lead from a non-partner agency
}


@pytest.fixture(autouse=True)
def _web_settings(settings, tmp_path, monkeypatch):
    # Fast hashing and a private SAFECITY_HOME (no warehouse) for every web test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("SAFECITY_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SAFECITY_PROGRESS", "false")


@pytest.fixture
def world(db):
    """A small partnership: agencies, one user per persona, a strategy with four actions
    (police-led, council+police co-led, All-led, probation-led), an open and a closed cycle,
    and a submitted update from the police on the police-led action."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from safecity.web.dashboards.models import Indicator
    from safecity.web.partnerships.models import Agency, Membership
    from safecity.web.strategy.models import Action, Priority, ReportingCycle, Strategy, Update
    from safecity.web.strategy.updates import approve_update, save_update

    User = get_user_model()
    agencies = {k: Agency.objects.create(name=name, short_name=k) for k, name in [
        ("police", "Test Police"), ("council", "Test City Council"),
        ("probation", "Test Probation"), ("outside", "Elsewhere Council")]}
    users = {}
    for persona, (agency, role) in PERSONAS.items():
        user = User.objects.create_user(persona, f"{persona}@example.org", PASSWORD,
                                        first_name=persona.replace("_", " ").title())
        Membership.objects.create(user=user, agency=agencies[agency], role=role)
        users[persona] = user
    strategy = Strategy.objects.create(title="Test strategy", start=dt.date(2020, 4, 1),
                                       end=dt.date(2023, 3, 31))
    strategy.partners.set([agencies["police"], agencies["council"], agencies["probation"]])
    priority = Priority.objects.create(strategy=strategy, number=1, title="Cut crime")
    police_action = Action.objects.create(priority=priority, number=1, text="Police work")
    police_action.lead_agencies.set([agencies["police"]])
    joint_action = Action.objects.create(priority=priority, number=2, text="Joint work")
    joint_action.lead_agencies.set([agencies["council"], agencies["police"]])
    all_action = Action.objects.create(priority=priority, number=3, text="Everyone's work",
                                       all_agencies_lead=True)
    probation_action = Action.objects.create(priority=priority, number=4, text="Probation work")
    probation_action.lead_agencies.set([agencies["probation"]])
    indicator = Indicator.objects.create(priority=priority, name="Recorded crime",
                                         metric="recorded_crime")
    today = dt.date.today()
    cycle = ReportingCycle.objects.create(strategy=strategy, name="Open cycle",
                                          meeting_date=today + dt.timedelta(days=10),
                                          deadline=today + dt.timedelta(days=3))
    closed = ReportingCycle.objects.create(strategy=strategy, name="Closed cycle",
                                           status="closed",
                                           meeting_date=today - dt.timedelta(days=50),
                                           deadline=today - dt.timedelta(days=60))
    submitted = save_update(Update(cycle=cycle, action=police_action), users["police_lead"],
                            rag="amber", text="Police text", expected_version=0, submit=True)
    old = save_update(Update(cycle=closed, action=police_action), users["police_lead"],
                      rag="green", text="Old text", expected_version=0, submit=True)
    approve_update(old, users["coordinator"], expected_version=old.version)

    class World:
        pass

    w = World()
    w.__dict__.update(agencies=agencies, users=users, strategy=strategy, priority=priority,
                      police_action=police_action, joint_action=joint_action,
                      all_action=all_action, probation_action=probation_action,
                      indicator=indicator, cycle=cycle, closed=closed, submitted=submitted)
    return w


@pytest.fixture
def as_user(client):
    """``as_user(user)`` signs the test client in as ``user`` and returns it."""
    def sign_in(user):
        client.force_login(user)
        return client
    return sign_in
