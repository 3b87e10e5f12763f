"""The map on a published run's page (#13, web/maps.py) in a real browser: the run the demo
publishes (`server`: a month of data.police.uk for Southampton) shows the report's LSOA map with
its table twin; axe-core finds no violations; at 375 px the page does not scroll sideways;
Tab reaches an area, which shows its tooltip with the value of its row in the table; and with
the app's Content-Security-Policy enforced (a context that does not bypass it) the tooltip
still shows and nothing is blocked. The action-group evidence map is checked the same way in
test_action_group_journey.py."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

WIDTH = 375


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"{username} could not sign in"


def _run_page(page, base: str) -> str:
    """The published assessment's page, from the partnership's list of runs."""
    page.goto(base + "/")
    queue, seen = [base + "/"], set()
    while queue:
        url = queue.pop(0)
        if url in seen or len(seen) > 40:
            continue
        seen.add(url)
        page.goto(url)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        runs = [h for h in hrefs if re.search(r"/evidence/runs/\d+/$", h)]
        if runs:
            return runs[0]
        queue += [h for h in hrefs if h.startswith(base) and ("/evidence/" in h
                                                              or "/strategy/" in h)]
    raise AssertionError("no published run is linked from the strategy pages")


def test_the_run_pages_map_is_clean_fits_a_phone_and_shows_a_tooltip_on_tab(
        server, web_password, chromium, axe_check):
    context = chromium.new_context(viewport={"width": WIDTH, "height": 800}, locale="en-GB",
                                   bypass_csp=True)
    page = context.new_page()
    _sign_in(page, server, "councillor", web_password)
    url = _run_page(page, server)
    page.goto(url)
    assert page.get_by_role("heading", name="Map: crime rate by LSOA").is_visible()
    assert page.locator("svg.chart[role=group] .map-area").count() == 148
    assert page.locator("svg.chart[role=group] .la-line").count() == 1
    assert page.locator("#run-map-table tbody tr").count() == 148
    violations = axe_check(page)
    assert violations == [], axe_check.describe(violations)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= WIDTH, f"{url} is {wide} px wide at {WIDTH} px"
    svg_box = page.locator("svg.chart[role=group]").bounding_box()
    assert svg_box["width"] <= WIDTH  # the map scales down; the table scrolls in its box

    tip = page.locator(".map-area").first.locator(".map-tip")
    assert not tip.is_visible()
    page.locator(".app-map__hint").click()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({code: document.activeElement.dataset.code, "
                            "name: document.activeElement.getAttribute('aria-label')})")
    assert focused["code"], "Tab from the map's hint did not reach an area"
    area = page.locator(f".map-area[data-code='{focused['code']}']")
    assert area.locator(".map-tip").is_visible()
    tip_text = " ".join(area.locator(".map-tip text").all_text_contents())
    value = page.locator("#run-map-table tbody tr", has_text=focused["code"]).inner_text() \
        .split("\t")[-1].strip()
    assert tip_text.endswith(f"Crimes per 1,000 residents: {value}"), (tip_text, value)
    assert focused["name"].endswith(f"Crimes per 1,000 residents: {value}")
    page.keyboard.press("Tab")  # the next area takes focus; the first tooltip goes
    assert not area.locator(".map-tip").is_visible()
    context.close()

    strict = chromium.new_context(viewport={"width": WIDTH, "height": 800}, locale="en-GB")
    page = strict.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    _sign_in(page, server, "councillor", web_password)
    page.goto(url)
    page.locator(".map-area").first.focus()
    assert page.locator(".map-area").first.locator(".map-tip").is_visible()
    strict.close()
    assert refused == []
