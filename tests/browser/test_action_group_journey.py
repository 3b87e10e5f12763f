"""Partnership Action Groups end to end in a real browser against the real server, on a 375 px
phone: an agency lead of a member agency opens a problem, reads its evidence from the demo
warehouse, adds an action, records a review and closes it with a weighted displacement
difference against a control area. The counts are checked against a DuckDB query of the
warehouse's crimes written here, and the WDD against Wheeler & Ratcliffe's formula by hand.
Then every action group page a coordinator and a read-only councillor can reach is checked with
axe-core and for width."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urldefrag

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

SAFECITY = __import__("pathlib").Path(sys.executable).with_name("safecity")
PASSWORD = "journey-test-password-7"
WIDTH = 375
PLACE = ("E01017156", "E01017157")
CONTROL = ("E01017158", "E01017159")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def home_and_server(tmp_path_factory):
    """The demo warehouse (`safecity demo`), the demo partnership with its action groups
    (`safecity web demo`), and `safecity web serve`."""
    home = tmp_path_factory.mktemp("pag-home")
    env = {**os.environ, "SAFECITY_HOME": str(home), "SAFECITY_DEMO_PASSWORD": PASSWORD,
           "SAFECITY_PROGRESS": "false"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    subprocess.run([str(SAFECITY), "demo"], env=env, check=True, capture_output=True)
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
    yield home, base
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport={"width": WIDTH, "height": 800}, locale="en-GB",
                                   bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def _check(page, axe_check):
    page.wait_for_load_state()
    violations = axe_check(page)
    assert violations == [], f"{page.url}\n" + axe_check.describe(violations)
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= WIDTH, f"{page.url} is {scroll} px wide at {WIDTH} px"


def _sign_in(page, base, username, axe_check):
    page.context.clear_cookies()
    page.goto(base + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url
    _check(page, axe_check)


def _crimes(home, lsoas, first, last) -> int:
    """Crimes of the demo's police extract in the LSOAs and months, counted straight from the
    warehouse's Parquet files."""
    import duckdb

    files = str(home / "warehouse" / "data" / "crimes" / "*.parquet")
    marks = ", ".join("?" for _ in lsoas)
    return duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{files}') "
        f"WHERE source = 'police-extract' AND lsoa11_code IN ({marks}) "
        f"AND strftime(recorded_date, '%Y-%m') BETWEEN ? AND ?",
        params=[*lsoas, first, last]).fetchall()[0][0]


def test_a_problem_is_opened_evidenced_reviewed_and_closed_with_a_wdd(home_and_server, phone,
                                                                      axe_check):
    home, base = home_and_server
    page = phone
    _sign_in(page, base, "police-lead", axe_check)
    page.goto(base + "/action-groups/")
    _check(page, axe_check)
    page.get_by_role("link", name="Central PAG").click()
    _check(page, axe_check)
    page.get_by_role("link", name="Open a problem").click()
    _check(page, axe_check)
    page.get_by_role("button", name="Open problem").click()  # empty: errors, axe again
    _check(page, axe_check)
    assert "Error:" in page.title()
    page.get_by_label("Title").fill("Robbery near the station subway")
    page.get_by_label("Violence").check()
    page.get_by_label("Owner").select_option(label="Wessex Valley Police")
    page.get_by_label("Place", exact=True).fill("The subway under the railway")
    page.get_by_label("LSOAs").fill(", ".join(PLACE))
    page.get_by_label("Scanning: what is the problem?").fill("Street robberies in the subway "
                                                             "after dark.")
    page.get_by_role("button", name="Open problem").click()
    _check(page, axe_check)
    assert page.get_by_role("heading", name="Robbery near the station subway").is_visible()

    page.get_by_role("link", name=re.compile("^Evidence")).click()
    _check(page, axe_check)
    table = page.locator("#by-month tbody tr")
    assert table.count() == 12
    last_row = table.nth(11).inner_text()
    assert last_row.startswith("Dec 2020")
    assert int(last_row.split()[2]) == _crimes(home, PLACE, "2020-12", "2020-12")
    page.go_back()

    page.get_by_text("Add an action").click()
    page.get_by_label("Action", exact=True).fill("Light the subway and cut back the hedges.")
    page.locator("#id_task-owner").select_option(label="Riverton City Council")
    page.get_by_label("Due by").fill("31/03/2030")
    page.get_by_role("button", name="Add action").click()
    _check(page, axe_check)
    assert "Light the subway" in page.content()
    page.get_by_text("Record a review at a meeting").click()
    page.get_by_label("Meeting date").fill("01/12/2026")
    page.get_by_label("Progress since the last meeting").fill("Lighting ordered.")
    page.get_by_label("Continue with the plan").check()
    page.get_by_role("button", name="Record review").click()
    _check(page, axe_check)
    assert "Lighting ordered." in page.content()

    page.get_by_role("link", name="Close the problem").click()
    _check(page, axe_check)
    page.get_by_label("All recorded crime").check()
    page.get_by_label("Before: first month").fill("2019-07")
    page.get_by_label("Before: last month").fill("2019-12")
    page.get_by_label("After: first month").fill("2020-07")
    page.get_by_label("After: last month").fill("2020-12")
    page.get_by_label("Control area (optional)").fill(", ".join(CONTROL))
    page.get_by_label("Assessment: what changed, and why close now?").fill("Closed on the "
                                                                            "comparison.")
    page.get_by_role("button", name="Close the problem").click()
    _check(page, axe_check)
    t0, t1 = _crimes(home, PLACE, "2019-07", "2019-12"), _crimes(home, PLACE, "2020-07",
                                                                 "2020-12")
    c0, c1 = (_crimes(home, CONTROL, "2019-07", "2019-12"),
              _crimes(home, CONTROL, "2020-07", "2020-12"))
    wdd = page.locator("#wdd").inner_text()
    assert f"Weighted displacement difference (Wheeler and Ratcliffe 2018): " \
           f"{(t1 - t0) - (c1 - c0)}.0" in wdd
    z = ((t1 - t0) - (c1 - c0)) / (t0 + t1 + c0 + c1) ** 0.5
    assert ("is statistically significant" in wdd) == (abs(z) > 1.959964)
    rows = page.locator("table", has_text="Before").locator("tbody tr")
    assert rows.nth(0).inner_text().split()[-2:] == [str(t0), str(t1)]
    assert rows.nth(1).inner_text().split()[-2:] == [str(c0), str(c1)]
    assert "Closed" in page.content()


