"""Partnership Action Groups: opening a problem with its place and plan, actions and reviews,
escalation, closing with the before-and-after comparison and the WDD, the audit, and the purge
of the text after the retention period."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from safecity.web.actiongroups import services
from safecity.web.actiongroups.models import PURGED, Problem, Review, Task
from safecity.web.partnerships.models import AuditEntry

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "engine" / "assessment"))
from permission_rows_channels import action_group, action_group_problem  # noqa: E402

PLAN_TEXT = "Cars stop outside number 12 most evenings"


def _open(client, w, **extra):
    data = {"title": "Dealing by the flats", "kind": "drugs", "owner": w.agencies["police"].pk,
            "place_description": "Demo Road flats", "lsoa_text": "E01017153, e01017154",
            "drawn_area": "", "objectives": "", "scanning": PLAN_TEXT, "analysis": "",
            "response": "", "assessment": "", **extra}
    return client.post(reverse("actiongroups:problem_new", args=[action_group(w).pk]), data)


def test_a_lead_of_a_member_agency_opens_a_problem_with_its_place_and_plan(as_user, world):
    client = as_user(world.users["council_lead"])
    response = _open(client, world)
    problem = Problem.objects.get()
    assert response.status_code == 302 and response.url == problem.get_absolute_url()
    assert problem.lsoas == ["E01017153", "E01017154"] and problem.scanning == PLAN_TEXT
    assert problem.opened_on == dt.date.today() and problem.is_open
    page = client.get(reverse("actiongroups:group", args=[problem.group.pk])).content.decode()
    assert "Dealing by the flats" in page and "Open problems" in page


@pytest.mark.parametrize("extra, message", [
    ({"lsoa_text": "", "drawn_area": ""}, "Enter the place&#x27;s LSOAs or draw its area"),
    ({"lsoa_text": "E01000001"}, "E01000001 is not in the partnership&#x27;s area"),
    ({"lsoa_text": "Bevois"}, "BEVOIS is not an LSOA code"),
    ({"lsoa_text": "", "drawn_area": "442000, 112000\n442500"}, "Line 2 of the drawn area"),
])
def test_a_problem_without_a_usable_place_is_refused_with_a_message(as_user, world, extra,
                                                                    message):
    response = _open(as_user(world.users["police_lead"]), world, **extra)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Problem.objects.exists()


def test_a_drawn_area_is_a_place(as_user, world):
    area = "442000, 112000\n442500, 112000\n442500, 112500"
    _open(as_user(world.users["police_lead"]), world, lsoa_text="", drawn_area=area)
    assert Problem.objects.get().drawn_area == area


def test_actions_have_owners_and_dates_and_are_marked_done(as_user, world):
    problem = action_group_problem(world)
    client = as_user(world.users["police_lead"])
    url = problem.get_absolute_url()
    client.post(url, {"step": "task", "task-text": "Patrol the walkway",
                      "task-owner": world.agencies["council"].pk, "task-due_on": "30/06/2030"})
    task = Task.objects.get()
    assert (task.owner, task.due_on, task.is_done) == (world.agencies["council"],
                                                       dt.date(2030, 6, 30), False)
    client.post(url, {"step": "task_done", "task": str(task.pk)})
    task.refresh_from_db()
    assert task.done_on == dt.date.today()
    assert client.post(url, {"step": "task_done", "task": "99999"}).status_code == 404


def test_a_review_that_escalates_puts_the_problem_before_the_partnership(as_user, world):
    problem = action_group_problem(world)
    client = as_user(world.users["analyst"])
    response = client.post(problem.get_absolute_url(), {
        "step": "review", "review-meeting_on": "01/02/2021", "review-notes": "Stuck on funding",
        "review-decision": "escalate"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.escalated_on == dt.date(2021, 2, 1)
    assert Review.objects.get().decision == "escalate"
    listing = as_user(world.users["councillor"]).get(reverse("actiongroups:list"))
    assert "Escalated to the partnership" in listing.content.decode()
    assert problem.title in listing.content.decode()
    group = as_user(world.users["councillor"]).get(reverse("actiongroups:group",
                                                           args=[problem.group.pk]))
    assert "1 February 2021" in group.content.decode()  # the meeting, with its review


@pytest.mark.parametrize("persona, status", [("probation_lead", 403), ("councillor", 403),
                                             ("outsider", 404)])
def test_only_the_groups_workers_write_a_problem(as_user, world, persona, status):
    problem = action_group_problem(world)
    response = as_user(world.users[persona]).post(problem.get_absolute_url(), {
        "step": "review", "review-meeting_on": "01/02/2021", "review-notes": "x",
        "review-decision": "continue"})
    assert response.status_code == status
    assert not Review.objects.exists()


def test_a_problem_of_another_partnership_is_not_found_even_by_its_id(as_user, world):
    from safecity.web.strategy.models import Strategy

    from safecity.web.actiongroups.models import ActionGroup

    other = Strategy.objects.create(title="Elsewhere", start=dt.date(2020, 4, 1),
                                    end=dt.date(2023, 3, 31))
    other.partners.set([world.agencies["outside"]])
    group = ActionGroup.objects.create(partnership=other, sector="North", name="North PAG")
    problem = Problem.objects.create(group=group, title="Theirs", kind="asb",
                                     owner=world.agencies["outside"], place_description="x",
                                     lsoas=["E01017153"], opened_on=dt.date(2020, 1, 1))
    for persona in ("coordinator", "police_lead", "councillor"):
        assert as_user(world.users[persona]).get(problem.get_absolute_url()).status_code == 404
    assert "Theirs" not in as_user(world.users["coordinator"]).get(
        reverse("actiongroups:list")).content.decode()
    assert as_user(world.users["outsider"]).get(problem.get_absolute_url()).status_code == 200


def test_reading_a_problem_is_audited_and_the_log_never_holds_its_text(as_user, world):
    _open(as_user(world.users["police_lead"]), world)
    problem = Problem.objects.get()
    as_user(world.users["councillor"]).get(problem.get_absolute_url())
    assert AuditEntry.objects.filter(verb="view", model="actiongroups.Problem",
                                     object_id=str(problem.pk),
                                     username="councillor").exists()
    created = AuditEntry.objects.get(verb="create", model="actiongroups.Problem")
    assert created.changes["scanning"] == [None, "(redacted)"]
    assert PLAN_TEXT not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def _close_data(**extra):
    return {"crime_type": "all_crime", "before_first": "2018-07", "before_last": "2018-12",
            "after_first": "2019-07", "after_last": "2019-12", "control_text": "E01017140",
            "closing_note": "Fewer crimes; closing.", **extra}


def test_closing_computes_the_before_and_after_comparison_and_the_wdd(as_user, world):
    from synthetic import build_extract, write_warehouse

    ex = build_extract()
    write_warehouse(services.warehouse().root, ex)
    problem = action_group_problem(world)
    problem.lsoas = ["E01017136", "E01017137"]
    problem.save()

    def count(lsoas, first, last):
        return sum(1 for c in ex.crimes if c["lsoa11_code"] in lsoas
                   and first <= c["month"] <= last)

    t0, t1 = count(problem.lsoas, "2018-07", "2018-12"), count(problem.lsoas, "2019-07",
                                                               "2019-12")
    c0, c1 = count(["E01017140"], "2018-07", "2018-12"), count(["E01017140"], "2019-07",
                                                               "2019-12")
    client = as_user(world.users["police_lead"])
    response = client.post(reverse("actiongroups:problem_close", args=[problem.pk]),
                           _close_data())
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == "closed" and problem.closed_on == dt.date.today()
    assert (problem.before_count, problem.after_count) == (t0, t1)
    assert (problem.control_before, problem.control_after) == (c0, c1)
    assert problem.wdd_estimate == (t1 - t0) - (c1 - c0)
    assert problem.wdd_se == pytest.approx((t0 + t1 + c0 + c1) ** 0.5)
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "Weighted displacement difference" in page and f"{problem.wdd_estimate:.1f}" in page
    # closed: nobody changes it any more
    assert client.get(reverse("actiongroups:problem_close",
                              args=[problem.pk])).status_code == 403


def test_closing_with_no_warehouse_says_why_and_leaves_the_problem_open(as_user, world):
    problem = action_group_problem(world)
    response = as_user(world.users["coordinator"]).post(
        reverse("actiongroups:problem_close", args=[problem.pk]), _close_data())
    assert response.status_code == 200
    assert "There is no warehouse" in response.content.decode()
    problem.refresh_from_db()
    assert problem.is_open and problem.before_count is None


def test_a_control_area_overlapping_the_place_is_refused(as_user, world):
    problem = action_group_problem(world)
    response = as_user(world.users["coordinator"]).post(
        reverse("actiongroups:problem_close", args=[problem.pk]),
        _close_data(control_text="E01017153"))
    assert "must not overlap" in response.content.decode()


def test_the_evidence_page_says_why_there_is_none_without_a_warehouse(as_user, world):
    problem = action_group_problem(world)
    page = as_user(world.users["councillor"]).get(reverse("actiongroups:evidence",
                                                          args=[problem.pk]))
    assert "There is no evidence from the warehouse yet" in page.content.decode()


def test_the_evidence_page_shows_the_places_crimes_by_month(as_user, world):
    from synthetic import build_extract, write_warehouse

    ex = build_extract()
    write_warehouse(services.warehouse().root, ex)
    problem = action_group_problem(world)
    page = as_user(world.users["councillor"]).get(reverse("actiongroups:evidence",
                                                          args=[problem.pk])).content.decode()
    assert "Crime and ASB in the place by month" in page and "Mar 2020" in page


def test_the_evidence_page_maps_the_place_with_named_areas_and_a_table_twin(as_user, world):
    """The served map: LSOA, ward and authority lines and the area labels are drawn, every area
    is a keyboard stop with an accessible name, and its value is the table twin's."""
    import re
    from collections import Counter
    from html import unescape

    from synthetic import build_extract, write_warehouse

    ex = build_extract()
    write_warehouse(services.warehouse().root, ex)
    problem = action_group_problem(world)
    problem.lsoas = ["E01017136", "E01017137"]
    problem.save()
    response = as_user(world.users["councillor"]).get(reverse("actiongroups:evidence",
                                                              args=[problem.pk]))
    page = response.content.decode()
    svg = re.search(r'<svg [^>]*role="group".*?</svg>', page, re.S).group(0)
    assert re.findall(r'class="la-line" data-authority="([^"]+)"', svg) == ["Southampton"]
    assert len(re.findall(r'stroke="#ffffff" stroke-width="0.6"', svg)) == 2  # the LSOAs
    labels = re.findall(r'class="map-label area-label">([^<]+)</text>', svg)
    from safecity.engine.reference import lsoa_index

    names = {code: lsoa_index()[code]["lsoa_name"] for code in ("E01017136", "E01017137")}
    assert sorted(labels) == sorted(names.values())  # named from the geography
    stops = re.findall(r'<g class="map-area" tabindex="0" role="img" aria-label="([^"]+)" '
                       r'data-code="([^"]+)">', svg)
    assert [code for _, code in stops] == ["E01017136", "E01017137"]
    crimes = Counter(c["lsoa11_code"] for c in ex.crimes if "2019-04" <= c["month"] <= "2020-03")
    table = re.search(r'<table class="govuk-table" id="place-map-table">.*?</table>', page,
                      re.S).group(0)
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(E\d+)</th>'
                      r'<td class="govuk-table__cell">([^<]*)</td><td[^>]*>[^<]*</td>'
                      r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]+)</td>',
                      table)
    assert [(code, int(value)) for code, _, value in rows] == [
        (code, crimes[code]) for code in ("E01017136", "E01017137")]
    for (label, code), (_, name, value) in zip(stops, rows):
        assert unescape(label) == f"{name} ({code}); Recorded crimes in the place: {value}"
    assert "Use Tab to move from area to area on the map" in page
    assert "<script" not in svg and "style=" not in svg  # the CSP forbids both inline
    # the hotspot cells on the same base, each a stop saying what its row in the table says
    hot = re.search(r'<svg [^>]*role="group"[^>]*aria-labelledby="hotspot-map-title.*?</svg>',
                    page, re.S).group(0)
    assert re.findall(r'class="la-line" data-authority="([^"]+)"', hot) == ["Southampton"]
    cells = re.findall(r'<g class="map-area" tabindex="0" role="img" aria-label="([^"]+)"', hot)
    table = re.search(r'<table class="govuk-table" id="hotspots">.*?</table>', page,
                      re.S).group(0)
    listed = re.findall(r'<tr class="govuk-table__row"><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>'
                        r'<td[^>]*>(\d+)</td><td[^>]*>([^<]+)</td></tr>', table)
    assert cells and len(cells) == len(listed)
    assert [unescape(c) for c in cells] == [
        f"Cell at {x} E, {y} N; {label}; crimes in the cell: {count}"
        for x, y, count, label in listed]


