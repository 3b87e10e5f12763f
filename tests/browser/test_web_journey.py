"""A reporting cycle end to end in a real browser against the real server (`safecity web serve`).

The coordinator opens a cycle; a police lead and a council lead submit updates; the coordinator
returns one and approves the rest; the Word and PDF papers download and open. A member cannot
edit; an outsider to an action gets 404. axe-core checks every page visited.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import docx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

class Visitor:
    """Drives one page as one person at a time, running axe on every page it lands on."""

    def __init__(self, page, base: str, axe_check, password: str) -> None:
        self.page, self.base, self.axe, self.password = page, base, axe_check, password
        self.checked: list[str] = []

    def check(self) -> None:
        violations = self.axe(self.page)
        assert violations == [], f"{self.page.url}\n" + self.axe.describe(violations)
        self.checked.append(self.page.url)

    def goto(self, path: str, status: int = 200):
        response = self.page.goto(self.base + path if path.startswith("/") else path)
        assert response.status == status, f"{self.page.url} answered {response.status}"
        self.check()
        return response

    def sign_in_as(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.goto("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(self.password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        assert "/sign-in/" not in self.page.url, f"{username} could not sign in"
        self.check()

    def click(self, name: str, role: str = "link") -> None:
        self.page.get_by_role(role, name=name, exact=True).first.click()
        self.page.wait_for_load_state()
        self.check()

    def csrf_post(self, path: str, form: dict) -> int:
        token = next(c["value"] for c in self.page.context.cookies() if c["name"] == "csrftoken")
        response = self.page.request.post(self.base + path, form={
            **form, "csrfmiddlewaretoken": token}, headers={"Referer": self.base + path},
            max_redirects=0)
        return response.status


def _action_rows(visitor: Visitor, lead: str) -> list[str]:
    """Update links on the cycle page for actions led by ``lead`` alone."""
    links = []
    for row in visitor.page.locator("table tbody tr").all():
        cells = row.locator("td")
        if cells.nth(1).inner_text().strip() == lead:
            links.append(cells.nth(0).locator("a").get_attribute("href"))
    return links


def _write_update(visitor: Visitor, update_path: str, rag: str, text: str) -> None:
    visitor.goto(update_path)
    visitor.click("Write the update")
    visitor.page.get_by_label(rag, exact=True).check()
    visitor.page.get_by_label("Progress update").fill(text)
    visitor.click("Submit to the coordinator", role="button")
    assert "Update submitted." in visitor.page.content()


def _review(visitor: Visitor, update_path: str, decision: str, comment: str = "") -> None:
    visitor.goto(update_path)
    visitor.click("Approve or return")
    visitor.page.get_by_label(decision, exact=True).check()
    if comment:
        visitor.page.get_by_label("Comment for the lead agency").fill(comment)
    visitor.click("Save decision", role="button")


def test_a_cycle_runs_from_opening_to_downloaded_papers(server, web_password, page, axe_check, tmp_path):
    me = Visitor(page, server, axe_check, web_password)

    me.sign_in_as("coordinator")
    me.goto("/strategy/")
    me.click("Winter partnership meeting")  # one cycle open at a time: close the demo's first
    me.click("Close this cycle", role="button")
    me.goto("/strategy/")
    me.click("Open a reporting cycle")
    me.page.get_by_label("Name of the cycle").fill("Spring board meeting")
    me.page.get_by_label("Meeting date").fill("20/05/2030")
    me.page.get_by_label("Deadline for updates").fill("10/05/2030")
    me.click("Open cycle", role="button")
    assert me.page.get_by_role("heading", name="Spring board meeting").is_visible()
    cycle_path = re.sub(r"^https?://[^/]+", "", me.page.url)

    police = _action_rows(me, "Wessex Valley Police")[:2]
    council = _action_rows(me, "Riverton City Council")[:1]
    assert len(police) == 2 and len(council) == 1

    me.sign_in_as("police-lead")
    _write_update(me, police[0], "Green", "Weekend patrols doubled in the park.")
    _write_update(me, police[1], "Amber", "Hotspot maps now go to every neighbourhood team.")
    me.sign_in_as("council-lead")
    _write_update(me, council[0], "Red", "The outreach contract is out to tender again.")

    me.sign_in_as("coordinator")
    _review(me, police[1], "Return to the lead agency", "Say which teams and since when.")
    _review(me, police[0], "Approve")
    _review(me, council[0], "Approve")
    me.goto(cycle_path)
    statuses = me.page.locator("table tbody").inner_text()
    assert statuses.count("Approved") == 2 and statuses.count("Returned") == 1

    me.click("View the progress update paper")
    paper_html = me.page.content()
    assert "Weekend patrols doubled in the park." in paper_html
    assert "Hotspot maps now go to every neighbourhood team." not in paper_html  # returned

    me.goto(cycle_path)
    with me.page.expect_download() as word:
        me.page.get_by_role("link", name="Download the paper as Word (.docx)").click()
    table = docx.Document(io.BytesIO(Path(word.value.path()).read_bytes())).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Priority", "Action", "Lead Agency", "Update"]
    assert len(rows) - 1 == me.page.locator("table tbody tr").count()  # one row per action
    updates = "\n".join(row[3] for row in rows)
    assert "Weekend patrols doubled in the park." in updates
    assert "The outreach contract is out to tender again." in updates

    with me.page.expect_download() as pdf:
        me.page.get_by_role("link", name="Download the paper as PDF").click()
    pdf_path = tmp_path / "paper.pdf"
    pdf_path.write_bytes(Path(pdf.value.path()).read_bytes())
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF paper back.")
    text = subprocess.run([pdftotext, str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Weekend patrols doubled" in " ".join(text.split())

    me.sign_in_as("police-lead")  # the returned update, seen by its lead again
    me.goto(police[1])
    assert "Say which teams and since when." in me.page.content()


def test_a_member_can_read_an_approved_update_but_not_edit_it(server, web_password, page, axe_check):
    me = Visitor(page, server, axe_check, web_password)
    me.sign_in_as("councillor")
    me.goto("/strategy/")
    me.click("Autumn partnership meeting")
    update_path = me.page.locator('table tbody a[href*="/actions/"]').first.get_attribute("href")
    me.goto(update_path)
    assert me.page.get_by_role("link", name="Change this update").count() == 0
    me.goto(update_path + "edit/", status=403)
    assert me.csrf_post(update_path + "edit/", {"rag": "green", "text": "Overwritten",
                                                "version": "2", "submit": "1"}) == 403
    me.goto(update_path)
    assert "Overwritten" not in me.page.content()


def test_an_outsider_to_an_action_gets_404(server, web_password, page, axe_check):
    me = Visitor(page, server, axe_check, web_password)
    me.sign_in_as("coordinator")
    me.goto("/strategy/")
    action_path = me.page.locator('table tbody a[href*="/actions/"]').first.get_attribute("href")
    cycle_path = me.page.get_by_role("link", name="Autumn partnership meeting").get_attribute(
        "href")
    me.sign_in_as("outsider")
    me.goto(action_path, status=404)
    me.goto(cycle_path, status=404)
    me.goto(action_path.rstrip("/") + "/edit/", status=404)


def test_a_coordinator_imports_a_word_action_plan_after_a_preview(server, web_password, page, axe_check):
    # Last in the module: it adds a second strategy, which changes where /strategy/ leads.
    sys.path.insert(0, str(Path(__file__).parents[1] / "web"))
    from fixtures_docx import progress_table_docx

    data, expected = progress_table_docx()
    me = Visitor(page, server, axe_check, web_password)
    me.sign_in_as("coordinator")
    me.goto("/strategy/import/")
    me.page.get_by_label("Upload the action plan or progress table").set_input_files(files=[{
        "name": "progress.docx", "buffer": data,
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    me.click("Upload and preview", role="button")
    assert "safecity read 4 priorities and 11 actions" in me.page.content()
    # The first action's last paragraph sits just above the next action: flagged, and movable
    # there and back (each move reloads the preview at the action it went to).
    assert "could be read more than one way" in me.page.content()
    results = re.escape("“Results went to every ward panel in October.”")
    me.page.get_by_role("button", name=re.compile(rf"Move\s+{results}\s+to the next action")).click()
    me.page.wait_for_load_state()
    me.check()
    assert me.page.url.endswith("#action-1")
    me.page.get_by_role("button",
                        name=re.compile(rf"Move\s+{results}\s+to the previous action")).click()
    me.page.wait_for_load_state()
    me.check()
    me.page.get_by_label("Start date").fill("01/04/2023")
    me.page.get_by_label("End date").fill("31/03/2026")
    me.page.get_by_label("Name of that reporting cycle").fill("March 2024 board")
    me.page.get_by_label("Date of that meeting").fill("12/03/2024")
    me.click("Confirm and save the strategy", role="button")
    assert me.page.get_by_role("heading", name=expected.title).is_visible()
    for title, _actions in expected.priorities:
        assert me.page.get_by_role("heading", name=re.compile(re.escape(title))).is_visible()
