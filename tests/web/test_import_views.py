"""Importing a Word action plan through the web app: upload, preview, confirm."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safecity.web.partnerships.models import Agency, AuditEntry, Membership, Role
from safecity.web.strategy.models import Action, ReportingCycle, Strategy, Update

sys.path.insert(0, str(Path(__file__).parent))
from fixtures_docx import docx_from_rows, progress_table_docx  # noqa: E402

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _person(username: str, agency: Agency, role: str | None):
    user = get_user_model().objects.create_user(username, password="not-used-in-tests-1")
    if role:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def council():
    # Already in safecity under its full name, so the import must reuse it, not duplicate it.
    return Agency.objects.create(name="Harbourside City Council", short_name="HCC")


@pytest.fixture
def coordinator(client, council):
    user = _person("council-coordinator", council, Role.COORDINATOR)
    client.force_login(user)
    return user


def _upload(client, data: bytes, name: str = "progress.docx"):
    return client.post(reverse("strategy:import"),
                       {"plan": SimpleUploadedFile(name, data, content_type=DOCX)})


def _browser_defaults(html: str) -> dict:
    """What a browser submits untouched: each agency select's selected option and the ticked
    partner boxes."""
    import re
    fields: dict = {name: value for name, value in re.findall(
        r'<select[^>]* name="(agency_\d+)">.*?<option value="([^"]*)" selected', html, re.S)}
    fields["partners"] = re.findall(
        r'name="partners" type="checkbox" value="([^"]*)" checked', html)
    return fields


def _confirm(client, **overrides):
    page = client.get(reverse("strategy:import_preview")).content.decode()
    fields = {"title": "Harbourside Safer Communities Plan", "start": "01/04/2023",
              "end": "31/03/2026", "import_updates": "on", "cycle_name": "March 2024 board",
              "meeting_date": "12/03/2024", **_browser_defaults(page)}
    fields.update(overrides)
    return client.post(reverse("strategy:import_preview"), fields)


def test_the_preview_shows_what_was_read_and_saves_nothing(client, coordinator):
    data, expected = progress_table_docx()
    response = _upload(client, data)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "safecity read 4 priorities and 11 actions" in html
    for title, actions in expected.priorities:
        assert title in html
    assert "A new agency called Northshire Fire and Rescue Service" in html
    assert "table 1, row 6: read the Action as the rest of the one above" in html
    assert Strategy.objects.count() == 0


def test_confirming_creates_every_priority_action_lead_agency_and_update(client, coordinator,
                                                                          council):
    data, expected = progress_table_docx()
    _upload(client, data)
    response = _confirm(client)
    strategy = Strategy.objects.get()
    assert response.status_code == 302 and response["Location"] == strategy.get_absolute_url()

    cycle = ReportingCycle.objects.get(strategy=strategy)
    assert cycle.status == ReportingCycle.Status.CLOSED
    updates = {u.action_id: u for u in Update.objects.filter(cycle=cycle)}
    stored = []
    for priority in strategy.priorities.order_by("number"):
        actions = []
        for action in priority.actions.order_by("number"):
            leads = tuple(a.name for a in action.lead_agencies.all())
            leads = ("All",) + leads if action.all_agencies_lead else leads
            actions.append((action.text, leads, updates[action.pk].text))
        stored.append((priority.title, tuple(actions)))
    # Lead order in the database is by name, so compare each action's leads as a set.
    normalise = lambda ps: [(t, [(a, sorted(l), u) for a, l, u in acts]) for t, acts in ps]  # noqa: E731
    assert normalise(stored) == normalise(expected.priorities)
    assert all(u.status == Update.Status.APPROVED for u in updates.values())


def test_an_existing_agency_is_reused_and_the_new_agencies_become_partners(client, coordinator,
                                                                           council):
    _upload(client, progress_table_docx()[0])
    _confirm(client)
    assert Agency.objects.filter(name__iexact="harbourside city council").count() == 1
    assert Agency.objects.count() == 5
    assert Strategy.objects.get().partners.count() == 5


def test_all_as_a_lead_is_kept_as_every_agency_leading(client, coordinator):
    _upload(client, progress_table_docx()[0])
    _confirm(client, import_updates="")
    survey = Action.objects.get(text__startswith="Run a street survey")
    assert survey.all_agencies_lead and survey.lead_label == "All"
    assert ReportingCycle.objects.count() == 0 and Update.objects.count() == 0


def test_the_import_is_audited_with_the_file_name(client, coordinator):
    _upload(client, progress_table_docx()[0])
    _confirm(client)
    entry = AuditEntry.objects.filter(object_repr__startswith="Imported progress.docx").get()
    assert entry.username == "council-coordinator"
    assert AuditEntry.objects.filter(model="strategy.Action", verb="create").count() == 11


def test_a_table_with_problems_lists_each_row_to_fix(client, coordinator):
    rows = [("Safety", "Patrol the park", "", ""), ("", "", "", "An update.")]
    response = _upload(client, docx_from_rows(rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import a strategy" in html
    assert "table 1, row 2: the action &quot;Patrol the park&quot; has no lead agency" in html
    assert client.session.get("safecity_plan_import") is None


def test_a_file_of_the_wrong_kind_is_refused_with_a_sentence(client, coordinator):
    response = _upload(client, b"%PDF-1.4", name="plan.pdf")
    assert "The selected file must be a .docx, .xlsx or .csv file" in response.content.decode()
    response = _upload(client, b"not a zip", name="plan.docx")
    assert "not a Word (.docx) document, or it is damaged" in response.content.decode()


def test_confirming_needs_real_dates_and_an_end_after_the_start(client, coordinator):
    _upload(client, progress_table_docx()[0])
    response = _confirm(client, start="31/02/2023", end="01/01/2020")
    html = response.content.decode()
    assert "Enter the start date as a real date" in html
    assert Strategy.objects.count() == 0


def test_the_preview_without_an_upload_sends_the_coordinator_back_to_upload(client, coordinator):
    response = client.get(reverse("strategy:import_preview"))
    assert response.status_code == 302 and response["Location"] == reverse("strategy:import")


@pytest.mark.parametrize("role", [Role.LEAD, Role.ANALYST, Role.MEMBER])
def test_only_the_coordinator_can_import(client, council, role):
    client.force_login(_person(f"a-{role}", council, role))
    assert client.get(reverse("strategy:import")).status_code == 403
    assert _upload(client, progress_table_docx()[0]).status_code == 403
    assert client.post(reverse("strategy:import_preview"), {}).status_code == 403


def test_someone_outside_the_partnership_gets_404(client, council):
    client.force_login(_person("no-membership", council, None))
    assert client.get(reverse("strategy:import")).status_code == 404
    assert client.get(reverse("strategy:import_preview")).status_code == 404


# -- isolation: partners chosen in the confirm step, agency names matched -------------------------

CSV = "text/csv"


def _upload_csv(client, rows):
    import csv
    import io
    buffer = io.StringIO()
    csv.writer(buffer).writerows([("Priority", "Action", "Lead agency", "Update"), *rows])
    return client.post(reverse("strategy:import"), {"plan": SimpleUploadedFile(
        "plan.csv", buffer.getvalue().encode(), content_type=CSV)})


def _agency_choice(html: str, name: str) -> str:
    """The option selected for the file's lead-agency name ``name`` on the preview page."""
    import re
    label = f"\u201c{name}\u201d in the file is"
    start = html.index(label)
    select = html[start:html.index("</select>", start)]
    return re.search(r'<option value="[^"]*" selected>([^<]*)</option>', select)[1]


