"""Downloading the progress-update paper of a cycle and the scorecard workbook."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from safecity.web.dashboards.models import Indicator
from safecity.web.partnerships.models import Agency, Membership, Role
from safecity.web.strategy.models import Action, Priority, ReportingCycle, Strategy, Update

pytestmark = pytest.mark.django_db


def _person(username, agency, role=Role.MEMBER):
    user = get_user_model().objects.create_user(username, password="not-used-in-tests-1")
    if agency is not None:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def plan(home):
    police = Agency.objects.create(name="Northshire Police")
    council = Agency.objects.create(name="Harbourside City Council")
    elsewhere = Agency.objects.create(name="Far Away Borough Council")
    strategy = Strategy.objects.create(title="Safer Harbourside 2023-26", start=dt.date(2023, 4, 1),
                                       end=dt.date(2026, 3, 31))
    strategy.partners.set([police, council])
    streets = Priority.objects.create(strategy=strategy, number=1, title="Safer streets")
    homes = Priority.objects.create(strategy=strategy, number=2, title="Safer homes")
    patrol = Action.objects.create(priority=streets, number=1, text="Patrol the park at night.")
    patrol.lead_agencies.set([police])
    lights = Action.objects.create(priority=streets, number=2, text="Fix the underpass lights.",
                                   all_agencies_lead=True)
    locks = Action.objects.create(priority=homes, number=1, text="Fit locks for repeat victims.")
    locks.lead_agencies.set([police, council])
    cycle = ReportingCycle.objects.create(strategy=strategy, name="March 2025 board",
                                          meeting_date=dt.date(2025, 3, 12),
                                          deadline=dt.date(2025, 3, 1))
    Update.objects.create(cycle=cycle, action=patrol, status=Update.Status.APPROVED, rag="green",
                          text="Patrols ran every Friday.\nComplaints fell.", version=2)
    Update.objects.create(cycle=cycle, action=locks, status=Update.Status.SUBMITTED, rag="red",
                          text="A draft nobody has approved.", version=1)
    Indicator.objects.create(priority=streets, name="Antisocial behaviour", metric="asb_incidents",
                             baseline=1200, baseline_label="2019/20", target=1000)
    return {"strategy": strategy, "cycle": cycle, "police": police, "elsewhere": elsewhere}


def _member(client, plan):
    client.force_login(_person("councillor", plan["police"], Role.MEMBER))


def test_the_word_paper_has_four_columns_and_one_row_per_action(client, plan):
    _member(client, plan)
    response = client.get(reverse("reports:paper_docx", args=[plan["cycle"].pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="safer-harbourside-2023-26-march-2025-board-progress-update.docx"')
    table = docx.Document(io.BytesIO(response.content)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Priority", "Action", "Lead Agency", "Update"]
    assert rows[1:] == [
        ["Safer streets", "Patrol the park at night.", "Northshire Police",
         "Status: Green\nPatrols ran every Friday.\nComplaints fell."],
        ["", "Fix the underpass lights.", "All", "No update was approved for this meeting."],
        ["Safer homes", "Fit locks for repeat victims.",
         "Harbourside City Council / Northshire Police",
         "No update was approved for this meeting."],
    ]


def test_the_pdf_paper_downloads_as_a_pdf(client, plan):
    _member(client, plan)
    response = client.get(reverse("reports:paper_pdf", args=[plan["cycle"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_paper_page_shows_approved_updates_only(client, plan):
    _member(client, plan)
    html = client.get(reverse("reports:paper", args=[plan["cycle"].pk])).content.decode()
    assert "Patrols ran every Friday." in html
    assert "A draft nobody has approved." not in html
    assert reverse("reports:paper_docx", args=[plan["cycle"].pk]) in html


def test_the_scorecard_workbook_leaves_figures_blank_when_no_data_is_loaded(client, plan):
    _member(client, plan)
    response = client.get(reverse("reports:scorecard_xlsx", args=[plan["strategy"].pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    actions = list(book["Actions"].iter_rows(min_row=5, values_only=True))
    assert actions[0][:6] == ("Safer streets", "1.1", "Patrol the park at night.",
                              "Northshire Police", "Green", "Approved")
    assert actions[0][6] == "March 2025 board (12 March 2025)"  # as at (tests/web/test_papers_ready.py)
    assert actions[2][4:] == (None, "No approved update", None, None)
    indicator = list(book["Indicators"].iter_rows(min_row=5, values_only=True))[0]
    assert indicator[:7] == ("Safer streets", "Antisocial behaviour", "count",
                             "Lower is better", "2019/20", 1200, 1000)
    assert indicator[7:] == (None, None)


def test_the_scorecard_workbook_carries_the_strategy_and_safecity_assess_reads_it(client, plan,
                                                                                   tmp_path):
    from safecity.engine.assessment import priorities
    from safecity.engine.errors import AssessmentError
    from safecity.engine.strategy_export import read_strategy

    plan["strategy"].area_code = "E22000120"
    plan["strategy"].partnership = "Harbourside Safer City Partnership"
    plan["strategy"].save()
    _member(client, plan)
    response = client.get(reverse("reports:scorecard_xlsx", args=[plan["strategy"].pk]))
    path = tmp_path / "scorecard.xlsx"
    path.write_bytes(response.content)
    export = read_strategy(path, "E22000120")  # the engine's reader, no database
    assert (export.partnership, export.area_code, export.strategy) == (
        "Harbourside Safer City Partnership", "E22000120", "Safer Harbourside 2023-26")
    assert [(p.number, p.title, p.measures) for p in export.priorities] == [
        ("1", "Safer streets", (("Antisocial behaviour", "asb_incidents"),)),
        ("2", "Safer homes", ())]
    # the matrix reads the priority by its measure: Safer streets is the ASB issue
    current = priorities.current_from_export(export)
    assert [(c.title, c.issues) for c in current] == [
        ("Safer streets", ("Anti-social behaviour",)), ("Safer homes", ())]
    with pytest.raises(AssessmentError, match="not of the area this assessment is for"):
        read_strategy(path, "E22000999")


def test_the_scorecard_workbook_names_the_partnerships_own_csp_when_the_strategy_has_no_area(
        client, plan, tmp_path):
    from safecity.engine import settings as engine_settings
    from safecity.engine.strategy_export import read_strategy

    _member(client, plan)
    response = client.get(reverse("reports:scorecard_xlsx", args=[plan["strategy"].pk]))
    path = tmp_path / "scorecard.xlsx"
    path.write_bytes(response.content)
    assert read_strategy(path).area_code == engine_settings.get("partnership_csp")


@pytest.mark.parametrize("name", ["paper", "paper_docx", "paper_pdf"])
def test_an_agency_outside_the_strategy_gets_404_for_the_paper(client, plan, name):
    client.force_login(_person("outsider", plan["elsewhere"], Role.COORDINATOR))
    assert client.get(reverse(f"reports:{name}", args=[plan["cycle"].pk])).status_code == 404


def test_an_agency_outside_the_strategy_gets_404_for_the_scorecard_workbook(client, plan):
    client.force_login(_person("outsider", plan["elsewhere"], Role.COORDINATOR))
    url = reverse("reports:scorecard_xlsx", args=[plan["strategy"].pk])
    assert client.get(url).status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(client, plan):
    response = client.get(reverse("reports:paper_docx", args=[plan["cycle"].pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