def test_the_purge_removes_the_text_of_problems_closed_past_retention_and_keeps_figures(world):
    today = dt.date(2024, 6, 30)
    old, recent = action_group_problem(world), action_group_problem(world)
    for problem, closed in ((old, dt.date(2022, 6, 29)), (recent, dt.date(2022, 7, 1))):
        problem.status, problem.closed_on = "closed", closed
        problem.before_count, problem.after_count = 12, 7
        problem.closing_note = "Named person moved away"
        problem.save()
        Task.objects.create(problem=problem, text="Visit Mr X", owner=world.agencies["police"],
                            due_on=dt.date(2022, 1, 1))
        Review.objects.create(problem=problem, meeting_on=dt.date(2022, 1, 1),
                              notes="Mr X warned", decision="continue")
    assert services.purge(today) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.scanning == PURGED and old.closing_note == PURGED and old.purged_on == today
    assert (old.before_count, old.after_count, old.lsoas) == (12, 7, ["E01017153"])
    assert old.tasks.get().text == PURGED and old.reviews.get().notes == PURGED
    assert recent.scanning == "Cars stop briefly" and recent.reviews.get().notes == "Mr X warned"
    assert services.purge(today) == 0  # a second purge changes nothing
    assert "Mr X" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_the_demo_sets_up_a_group_per_sector_with_problems_and_is_idempotent(db):
    from safecity.web.actiongroups import demo
    from safecity.web.actiongroups.models import ActionGroup
    from safecity.web.strategy import demo as strategy_demo

    strategy_demo.load("pw-for-the-demo-1")
    title = strategy_demo.TITLE
    assert demo.load(title) == 3
    assert demo.load(title) == 0
    assert sorted(ActionGroup.objects.values_list("sector", flat=True)) == ["Central", "East",
                                                                           "West"]
    assert Problem.objects.filter(status="open").count() == 3  # no warehouse: none closed
    assert Problem.objects.filter(escalated_on__isnull=False).count() == 1