def test_an_imported_strategy_is_hidden_from_the_demo_outsider(client):
    """Finding 1 of #10: after a coordinator imported a plan with an "All" action, the demo's
    outsider agency could read the strategy, its scorecard and papers, and write the update."""
    from safecity.web.strategy import demo

    demo.load("a-demo-password-for-tests")
    User = get_user_model()
    client.force_login(User.objects.get(username="coordinator"))
    _upload_csv(client, [("Safer streets", "Patrol the park at night", "All", "Started."),
                         ("", "Light the underpass", "Wessex Valley Police", "Done."),
                         ("", "Walk the night-time economy", "Riverton Street Pastors", "")])
    assert _confirm(client, title="Imported plan").status_code == 302
    strategy = Strategy.objects.get(title="Imported plan")
    outsider = Agency.objects.get(name="Eastbrook District Council")
    pastors = Agency.objects.get(name="Riverton Street Pastors")  # new, from the file
    assert not strategy.partners.filter(pk=outsider.pk).exists()
    assert strategy.partners.filter(name="Riverton City Council").exists()
    assert strategy.partners.filter(pk=pastors.pk).exists()
    assert strategy.partners.count() == 11  # the demo partnership and the new agency, no more

    cycle = ReportingCycle.objects.get(strategy=strategy)
    every = Action.objects.get(priority__strategy=strategy, all_agencies_lead=True)
    urls = [reverse("strategy:strategy", args=[strategy.pk]),
            reverse("strategy:action", args=[every.pk]),
            reverse("strategy:action_edit", args=[every.pk]),
            reverse("strategy:cycle", args=[cycle.pk]),
            reverse("strategy:update", args=[cycle.pk, every.pk]),
            reverse("strategy:update_edit", args=[cycle.pk, every.pk]),
            reverse("dashboards:scorecard", args=[strategy.pk]),
            reverse("reports:paper", args=[cycle.pk]),
            reverse("reports:paper_docx", args=[cycle.pk]),
            reverse("reports:scorecard_xlsx", args=[strategy.pk])]
    client.force_login(User.objects.get(username="outsider"))
    for url in urls:
        assert client.get(url).status_code == 404, url
    before = Update.objects.get(cycle=cycle, action=every).text
    response = client.post(reverse("strategy:update_edit", args=[cycle.pk, every.pk]),
                           {"rag": "green", "text": "Written by an outsider", "version": "1",
                            "submit": "1"})
    assert response.status_code == 404
    assert Update.objects.get(cycle=cycle, action=every).text == before
    assert not Strategy.objects.filter(partners=outsider).exists()
    # Another partnership's coordinator can neither review its updates nor close its cycle.
    client.force_login(_person("eastbrook-coordinator", outsider, Role.COORDINATOR))
    for url in (reverse("strategy:update_review", args=[cycle.pk, every.pk]),
                reverse("strategy:cycle_close", args=[cycle.pk]),
                reverse("strategy:strategy", args=[strategy.pk])):
        assert client.post(url, {"decision": "approve", "version": "1"}).status_code == 404, url
    # Nor see the agency the import created.
    assert client.get(reverse("agency_edit", args=[pastors.pk])).status_code == 404
    assert "Riverton Street Pastors" not in client.get(reverse("agencies")).content.decode()


