"""Data governance in the app (issue #16): the register edited by an administrator through the
engine's files, the quarterly returns tracker and its reminders, the audit export, the privacy
page from the register, and the review warning."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import pytest
import yaml
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from safecity.engine import settings
from safecity.engine.governance import register, runlog

sys.path.insert(0, str(Path(__file__).parent))
from permission_rows_governance import quarterly_entry  # noqa: E402  (the matrix's own entry)

FORM = {"source": "youth-justice", "supplier": "Test Youth Justice Service",
        "isa_reference": "TEST-ISA-2024", "isa_parties": "Test City Council\nTest Police",
        "isa_start": "2024-04-01", "isa_review": "2027-03-31", "isa_document": "",
        "purpose": "The strategic assessment", "legal_basis": "UK GDPR Art 6(1)(e)",
        "law_enforcement_basis": "", "fields_shared": "", "retention_months": "36",
        "contact_name": "Data officer", "contact_email": "yjs@example.org"}


def _root():
    return settings.warehouse_dir()


def test_an_administrator_adds_and_changes_an_entry_kept_in_the_engines_files(world, as_user):
    client = as_user(world.users["administrator"])
    response = client.post(reverse("governance:entry_new"), FORM)
    assert response.status_code == 302
    entry_id = register.entry_id("youth-justice", "Test Youth Justice Service")
    path = register.register_dir(_root()) / f"{entry_id}.yaml"
    saved = yaml.safe_load(path.read_text())
    assert saved["retention_months"] == 36 and saved["version"] == 1
    assert saved["updated_by"] == "administrator"
    assert saved["isa"]["parties"] == ["Test City Council", "Test Police"]

    changed = {**FORM, "retention_months": "48", "source": "asb", "supplier": "Someone else"}
    response = client.post(reverse("governance:entry_edit", args=[entry_id]), changed)
    assert response.status_code == 302
    [entry] = register.load_register(_root())  # source and supplier are fixed once saved
    assert (entry.id, entry.version, entry.retention_months) == (entry_id, 2, 48)
    assert [v.retention_months for v in register.history(_root(), entry)] == [36]

    page = client.get(reverse("governance:entry", args=[entry_id])).content.decode()
    assert "Version 2 (current)" in page and "Version 1" in page
    assert "48 months" in page and "36 months" in page
    # The app's save is a logged run, by the app user.
    saves = [r for r in runlog.runs() if r.command == "governance register"]
    assert [r.user for r in saves] == ["administrator (web app)"] * 2


@pytest.mark.parametrize("change, message", [
    ({"purpose": ""}, "Enter the purpose"),
    ({"isa_review": "2023-01-01"}, "The review date must be the same as or after the start date"),
    ({"isa_start": "31/02/2024"}, "Enter the agreement start date as a real date"),
    ({"retention_months": "0"}, "Retention must be at least 1 month"),
    ({"source": "police-extract"}, "Enter the law enforcement basis"),
    ({"fields_shared": "name, address"}, "are not columns that youth-justice data write"),
])
def test_the_form_shows_each_problem_in_an_error_summary(world, as_user, change, message):
    client = as_user(world.users["administrator"])
    response = client.post(reverse("governance:entry_new"), {**FORM, **change})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert register.load_register(_root()) == []


def test_a_second_entry_for_the_same_source_and_supplier_is_refused(world, as_user):
    client = as_user(world.users["administrator"])
    client.post(reverse("governance:entry_new"), FORM)
    page = client.post(reverse("governance:entry_new"), FORM).content.decode()
    assert "already has an entry" in page
    assert [e.version for e in register.load_register(_root())] == [1]


def test_a_coordinator_reads_the_register_but_cannot_change_it(world, as_user):
    entry_id = quarterly_entry(world)[0]
    client = as_user(world.users["coordinator"])
    page = client.get(reverse("governance:register")).content.decode()
    assert "Test City Council" in page and "Add an entry" not in page
    assert client.post(reverse("governance:entry_edit", args=[entry_id]), FORM).status_code == 403
    assert [e.version for e in register.load_register(_root())] == [1]


def test_the_tracker_flags_a_late_return(world, as_user):
    quarterly_entry(world)  # quarterly from 2024 Q1, and nothing loaded: 2024 Q1 is late
    page = as_user(world.users["coordinator"]).get(reverse("governance:returns")).content.decode()
    row = page.split('<th scope="row" class="govuk-table__header">2024 Q1</th>')[1].split("</tr>")[0]
    assert "Late: not received" in row and "30 Jun 2024" in row
    assert 'data-status="late"' in page
    today = dt.date.today()
    current = f"{today.year} Q{(today.month - 1) // 3 + 1}"
    current_row = page.split(f'<th scope="row" class="govuk-table__header">{current}</th>')[1]
    assert "Not yet due" in current_row.split("</tr>")[0]
    assert "Send a reminder" not in page  # coordinators read; administrators remind


def test_a_reminder_emails_the_registers_contact_and_is_recorded(world, as_user):
    from safecity.web.governance.models import ReturnReminder

    entry_id = quarterly_entry(world)[0]
    client = as_user(world.users["administrator"])
    assert "Send a reminder" in client.get(reverse("governance:returns")).content.decode()
    response = client.post(reverse("governance:remind", args=[entry_id]))
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["data@example.org"] and "2024 Q1: due by 30 June 2024" in email.body
    reminders = ReturnReminder.objects.filter(entry_id=entry_id)
    assert "2024 Q1" in {r.quarter for r in reminders}
    assert all(r.sent_by == world.users["administrator"] for r in reminders)
    page = client.get(reverse("governance:returns")).content.decode()
    row = page.split('<th scope="row" class="govuk-table__header">2024 Q1</th>')[1].split("</tr>")[0]
    assert "None" not in row  # the reminder's time is shown


def test_a_reminder_to_a_contact_with_no_email_says_what_to_do(world, as_user):
    entry_id = quarterly_entry(world)[0]
    entry = register.load_register(_root())[0]
    register.save_entry(_root(), register.SourceEntry(**{
        **entry.__dict__, "contact": register.Contact("Data officer")}), by="test")
    client = as_user(world.users["administrator"])
    response = client.post(reverse("governance:remind", args=[entry_id]))
    assert response.status_code == 400
    assert "no email address" in response.content.decode() and mail.outbox == []


def test_the_scheduled_command_reminds_every_late_supplier_once_a_week(world):
    from safecity.web.governance.models import ReturnReminder

    quarterly_entry(world)
    out = io.StringIO()
    call_command("send_return_reminders", stdout=out)
    assert len(mail.outbox) == 1 and "reminded data@example.org" in out.getvalue()
    assert ReturnReminder.objects.exists()
    out = io.StringIO()
    call_command("send_return_reminders", stdout=out)
    assert len(mail.outbox) == 1 and "not again" in out.getvalue()


def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_audit_export_is_formula_safe_and_filtered_by_date(world, as_user):
    from safecity.web.partnerships.models import AuditEntry

    AuditEntry.objects.all().delete()
    old = AuditEntry.objects.create(username="someone", verb="view", model="x.Y",
                                    object_repr="Old entry")
    AuditEntry.objects.filter(pk=old.pk).update(at=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    AuditEntry.objects.create(username="someone", verb="change", model="x.Y",
                              object_repr='=HYPERLINK("http://evil.example","Click")')
    client = as_user(world.users["administrator"])
    rows = _csv_rows(client.get(reverse("governance:audit_csv")))
    reprs = [r[5] for r in rows[1:]]
    assert "Old entry" in reprs
    assert "'=HYPERLINK(\"http://evil.example\",\"Click\")" in reprs
    assert not any(cell.startswith("=") for row in rows for cell in row)
    today = dt.date.today().isoformat()
    rows = _csv_rows(client.get(reverse("governance:audit_csv"), {"start": "2021-01-01",
                                                                   "end": today}))
    assert "Old entry" not in [r[5] for r in rows[1:]]
    # the export itself is recorded in the audit log
    assert AuditEntry.objects.filter(object_repr__startswith="Exported the audit log").exists()


def test_a_bad_date_range_is_shown_on_the_export_page(world, as_user):
    client = as_user(world.users["administrator"])
    page = client.get(reverse("governance:audit"), {"start": "2024-05-01",
                                                    "end": "2024-04-01"}).content.decode()
    assert "There is a problem" in page and "The to date must be the same as or after" in page
    response = client.get(reverse("governance:audit_csv"), {"start": "not a date"})
    assert response.status_code == 302 and "start=not" in response["Location"]


def test_the_run_log_is_shown_and_exported_beside_the_audit_log(world, as_user):
    runlog.record("ingest", ["ingest", "=cmd|' /C calc'!A0"], "ok", user="analyst")
    client = as_user(world.users["administrator"])
    page = client.get(reverse("governance:audit")).content.decode()
    assert "1 run of logged commands" in page and "analyst" in page
    rows = _csv_rows(client.get(reverse("governance:runs_csv")))
    assert rows[0] == ["when (UTC)", "who", "command", "arguments", "outcome"]
    assert rows[1][1:3] == ["analyst", "ingest"] and not rows[1][3].startswith("=")
    assert _csv_rows(client.get(reverse("governance:runs_csv"),
                                {"end": "2020-01-01"}))[1:] == []


def test_the_privacy_page_shows_the_registers_real_entries(client, db, world):
    assert "No record-level source is registered yet" in client.get(
        reverse("pages:privacy")).content.decode()
    quarterly_entry(world)
    page = client.get(reverse("pages:privacy")).content.decode()
    for text in ("Strategic assessment", "UK GDPR Art 6(1)(e)", "24 months", "TEST-ISA",
                 "Test City Council", "data@example.org",
                 "your contact details are kept for 12 months after you report it"):
        assert text in page
    assert "should add its own" not in page


def test_an_agreement_past_its_review_warns_administrators_on_the_register_and_home(world,
                                                                                     as_user):
    quarterly_entry(world)
    entry = register.load_register(_root())[0]
    overdue = register.Agreement(entry.isa.reference, entry.isa.parties, dt.date(2020, 1, 1),
                                 dt.date(2021, 1, 1))
    register.save_entry(_root(), register.SourceEntry(**{**entry.__dict__, "isa": overdue}),
                        by="test")
    sentence = "passed its review date on 2021-01-01"
    admin = as_user(world.users["administrator"])
    assert sentence in admin.get(reverse("governance:register")).content.decode()
    assert "Review overdue" in admin.get(reverse("governance:register")).content.decode()
    assert sentence in admin.get(reverse("pages:home")).content.decode()
    coordinator = as_user(world.users["coordinator"])
    assert sentence not in coordinator.get(reverse("pages:home")).content.decode()


def test_a_broken_register_file_is_one_sentence_not_a_500(world, as_user):
    folder = register.register_dir(_root())
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text("source: [unclosed\n")
    client = as_user(world.users["administrator"])
    page = client.get(reverse("governance:register")).content.decode()
    assert "The register cannot be read" in page and "bad.yaml" in page
    assert client.get(reverse("pages:privacy")).status_code == 200


def test_the_web_demo_registers_the_demo_sources_only_on_a_fresh_home(db):
    from safecity.web.governance import demo

    # the five record-level sources, the web app's partner intelligence counts and the five
    # partner sources (fire, health, ambulance, children's services, treatment)
    assert "Registered the demo's 11 sources" in demo.load()[0]
    entries = register.load_register(_root())
    assert len(entries) == 11 and any(e.quarterly_return for e in entries)
    assert {"intelligence", "fire", "health"} <= {e.source for e in entries}
    assert demo.load() == ["The register of sources has 11 entries."]  # a re-run changes nothing
    assert [e.version for e in register.load_register(_root())] == [1] * 11


def test_the_web_demo_leaves_a_warehouse_with_data_but_no_register_alone(db):
    from safecity.web.governance import demo

    _root().mkdir(parents=True)
    (_root() / "manifest.json").write_text("{}")
    assert demo.load() == ["The register of sources has 0 entries."]
    assert register.load_register(_root()) == []