@pytest.mark.parametrize("username", ["coordinator", "councillor"])
def test_every_action_group_page_has_no_axe_violations_at_375_px(home_and_server, phone,
                                                                 axe_check, username):
    _, base = home_and_server
    page = phone
    _sign_in(page, base, username, axe_check)
    queue, seen, visited = [base + "/action-groups/"], set(), []
    while queue:
        url = urldefrag(queue.pop(0))[0]
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        _check(page, axe_check)
        visited.append(url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href)[0]
            if href.startswith(base + "/action-groups/") and href not in seen:
                queue.append(href)
    # the groups, each sector's page, the problems with their evidence (and, for the
    # coordinator, the set-up, change, open and close forms)
    assert sum("/problems/" in u and u.endswith("/evidence/") for u in visited) >= 3, visited
    assert any(u.endswith("/close/") for u in visited) == (username == "coordinator")


def _evidence_urls(page, base) -> list[str]:
    """Every problem's evidence page linked from the action groups' pages."""
    queue, seen, found = [base + "/action-groups/"], set(), []
    while queue:
        url = urldefrag(queue.pop(0))[0]
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href)[0]
            if re.search(r"/problems/\d+/evidence/$", href):
                found.append(href) if href not in found else None
            elif re.search(r"/action-groups/(\d+/|problems/\d+/)$", href) and href not in seen:
                queue.append(href)
    return found


def test_the_evidence_maps_are_keyboard_usable_with_tooltips_and_fit_a_phone(home_and_server,
                                                                            phone, axe_check):
    """Each problem's map (#13): axe-core clean at 375 px without sideways scrolling; Tab
    reaches an area, whose tooltip shows its name and the value of its row in the table twin;
    and the page raises no Content-Security-Policy violation (a context that keeps the CSP)."""
    _, base = home_and_server
    page = phone
    _sign_in(page, base, "councillor", axe_check)
    urls = _evidence_urls(page, base)
    assert len(urls) >= 3, urls
    hot_pages = []
    for url in urls:
        page.goto(url)
        _check(page, axe_check)
        assert page.locator("svg.chart[role=group] .map-area").count() >= 1, url
        assert page.locator("svg.chart .la-line").count() >= 1, url
        if page.locator("#hotspot-map-title").count():
            hot_pages.append(url)
    # the hotspot cells on the same base: a cell in focus shows its tooltip
    assert hot_pages, "no demo problem's place holds a hotspot cell"
    page.goto(hot_pages[0])
    cell = page.locator("svg:has(#hotspot-map-title) .map-area").first
    cell.focus()
    assert cell.locator(".map-tip").is_visible()
    assert "crimes in the cell" in " ".join(cell.locator(".map-tip text").all_text_contents())
    # Tab from the map's hint to its first area: the area has focus and its tooltip shows.
    page.goto(urls[0])
    tip = page.locator(".map-area").first.locator(".map-tip")
    assert not tip.is_visible()
    page.locator("#place-map-hint").click()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('map-area')"):
            break
    focused = page.evaluate("() => ({code: document.activeElement.dataset.code, "
                            "name: document.activeElement.getAttribute('aria-label')})")
    assert focused["code"], "Tab never reached an area of the map"
    area = page.locator(f".map-area[data-code='{focused['code']}']")
    assert area.locator(".map-tip").is_visible()
    tip_text = " ".join(area.locator(".map-tip text").all_text_contents())
    row = page.locator("#place-map-table tbody tr", has_text=focused["code"]).inner_text()
    value = row.split("\t")[-1].strip()
    assert tip_text.endswith(f"Recorded crimes in the place: {value}"), (tip_text, row)
    assert focused["name"].endswith(f"Recorded crimes in the place: {value}")
    box = area.locator(".map-tip rect").bounding_box()
    assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    # The CSP kept: no violation reported while the page loads and an area takes focus.
    context = page.context.browser.new_context(viewport={"width": WIDTH, "height": 800},
                                               locale="en-GB")
    strict = context.new_page()
    errors = []
    strict.on("console", lambda m: errors.append(m.text)
              if "Content Security Policy" in m.text else None)
    strict.goto(base + "/sign-in/")
    strict.get_by_label("Username").fill("councillor")
    strict.get_by_label("Password").fill(PASSWORD)
    strict.get_by_role("button", name="Sign in").click()
    strict.wait_for_load_state()
    strict.goto(urls[0])
    strict.locator(".map-area").first.focus()
    assert strict.locator(".map-area").first.locator(".map-tip").is_visible()
    context.close()
    assert errors == []