def test_partners_default_to_the_coordinators_partnership_and_outsiders_stay_unticked(
        client, coordinator, council):
    police = Agency.objects.create(name="Northshire Police")
    elsewhere = Agency.objects.create(name="Eastbrook Probation Service")
    Agency.objects.create(name="Unrelated Council")
    existing = Strategy.objects.create(title="Existing", start="2022-04-01", end="2025-03-31")
    existing.partners.set([council, police])
    _upload_csv(client, [("Safety", "Patrol the park", "NORTHSHIRE police", ""),
                         ("", "Supervise the orders", "Eastbrook Probation Services", "")])
    html = client.get(reverse("strategy:import_preview")).content.decode()
    assert _agency_choice(html, "NORTHSHIRE police") == "Northshire Police"
    assert _agency_choice(html, "Eastbrook Probation Services") == "Eastbrook Probation Service"
    assert "Unrelated Council" not in html  # another partnership's agency is never offered
    # The matched outsider is offered as a partner but not ticked; confirming says why.
    response = _confirm(client, partners=[str(police.pk)])
    assert response.status_code == 200
    assert ("Eastbrook Probation Service leads actions in this plan, so it must be a partner"
            in response.content.decode())
    assert Strategy.objects.count() == 1
    _confirm(client, partners=[str(police.pk), str(elsewhere.pk)])
    imported = Strategy.objects.exclude(pk=existing.pk).get()
    assert set(imported.partners.values_list("name", flat=True)) == {
        "Harbourside City Council", "Northshire Police", "Eastbrook Probation Service"}
    assert Agency.objects.count() == 4  # nothing duplicated


def test_the_coordinator_can_correct_a_match_before_confirming(client, coordinator, council):
    police = Agency.objects.create(name="Northshire Police")
    existing = Strategy.objects.create(title="Existing", start="2022-04-01", end="2025-03-31")
    existing.partners.set([council, police])
    _upload_csv(client, [("Safety", "Patrol the park", "Cops", ""),
                         ("", "Light the path", "HARBOURSIDE CITY COUNCIL", "")])
    html = client.get(reverse("strategy:import_preview")).content.decode()
    assert _agency_choice(html, "Cops") == "A new agency called Cops"
    assert _agency_choice(html, "HARBOURSIDE CITY COUNCIL") == "Harbourside City Council"
    fields = {"agency_0": str(police.pk), "agency_1": str(council.pk),
              "partners": [str(police.pk)]}
    assert _confirm(client, **fields).status_code == 302
    imported = Strategy.objects.exclude(pk=existing.pk).get()
    leads = {a.text: [x.name for x in a.lead_agencies.all()]
             for a in Action.objects.filter(priority__strategy=imported)}
    assert leads == {"Patrol the park": ["Northshire Police"],
                     "Light the path": ["Harbourside City Council"]}
    assert not Agency.objects.filter(name="Cops").exists()


def test_a_new_agency_cannot_take_the_name_of_an_existing_one(client, coordinator, council):
    _upload_csv(client, [("Safety", "Light the path", "harbourside city council", "")])
    response = _confirm(client, agency_0="new")
    assert "safecity already has an agency called Harbourside City Council" in (
        response.content.decode())
    assert Strategy.objects.count() == 0


