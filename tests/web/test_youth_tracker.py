"""The youth re-offending tracker in the app: the youth justice role and administrators see it
(on the demo's youth justice records), every view is audited, every other role gets 404 (the
permission matrix, tests/web/test_permissions.py), and it renders with no records loaded."""

from __future__ import annotations

import pytest

from safecity.cli import main


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("youth-demo")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["demo"]) == 0
    finally:
        mp.undo()
    return home


@pytest.fixture
def youth_worker(world):
    from django.contrib.auth import get_user_model

    from safecity.web.partnerships.models import Membership

    user = get_user_model().objects.create_user("yos", "yos@example.org", "x")
    Membership.objects.create(user=user, agency=world.agencies["council"], role="youth_justice")
    return user


def test_the_youth_justice_role_sees_the_tracker_and_each_view_is_audited(
        world, youth_worker, as_user, demo_home, monkeypatch):
    from safecity.web.partnerships.models import AuditEntry

    monkeypatch.setenv("SAFECITY_HOME", str(demo_home))
    client = as_user(youth_worker)
    before = AuditEntry.objects.filter(model="youth_justice.tracker").count()
    page = client.get("/scorecard/youth-tracker/?month=2020-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Monthly cohorts" in html and "First-time entrants" in html
    assert "Maturing until" in html and "Final" in html  # cohorts of 2018-04 .. 2020-03
    assert "per 100,000 residents aged 10 to 17" in html
    data = page.context["data"]
    assert data.children and any(c.reoffences for c in data.children)
    assert {c.month for c in data.cohorts} >= {"2019-03", "2020-03"}
    client.get("/scorecard/youth-tracker/")
    views = AuditEntry.objects.filter(model="youth_justice.tracker")
    assert views.count() == before + 2
    assert views.filter(username="yos").exists()


def test_a_month_not_loaded_is_refused_with_a_sentence(world, youth_worker, as_user, demo_home,
                                                       monkeypatch):
    monkeypatch.setenv("SAFECITY_HOME", str(demo_home))
    page = as_user(youth_worker).get("/scorecard/youth-tracker/?month=1999-01")
    assert page.status_code == 200
    assert "Error: Youth re-offending tracker" in page.content.decode()
    assert "Choose a month from the list" in page.content.decode()


def test_with_no_youth_records_the_tracker_says_so(world, youth_worker, as_user):
    page = as_user(youth_worker).get("/scorecard/youth-tracker/")
    assert page.status_code == 200
    assert "No youth justice records are loaded yet." in page.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "analyst", "police_lead", "councillor",
                                     "outsider"])
def test_other_roles_get_404(world, as_user, persona):
    assert as_user(world.users[persona]).get("/scorecard/youth-tracker/").status_code == 404
