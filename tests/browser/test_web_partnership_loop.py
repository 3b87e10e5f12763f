"""The delivery loop of a partnership set up in the app, in a real browser against the real
server, with axe-core on every page: an administrator invites a coordinator and two leads, who
choose their passwords from the emailed links; the coordinator sets the meeting schedule and
opens the next cycle from it; the leads get the email, find their own actions, save an
incomplete draft and submit; the coordinator returns one update and approves the other (each
author is emailed); the Word paper downloads with its page numbers and footer; the analyst
uploads and publishes an assessment run, and a read-only member opens it and reads its report.

Emails come from the console backend, which the server fixture writes to ``server.log``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

PASSWORD = "a-long-unusual-passphrase-41"
SEPARATOR = "-" * 79  # Django's console backend writes this line after each message


def _emails(server, to: str) -> list[str]:
    text = Path(server.log).read_text(encoding="utf-8", errors="replace")
    return [m for m in text.split(SEPARATOR) if re.search(rf"^To: {re.escape(to)}$", m, re.M)]


class Visitor:
    def __init__(self, page, base: str, axe_check) -> None:
        self.page, self.base, self.axe = page, base, axe_check

    def check(self) -> None:
        violations = self.axe(self.page)
        assert violations == [], f"{self.page.url}\n" + self.axe.describe(violations)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path if path.startswith("/") else path)
        assert response.status == 200, f"{self.page.url} answered {response.status}"
        self.check()

    def click(self, name: str, role: str = "link") -> None:
        self.page.get_by_role(role, name=name, exact=True).first.click()
        self.page.wait_for_load_state()
        self.check()

    def sign_in(self, username: str, password: str) -> None:
        self.page.context.clear_cookies()
        self.goto("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.click("Sign in", role="button")
        assert "/sign-in/" not in self.page.url, f"{username} could not sign in"


def _invite(me: Visitor, first: str, last: str, email: str, agency: str, role: str) -> None:
    me.goto("/partnership/people/invite/")
    me.page.get_by_label("First name").fill(first)
    me.page.get_by_label("Last name").fill(last)
    me.page.get_by_label("Email address").fill(email)
    me.page.get_by_label("Agency", exact=True).select_option(label=agency)
    me.page.get_by_label(role, exact=True).check()
    me.click("Send invitation", role="button")
    assert f"Invitation sent to {email}." in me.page.content()


def _accept(me: Visitor, server, email: str) -> None:
    [message] = _emails(server, email)
    link = re.search(r"(/invitation/\S+/)", message).group(1)
    me.page.context.clear_cookies()
    me.goto(link)
    assert me.page.get_by_role("heading", name="Choose your password").is_visible()
    me.page.get_by_label("Choose a password").fill(PASSWORD)
    me.page.get_by_label("Type the password again").fill(PASSWORD)
    me.click("Set password and sign in", role="button")
    assert "Your password is set and you are signed in." in me.page.content()


def _my_first_action(me: Visitor) -> str:
    """Open the lead's first "Not started" action from their home page; its update path."""
    me.goto("/strategy/")
    assert me.page.get_by_role("heading", name=re.compile(
        "Your actions in this cycle: February 2023 partnership meeting")).is_visible()
    link = me.page.locator("table tbody a", has_text="Not started").first
    href = link.get_attribute("href")
    link.click()
    me.page.wait_for_load_state()
    me.check()
    return href.removesuffix("edit/")


def _draft_then_submit(me: Visitor, rag: str, text: str) -> None:
    me.click("Save as draft", role="button")  # incomplete: no RAG, no text
    assert "Update saved as a draft." in me.page.content()
    me.click("Change this update")
    me.page.get_by_label(rag, exact=True).check()
    me.page.get_by_label("Progress update").fill(text)
    me.click("Submit to the coordinator", role="button")
    assert "Update submitted." in me.page.content()


def _zip(folder: Path) -> Path:
    import zipfile

    target = folder.parent / "run.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target