def test_probation_service_and_probation_services_in_one_file_are_one_agency(client,
                                                                             coordinator):
    _upload_csv(client, [("Safety", "Supervise the orders", "Probation Service", ""),
                         ("", "Run the programme", "probation services", "")])
    _confirm(client)
    assert list(Agency.objects.filter(name__icontains="probation").values_list(
        "name", flat=True)) == ["Probation Service"]
    assert Action.objects.filter(lead_agencies__name="Probation Service").count() == 2


# -- corrections on the preview -----------------------------------------------------------------

def _correct(client, value: str, revision: int):
    return client.post(reverse("strategy:import_preview"),
                       {"correction": value, "revision": str(revision)})


def test_the_preview_flags_a_doubtful_paragraph_and_moves_it_to_the_next_action(client,
                                                                                  coordinator):
    _upload(client, docx_from_rows([
        ("Safety", "Patrol the park.", "Police", "Patrols started."),
        ("", "", "", "Lighting is a priority for the council."),
        ("", "Light the path.", "Harbourside City Council", "Lights were fitted.")]))
    html = client.get(reverse("strategy:import_preview")).content.decode()
    assert "1 action could be read more than one way" in html and ">Check</strong>" in html
    assert 'value="next:0"' in html and 'value="previous:1"' in html and 'value="join:1"' in html
    response = _correct(client, "next:0", 0)
    assert response.status_code == 302
    assert response["Location"] == reverse("strategy:import_preview") + "#action-1"
    assert "could be read more than one way" not in client.get(
        reverse("strategy:import_preview")).content.decode()
    _confirm(client)
    updates = {u.action.text: u.text for u in Update.objects.select_related("action")}
    assert updates == {"Patrol the park.": "Patrols started.",
                       "Light the path.": "Lighting is a priority for the council.\n"
                                          "Lights were fitted."}


def test_the_coordinator_can_join_two_action_rows_and_move_a_paragraph_back(client, coordinator):
    _upload(client, docx_from_rows([
        ("Safety", "Patrol the park and", "Police", "Started."),
        ("", "The play area at night.", "Harbourside City Council", "Going well."),
        ("", "Light the path.", "Harbourside City Council", "Also part of the patrols.")]))
    assert _correct(client, "join:1", 0).status_code == 302
    assert _correct(client, "previous:1", 1).status_code == 302
    _confirm(client)
    actions = Action.objects.order_by("number")
    assert [(a.text, sorted(x.name for x in a.lead_agencies.all())) for a in actions] == [
        ("Patrol the park and The play area at night.", ["Harbourside City Council", "Police"]),
        ("Light the path.", ["Harbourside City Council"])]
    assert Update.objects.get(action=actions[0]).text == (
        "Started.\nGoing well.\nAlso part of the patrols.")
    assert not Update.objects.filter(action=actions[1]).exists()


def test_a_correction_from_a_stale_page_changes_nothing(client, coordinator):
    _upload(client, docx_from_rows([
        ("Safety", "Patrol the park.", "Police", "Started."),
        ("", "Light the path.", "Harbourside City Council", "Done.")]))
    _correct(client, "next:0", 0)
    before = client.session["safecity_plan_import"]["plan"]
    response = _correct(client, "previous:1", 0)  # the page before the first move
    assert response.status_code == 302
    assert client.session["safecity_plan_import"]["plan"] == before
    assert _correct(client, "join:0", 1).status_code == 302  # nothing above it: refused
    assert client.session["safecity_plan_import"]["plan"] == before


def test_a_member_cannot_make_corrections(client, council):
    client.force_login(_person("a-lead", council, Role.LEAD))
    assert _correct(client, "join:1", 0).status_code == 403


def test_a_councils_exported_word_table_is_saved_exactly(client, coordinator):
    from fixtures_docx import real_table_docx

    from safecity.web.strategy.importing import agency_key

    data, expected = real_table_docx()
    _upload(client, data, name="riverside.docx")
    assert _confirm(client).status_code == 302
    strategy = Strategy.objects.get()
    updates = {u.action_id: u.text for u in Update.objects.all()}
    stored = []
    for priority in strategy.priorities.order_by("number"):
        actions = []
        for action in priority.actions.order_by("number"):
            leads = {agency_key(a.name) for a in action.lead_agencies.all()}
            leads |= {"all"} if action.all_agencies_lead else set()
            actions.append((action.text, leads, updates[action.pk]))
        stored.append((priority.title, actions))
    assert stored == [(title, [(text, {agency_key(n) for n in leads}, update)
                               for text, leads, update in actions])
                      for title, actions in expected.priorities]
    # "Probation Services" and "Probation Service" in the file: one agency.
    assert Agency.objects.filter(name__startswith="Probation").count() == 1
