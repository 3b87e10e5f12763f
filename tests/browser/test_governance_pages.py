"""axe-core over the data governance pages as the demo administrator (the crawl of
test_web_every_page signs in as a coordinator and a councillor, who cannot reach the editing
and export pages): every page under /governance/ linked from the register, the form with its
error summary, and the register and tracker at 375 px without sideways scrolling."""

from __future__ import annotations

from urllib.parse import urldefrag, urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"{username} could not sign in"


def _assert_clean(page, axe_check) -> None:
    violations = axe_check(page)
    assert violations == [], f"{page.url}\n" + axe_check.describe(violations)


def test_every_governance_page_has_no_axe_violations(server, web_password, page, axe_check):
    _sign_in(page, server, "admin", web_password)
    page.goto(server + "/")
    page.get_by_role("link", name="Data governance").first.click()  # reached from the nav
    queue, seen, visited = [page.url], set(), []
    while queue:
        url = urldefrag(queue.pop(0))[0]
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        _assert_clean(page, axe_check)
        visited.append(urlparse(url).path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if href.startswith(server + "/governance/") and not href.endswith(".csv"):
                queue.append(href)
    # the register, an entry with its history, the form, the tracker and the export page
    assert {"/governance/register/", "/governance/register/new/", "/governance/returns/",
            "/governance/audit/"} <= set(visited), visited
    assert any(p.endswith("/edit/") for p in visited), visited
    # The demo's police extract makes quarterly returns, and no warehouse is loaded here.
    page.goto(server + "/governance/returns/")
    assert page.locator("tr[data-status='late']").count() > 0

    # The form's error state: an error summary linking to each field, still no violations.
    page.goto(server + "/governance/register/new/")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    _assert_clean(page, axe_check)
    page.goto(server + "/governance/audit/?start=2024-05-01&end=2024-04-01")
    assert page.locator(".govuk-error-summary").is_visible()
    _assert_clean(page, axe_check)


def test_the_register_and_tracker_fit_a_phone(server, web_password, chromium, axe_check):
    context = chromium.new_context(viewport={"width": 375, "height": 800}, locale="en-GB",
                                   bypass_csp=True)
    try:
        page = context.new_page()
        _sign_in(page, server, "admin", web_password)
        for path in ("/governance/register/", "/governance/returns/", "/privacy/"):
            page.goto(server + path)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 375, f"{path} is {width} px wide at 375 px"
            _assert_clean(page, axe_check)
    finally:
        context.close()
