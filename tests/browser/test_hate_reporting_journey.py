"""Third-party hate reporting end to end in a real browser against the real server: a member of
the public reports on a 375 px phone without signing in; the hate crime coordinator accepts the
report and sends accepted reports to the warehouse; the next monthly pack counts it under its
centre and strands. axe-core checks every page visited; no page scrolls sideways at 375 px."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SAFECITY = Path(sys.executable).with_name("safecity")
WEB_PASSWORD = "journey-test-password-7"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

WHAT = "A man shouted abuse about my headscarf at the bus stop and spat at me."


@pytest.fixture(scope="module")
def home_and_server(tmp_path_factory):
    """The demo warehouse (`safecity demo`), the demo partnership (`safecity web demo`, which
    also loads the demo centres and reports), and `safecity web serve`."""
    home = tmp_path_factory.mktemp("hate-home")
    env = {**os.environ, "SAFECITY_HOME": str(home), "SAFECITY_DEMO_PASSWORD": WEB_PASSWORD,
           "SAFECITY_PROGRESS": "false"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    subprocess.run([str(SAFECITY), "demo"], env=env, check=True, capture_output=True)
    # This month's police.uk file arrives, so there is a monthly pack for this month (a pack
    # refuses a month with no crimes); the demo partnership's own data ends in 2020.
    month = dt.date.today().strftime("%Y-%m")
    street = home / "police-uk" / f"{month}-hampshire-street.csv"
    street.parent.mkdir()
    street.write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Crime type,Last outcome category,Context\n" + "".join(
            f"id{i},{month},Hampshire Constabulary,Hampshire Constabulary,-1.40,50.91,"
            "On or near X,E01017140,Southampton 001A,Burglary,Under investigation,\n"
            for i in range(6)))
    subprocess.run([str(SAFECITY), "ingest", str(street.parent)], env=env, check=True,
                   capture_output=True)
    subprocess.run([str(SAFECITY), "web", "demo"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = (home / "server.log").open("w")
    process = subprocess.Popen([str(SAFECITY), "web", "serve", "--port", str(port),
                                "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/sign-in/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("`safecity web serve` did not start:\n"
                            + (home / "server.log").read_text()[-3000:], pytrace=False)
            time.sleep(0.3)
    yield home, env, base
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()


def _check(page, axe_check, *, width=None):
    page.wait_for_load_state()
    violations = axe_check(page)
    assert violations == [], f"{page.url}\n" + axe_check.describe(violations)
    if width:
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


def _monthly_third_party(home, env, month: str) -> dict[str, list]:
    """Rows of the monthly pack's third-party table for ``month``; the suppression threshold
    is 1 here so a single report's count can be read (published packs use the default)."""
    out = home / f"pack-{month}"
    # --partial: only this month is loaded, not last year's (engine/coverage.py)
    subprocess.run([str(SAFECITY), "assess", "--month", month, "--no-pdf", "--partial", "--out",
                    str(out)],
                   env={**env, "SAFECITY_SUPPRESSION_THRESHOLD": "1"}, check=True,
                   capture_output=True)
    pack = json.loads((out / "assessment.json").read_text())
    tables = {t["key"]: t for s in pack["sections"] for t in s["tables"]}
    table = tables.get("hate_third_party_by_centre_in_cp")
    return {} if table is None else {r[0]: r[1:] for r in table["rows"]}


def test_a_public_report_on_a_phone_is_accepted_and_counts_in_the_monthly_pack(
        home_and_server, chromium, axe_check):
    home, env, base = home_and_server
    month = dt.date.today().strftime("%Y-%m")
    assert _monthly_third_party(home, env, month) == {}

    phone = chromium.new_context(viewport={"width": 375, "height": 800}, locale="en-GB",
                                 is_mobile=True, has_touch=True, bypass_csp=True)
    page = phone.new_page()
    page.goto(base + "/")
    page.get_by_role("link", name="Report hate").click()
    _check(page, axe_check, width=375)
    page.get_by_role("button", name="Start now").click()
    _check(page, axe_check, width=375)
    page.get_by_label("Riverton Mosque Community Centre (Bevois)").check()
    page.get_by_role("button", name="Continue").click()
    _check(page, axe_check, width=375)
    page.get_by_label("I am the victim").check()
    page.get_by_role("button", name="Continue").click()
    _check(page, axe_check, width=375)
    page.get_by_role("button", name="Continue").click()  # no strand: the error summary
    assert page.get_by_role("alert").count() >= 1
    _check(page, axe_check, width=375)
    page.get_by_label("Religion or belief").check()
    page.get_by_label("Race or ethnicity").check()
    page.get_by_role("button", name="Continue").click()
    _check(page, axe_check, width=375)
    page.get_by_label("What happened?").fill(WHAT)
    page.get_by_role("button", name="Continue").click()
    _check(page, axe_check, width=375)
    page.get_by_label("Where did it happen?").fill("Bus stop on Portswood Road")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    page.get_by_label("Day").fill(str(yesterday.day))
    page.get_by_label("Month").fill(str(yesterday.month))
    page.get_by_label("Year").fill(str(yesterday.year))
    page.get_by_role("button", name="Continue").click()
    _check(page, axe_check, width=375)
    page.get_by_label("No").check()  # do not tell the police
    page.get_by_role("button", name="Continue").click()
    _check(page, axe_check, width=375)
    page.get_by_label("No").check()  # no contact
    page.get_by_role("button", name="Continue").click()
    _check(page, axe_check, width=375)
    assert WHAT in page.locator(".govuk-summary-list").inner_text()
    page.get_by_role("button", name="Send report").click()
    _check(page, axe_check, width=375)
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert reference.startswith("HC-")
    phone.close()

    desk = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                               bypass_csp=True)
    page = desk.new_page()
    page.goto(base + "/sign-in/")
    page.get_by_label("Username").fill("hate-coordinator")
    page.get_by_label("Password").fill(WEB_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Hate reporting").click()
    _check(page, axe_check)
    page.get_by_role("link", name="Read and triage hate reports").click()
    _check(page, axe_check)
    page.get_by_role("link", name=reference).click()
    _check(page, axe_check)
    assert WHAT in page.content()
    page.get_by_label("Passed to the police").check()  # refused: no consent
    page.get_by_role("button", name="Save decision").click()
    assert "did not agree to the police being told" in page.content()
    _check(page, axe_check)
    page.get_by_label("Recorded only").check()
    page.get_by_label("LSOA code of the place (optional)").fill("E01017140")
    page.get_by_role("button", name="Save decision").click()
    _check(page, axe_check)
    assert f"Report {reference}: Recorded only." in page.content()
    page.get_by_role("button", name="Send accepted reports to the warehouse").click()
    _check(page, axe_check)
    assert "accepted reports to the warehouse" in page.content()
    desk.close()

    rows = _monthly_third_party(home, env, month)
    # reports, race, religion, sexual orientation, disability, transgender
    assert rows["Riverton Mosque Community Centre"] == [1, 1, 1, 0, 0, 0]
    assert rows["All centres and online"] == [1, 1, 1, 0, 0, 0]