def test_the_open_problems_go_to_the_warehouse_for_the_monthly_pack_without_text(as_user, world):
    from safecity.engine.warehouse import Warehouse

    open_one = action_group_problem(world)
    Task.objects.create(problem=open_one, text="Overdue", owner=world.agencies["police"],
                        due_on=dt.date(2020, 1, 1))
    Task.objects.create(problem=open_one, text="Later", owner=world.agencies["police"],
                        due_on=dt.date(2099, 1, 1))
    closed = action_group_problem(world)
    closed.status, closed.closed_on = "closed", dt.date(2021, 1, 1)
    closed.save()
    client = as_user(world.users["analyst"])
    response = client.post(reverse("actiongroups:export"), follow=True)
    assert "Sent 1 open problems to the warehouse" in response.content.decode()
    rows = Warehouse().connect().sql(
        "SELECT problem_ref, sector, problem_type, actions_open, actions_overdue, link "
        "FROM action_group_problems").fetchall()
    assert rows == [(str(open_one), "Central", "Drug dealing or use", 2, 1,
                     f"http://testserver/action-groups/problems/{open_one.pk}/")]
    exported = (services.warehouse().root.parent / "exports" / "action-group-problems.csv")
    text = exported.read_text()
    assert "Dealing by the flats" not in text and "Cars stop briefly" not in text


