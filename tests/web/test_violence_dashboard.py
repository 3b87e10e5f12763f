"""The violence dashboard on the demo: serious violence, robbery and knife crime by month and
by victim and suspect age group for the area and a sector, filters by period and area, a chart
with its table twin, formula-safe CSV, and small counts of people withheld."""

from __future__ import annotations

import csv
import io

import pytest

from safecity.cli import main


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("violence-demo")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["demo"]) == 0
    finally:
        mp.undo()
    return home


@pytest.fixture
def on_demo(demo_home, monkeypatch):
    monkeypatch.setenv("SAFECITY_HOME", str(demo_home))
    return demo_home


def _count(home, condition: str, start: str, end: str, sector: str | None = None) -> int:
    """A second count straight from the warehouse (the partnership's extract crimes)."""
    from safecity.engine.warehouse import Warehouse

    con = Warehouse(home / "warehouse").connect()
    place = ("" if sector is None else " AND lsoa11_code IN (SELECT lsoa11_code FROM geography "
             "WHERE sector = ?)")
    return con.execute(f"SELECT count(*) FROM crimes WHERE source = 'police-extract' AND "
                       f"month BETWEEN ? AND ? AND {condition}{place}",
                       [start, end] + ([sector] if sector else [])).fetchone()[0]


def test_the_dashboard_shows_the_chart_and_its_table_for_the_area(world, as_user, on_demo):
    page = as_user(world.users["councillor"]).get(
        f"/scorecard/{world.strategy.pk}/violence/?start=2019-04&end=2020-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="img"' in html and "Crimes by month" in html
    data = page.context["data"]
    assert [label for _, label in data.measures] == ["Serious violence", "Robbery",
                                                     "Knife crime"]
    assert len(data.by_month) == 12
    robbery = sum(r[1] for r in data.by_month)
    assert robbery == _count(on_demo, "lower(offence_group) = 'robbery'", "2019-04", "2020-03")
    assert {role for _, role, _, _ in data.by_age} == {"Victims", "Suspects"}


def test_a_sector_filter_counts_only_its_lsoas(world, as_user, on_demo):
    page = as_user(world.users["police_lead"]).get(
        f"/scorecard/{world.strategy.pk}/violence/?start=2020-01&end=2020-03&sector=East")
    data = page.context["data"]
    assert data.place == "East"
    robbery = sum(r[1] for r in data.by_month)
    assert robbery == _count(on_demo, "lower(offence_group) = 'robbery'", "2020-01",
                             "2020-03", "East")


def test_small_counts_of_people_are_withheld(world, as_user, on_demo):
    from safecity.engine.assessment.model import Suppressed

    page = as_user(world.users["analyst"]).get(
        f"/scorecard/{world.strategy.pk}/violence/?start=2019-04&end=2020-03&sector=West")
    data = page.context["data"]
    assert data.age_cells == ("2019/20",)
    values = [v for _, _, bands, total in data.by_age for v in (*bands, total)]
    assert any(isinstance(v, Suppressed) for v in values)
    assert all(isinstance(v, Suppressed) or v == 0 or v >= 5 for v in values)
    assert "[c]" in page.content.decode()


def test_bad_filters_get_the_error_summary(world, as_user, on_demo):
    page = as_user(world.users["analyst"]).get(
        f"/scorecard/{world.strategy.pk}/violence/?start=2020-03&end=2019-01&sector=Nowhere")
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html
    assert "To must be the same as or after From" in html
    assert "There is no policing sector called &#x27;Nowhere&#x27;" in html


def test_the_csv_carries_the_same_figures_and_no_formula(world, as_user, on_demo):
    client = as_user(world.users["coordinator"])
    url = f"/scorecard/{world.strategy.pk}/violence/"
    query = "?start=2019-04&end=2020-03"
    data = client.get(url + query).context["data"]
    response = client.get(url + "csv/" + query)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["measure", "breakdown", "group", "period", "count"]
    robbery = [r for r in rows if r[0] == "Robbery" and r[1] == "month"]
    assert sum(int(r[4]) for r in robbery) == sum(r[1] for r in data.by_month)
    assert {r[3] for r in rows[2:] if r[1] != "month"} == {"2019/20"}
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)
    assert rows[1][0].startswith("'#") or rows[1][0].startswith("#")


def test_with_no_warehouse_the_dashboard_says_so(world, as_user):
    page = as_user(world.users["coordinator"]).get(f"/scorecard/{world.strategy.pk}/violence/")
    assert page.status_code == 200
    assert "No crimes are loaded yet" in page.content.decode()


def test_age_groups_are_counted_over_whole_quarters_and_years_only(world, as_user, on_demo):
    """A period that is not a whole quarter shows which months its age tables leave out; one
    holding no whole quarter shows none, and says how to choose one; a sector's are by
    financial year."""
    client = as_user(world.users["analyst"])
    url = f"/scorecard/{world.strategy.pk}/violence/"
    data = client.get(url + "?start=2019-12&end=2020-04").context["data"]
    assert data.age_cells == ("Jan 2020 – Mar 2020",)
    assert data.age_left_out == ("2019-12", "2020-04")
    page = client.get(url + "?start=2020-02&end=2020-03")
    assert page.context["data"].by_age == ()
    assert "Your period holds no whole quarter" in page.content.decode()
    sector = client.get(url + "?start=2020-01&end=2020-03&sector=East").context["data"]
    assert sector.age_cells == () and sector.by_age == ()
    # the quarter's figures are the same whichever period shows them
    again = client.get(url + "?start=2019-11&end=2020-03").context["data"]
    assert again.age_cells == ("Jan 2020 – Mar 2020",) and again.by_age == data.by_age
