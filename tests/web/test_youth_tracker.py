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


# -- the national/quartile comparison (engine/national.py, the assessment's own comparison) --

NATIONAL = """measure,year,area_code,area_name,value
fte_rate_per_100k,2019/20,E92000001,England,169
fte_rate_per_100k,2019/20,E06000045,Southampton,240
fte_rate_per_100k,2019/20,E06000044,Portsmouth,200
fte_rate_per_100k,2019/20,E10000014,Hampshire,120
fte_rate_per_100k,2019/20,E06000046,Isle of Wight,180
fte_rate_per_100k,2019/20,E06000043,Brighton and Hove,150
fte_rate_per_100k,2019/20,E06000036,Bracknell Forest,90
fte_rate_per_100k,2019/20,E06000038,Reading,210
fte_rate_per_100k,2019/20,E06000039,Slough,160
"""


def _quartile_by_hand(rate: float) -> int:
    # areas 90 120 150 160 180 200 210 240 (England is not an area): Q1 142.5, Q2 170, Q3 202.5
    return 1 if rate <= 142.5 else 2 if rate <= 170 else 3 if rate <= 202.5 else 4


def test_without_a_national_table_the_tracker_says_so(world, youth_worker, as_user, demo_home,
                                                      monkeypatch):
    monkeypatch.setenv("SAFECITY_HOME", str(demo_home))
    page = as_user(youth_worker).get("/scorecard/youth-tracker/?month=2020-03")
    assert page.context["data"].national is None
    assert "No national table is loaded, so the rate is not compared" in page.content.decode()


def test_with_a_national_table_the_tracker_shows_the_national_value_and_quartile(
        world, youth_worker, as_user, demo_home, monkeypatch, tmp_path):
    table = tmp_path / "fte.csv"
    table.write_text(NATIONAL)
    monkeypatch.setenv("SAFECITY_HOME", str(demo_home))
    monkeypatch.setenv("SAFECITY_NATIONAL_TABLES", str(table))
    page = as_user(youth_worker).get("/scorecard/youth-tracker/?month=2020-03")
    data = page.context["data"]
    rate = data.rate_12_months_per_100k
    assert rate is not None and rate > 0
    cmp = data.national.comparison
    # the 12 months to March 2020 are the financial year 2019/20, compared with its row
    assert (data.national.year, cmp.year, cmp.national, cmp.areas) == ("2019/20", "2019/20",
                                                                       169.0, 8)
    assert cmp.local == rate and cmp.quartile == _quartile_by_hand(rate)
    html = page.content.decode()
    assert "the national value was 169 (England)" in html
    assert "Quartile among 8 areas (1 = lowest)" in html
    # the 12 months to January 2021 are mostly 2020/21, which the table lacks: its latest year
    later = as_user(youth_worker).get("/scorecard/youth-tracker/?month=2020-12")
    assert later.context["data"].national.year == "2020/21"
    assert "the table&#x27;s latest year, 2019/20" in later.content.decode()


def test_a_national_table_that_cannot_be_read_gets_its_sentence(world, youth_worker, as_user,
                                                                demo_home, monkeypatch,
                                                                tmp_path):
    table = tmp_path / "fte.csv"
    table.write_text("measure,year,area_code,value\nfte_rate_per_100k,2019/20,E92000001,lots\n")
    monkeypatch.setenv("SAFECITY_HOME", str(demo_home))
    monkeypatch.setenv("SAFECITY_NATIONAL_TABLES", str(table))
    page = as_user(youth_worker).get("/scorecard/youth-tracker/?month=2020-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert "The national table could not be read" in html and "is not a number" in html
    assert "Monthly cohorts" in html  # the rest of the tracker still shows