def test_an_analyst_links_intelligence_to_a_problem_and_only_analysts_learn_of_it(as_user,
                                                                                 world):
    from safecity.web.intelligence.models import Intelligence

    problem = action_group_problem(world)
    item = Intelligence.objects.create(
        partnership=world.strategy, submitted_by=world.users["council_lead"],
        agency=world.agencies["council"], seen_on=dt.date(2024, 5, 1), category="drugs",
        what="Dealing from the blue car", ward="Bevois", reliability="B", handling="P")
    analyst = as_user(world.users["analyst"])
    form = analyst.get(reverse("intelligence:item", args=[item.pk])).content.decode()
    assert f"{problem}: {problem.title}" in form  # the partnership's open problems offered
    response = analyst.post(reverse("intelligence:item", args=[item.pk]), {
        "grade": "2", "decision": "linked", "linked_to": "", "problem": str(problem.pk),
        "outcome": "Passed to the Central PAG."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.problem == problem and item.status == "linked"
    page = analyst.get(problem.get_absolute_url()).content.decode()
    assert f'href="{item.get_absolute_url()}"' in page
    for persona in ("councillor", "police_lead", "coordinator"):
        page = as_user(world.users[persona]).get(problem.get_absolute_url()).content.decode()
        assert "Partner intelligence informing" not in page and str(item) not in page, persona


def test_a_problem_of_another_partnership_cannot_be_linked(as_user, world):
    from safecity.web.actiongroups.models import ActionGroup
    from safecity.web.intelligence.models import Intelligence
    from safecity.web.strategy.models import Strategy

    other = Strategy.objects.create(title="Elsewhere", start=dt.date(2020, 4, 1),
                                    end=dt.date(2023, 3, 31))
    group = ActionGroup.objects.create(partnership=other, sector="North", name="North PAG")
    theirs = Problem.objects.create(group=group, title="Theirs", kind="asb",
                                    owner=world.agencies["outside"], place_description="x",
                                    lsoas=["E01017153"], opened_on=dt.date(2020, 1, 1))
    item = Intelligence.objects.create(
        partnership=world.strategy, submitted_by=world.users["council_lead"],
        agency=world.agencies["council"], seen_on=dt.date(2024, 5, 1), category="drugs",
        what="x", ward="Bevois", reliability="B", handling="P")
    response = as_user(world.users["analyst"]).post(
        reverse("intelligence:item", args=[item.pk]),
        {"grade": "2", "decision": "linked", "problem": str(theirs.pk), "outcome": ""})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert item.problem is None


def _load_geography(tmp_path):
    from safecity.engine.ingest.run import ingest_paths

    path = tmp_path / "geography.csv"
    path.write_text(
        "lsoa11_code,ward_name,sector,lad_code,csp_code,population\n"
        "E01017153,Bevois,Central,E06000045,E22000120,1500\n"
        "E01017198,Harefield,East,E06000045,E22000120,1600\n")
    ingest_paths([path], source="geography", warehouse=services.warehouse())


def _new_group(client, w, sector):
    return client.post(reverse("actiongroups:group_new", args=[w.strategy.pk]), {
        "name": "A PAG", "sector": sector, "meets": "",
        "members": [w.agencies["police"].pk]})


def test_a_groups_sector_is_one_of_the_partnerships_sectors_once_its_geography_is_loaded(
        as_user, world, tmp_path):
    from safecity.web.actiongroups.models import ActionGroup

    _load_geography(tmp_path)
    client = as_user(world.users["coordinator"])
    page = client.get(reverse("actiongroups:group_new", args=[world.strategy.pk]))
    assert "One of the partnership&#x27;s sectors: Central, East." in page.content.decode()
    refused = _new_group(client, world, "Northern")
    assert "Northern is not a sector of the partnership" in refused.content.decode()
    assert _new_group(client, world, "east").status_code == 302
    assert ActionGroup.objects.get().sector == "East"  # as the geography spells it
    again = _new_group(client, world, "East")
    assert "This sector already has a group" in again.content.decode()


def test_without_a_geography_any_sector_name_is_taken(as_user, world):
    assert _new_group(as_user(world.users["coordinator"]), world, "Northern").status_code == 302