def test_a_partnership_set_up_in_the_app_runs_a_cycle(server, page, axe_check, web_password,
                                                      assessment_run, tmp_path):
    me = Visitor(page, server, axe_check)

    me.sign_in("admin", web_password)
    _invite(me, "Cora", "Lane", "cora@example.org", "Riverton City Council", "Coordinator")
    _invite(me, "Lee", "Park", "lee@example.org", "Wessex Valley Police", "Agency lead")
    _invite(me, "Lou", "Chen", "lou@example.org", "Probation Service (Riverton)", "Agency lead")
    me.goto("/partnership/people/")
    assert me.page.get_by_text("Invited").count() >= 3
    for email in ("cora@example.org", "lee@example.org", "lou@example.org"):
        _accept(me, server, email)

    # The coordinator sets the schedule and opens the next meeting's cycle from it.
    me.sign_in("cora@example.org", PASSWORD)
    me.goto("/strategy/")
    me.click("Winter partnership meeting")  # one cycle open at a time: close the demo's
    me.click("Close this cycle", role="button")
    me.goto("/strategy/")
    me.click("Meeting schedule")
    me.page.get_by_label("How many partnership meetings a year?").select_option(
        label="6 a year (every 2 months)")
    me.page.get_by_label("Date of the first meeting").fill("16/06/2020")
    me.page.get_by_label("How many days before each meeting are updates due?").fill("7")
    me.click("Save the schedule", role="button")
    assert "The meeting schedule is saved." in me.page.content()
    me.page.get_by_role("button", name=re.compile(r"February 2023 partnership meeting")).click()
    me.page.wait_for_load_state()
    me.check()
    assert me.page.get_by_role("heading", name="February 2023 partnership meeting").is_visible()
    assert "Updates due by 9 February 2023" in me.page.locator("main").inner_text()
    cycle_path = re.sub(r"^https?://[^/]+", "", me.page.url)

    # Each lead is emailed, finds their own list, saves an incomplete draft, then submits.
    for email in ("lee@example.org", "lou@example.org"):
        opened = [m for m in _emails(server, email)
                  if "February 2023 partnership meeting is open" in m]
        assert len(opened) == 1, email
    me.sign_in("lee@example.org", PASSWORD)
    police_update = _my_first_action(me)
    _draft_then_submit(me, "Green", "Patrols doubled on Friday and Saturday nights.")
    me.sign_in("lou@example.org", PASSWORD)
    probation_update = _my_first_action(me)
    _draft_then_submit(me, "Amber", "Two of three mentoring posts are filled.")

    # The coordinator returns one and approves the other; each author is told.
    me.sign_in("cora@example.org", PASSWORD)
    me.goto(police_update)
    me.click("Approve or return")
    me.page.get_by_label("Return to the lead agency", exact=True).check()
    me.page.get_by_label("Comment for the lead agency").fill("Say which areas.")
    me.click("Save decision", role="button")
    me.goto(probation_update)
    me.click("Approve or return")
    me.page.get_by_label("Approve", exact=True).check()
    me.click("Save decision", role="button")
    assert any("Say which areas." in m for m in _emails(server, "lee@example.org"))
    assert any("approved" in m for m in _emails(server, "lou@example.org"))
    me.sign_in("lee@example.org", PASSWORD)
    me.goto("/strategy/")
    first_state = me.page.locator("table tbody tr").first.locator("td").nth(1).inner_text()
    assert first_state.strip() == "Returned to you"

    # The papers download: the Word paper has the approved update, page numbers and a footer.
    me.sign_in("cora@example.org", PASSWORD)
    me.goto(cycle_path)
    with me.page.expect_download() as word:
        me.page.get_by_role("link", name="Download the paper as Word (.docx)").click()
    document = docx.Document(io.BytesIO(Path(word.value.path()).read_bytes()))
    footer = document.sections[0].footer
    assert footer.paragraphs[0].text.startswith(
        "Riverton Safer City Partnership · February 2023 partnership meeting · As at ")
    assert " PAGE " in footer._element.xml
    assert document.core_properties.author == "Riverton Safer City Partnership"
    cells = "\n".join(c.text for r in document.tables[0].rows for c in r.cells)
    assert "Two of three mentoring posts are filled." in cells
    assert "Patrols doubled" not in cells  # returned, so not published
    with me.page.expect_download() as pdf:
        me.page.get_by_role("link", name="Download the paper as PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")

    # The analyst publishes the assessment run into the app; a councillor (read-only) opens it.
    run_zip = _zip(assessment_run)
    me.sign_in("analyst", web_password)
    me.goto("/strategy/")
    me.click("Strategic Assessment and monthly packs")
    me.click("Upload a run")
    me.page.get_by_label("Upload the run as a zip file").set_input_files(str(run_zip))
    me.click("Upload", role="button")
    assert "Not yet published" in me.page.content()
    run_path = re.sub(r"^https?://[^/]+", "", me.page.url)
    me.click("Publish to the partnership", role="button")
    assert "is published to the partnership" in me.page.content()

    me.sign_in("councillor", web_password)
    me.goto("/strategy/")
    me.click("Strategic Assessment and monthly packs")
    assert me.page.locator(f'a[href="{run_path}"]').count() == 1
    me.goto(run_path)
    assert me.page.get_by_role("heading", name="Strategic Assessment: Southampton, Jan 2019")\
        .is_visible()
    report = me.page.frame_locator("iframe.app-report-frame")
    assert report.get_by_role("heading", level=1).first.inner_text().startswith("Southampton")
    with me.page.expect_download() as json_file:
        me.page.get_by_role("link", name="Download assessment.json").click()
    assert Path(json_file.value.path()).read_bytes().startswith(b"{")
