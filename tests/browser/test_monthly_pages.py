"""axe-core over the month-by-month pages (issue #13) on the demo partnership with its evidence
loaded: the violence dashboard for the area and a sector (with its chart and table twin), its
error state, and the youth re-offending tracker as the youth justice role; both at 375 px
without sideways scrolling; and the demo's monthly pack, published into the app by
`safecity web demo`, with axe over its run page and its report."""

from __future__ import annotations

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


def _strategy(page, base: str) -> None:
    """Open the demo strategy's page from the strategy list."""
    import re

    page.goto(base + "/strategy/")
    if re.search(r"/strategy/\d+/$", page.url):  # one strategy: the list opens it
        return
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = [h for h in hrefs if re.search(r"/strategy/\d+/$", h)]
    assert found, f"no strategy linked from {page.url}"
    page.goto(found[0])


def _clean(page, axe_check) -> None:
    violations = axe_check(page)
    assert violations == [], f"{page.url}\n" + axe_check.describe(violations)


def _fits(page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert wide <= 375, f"{page.url} is {wide} px wide at 375 px"


def test_the_violence_dashboard_has_no_axe_violations(evidence_server, web_password, page,
                                                      axe_check):
    _sign_in(page, evidence_server, "police-lead", web_password)
    _strategy(page, evidence_server)
    page.get_by_role("link", name="Scorecard").first.click()
    page.get_by_role("link", name="Violence dashboard").click()
    page.wait_for_load_state()
    assert page.locator("svg[role=img]").count() == 1
    assert page.locator("#violence-by-month tbody tr").count() == 12
    _clean(page, axe_check)
    _fits(page)
    page.get_by_label("Area").select_option("East")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "East sector" in page.content()
    _clean(page, axe_check)
    # the error state: an error summary linking to the field
    page.goto(page.url.split("?")[0] + "?start=2020-03&end=2019-01")
    assert page.locator(".govuk-error-summary a[href='#end']").count() == 1
    _clean(page, axe_check)


def test_the_youth_tracker_has_no_axe_violations(evidence_server, web_password, page,
                                                 axe_check):
    _sign_in(page, evidence_server, "youth-justice", web_password)
    page.goto(evidence_server + "/")
    page.get_by_role("link", name="Youth tracker").first.click()
    page.wait_for_load_state()
    assert page.locator("#cohorts tbody tr").count() == 24
    assert page.locator("#children tbody tr").count() > 10
    _clean(page, axe_check)
    _fits(page)
    page.locator("#children details summary").first.click()  # a child's records open
    _clean(page, axe_check)


def test_the_youth_tracker_is_not_found_for_a_coordinator(evidence_server, web_password, page):
    _sign_in(page, evidence_server, "coordinator", web_password)
    response = page.goto(evidence_server + "/scorecard/youth-tracker/")
    assert response.status == 404
    assert page.get_by_role("link", name="Youth tracker").count() == 0


def test_the_demos_monthly_pack_is_published_in_the_app_with_no_axe_violations(
        evidence_server, web_password, page, axe_check):
    # `safecity web demo` published the pack `safecity assess --month 2020-03` wrote
    _sign_in(page, evidence_server, "councillor", web_password)
    _strategy(page, evidence_server)
    page.get_by_role("link", name="Strategic Assessment and monthly packs").first.click()
    page.get_by_role("link", name="Mar 2020").first.click()
    page.wait_for_load_state()
    _clean(page, axe_check)
    report = page.url.rstrip("/") + "/files/report.html"
    response = page.goto(report)
    assert response.status == 200
    for heading in ("By policing sector", "By ward", "Domestic abuse", "Hate crime",
                    "Knife and weapon crime", "Exceptions worth the meeting", "Hotspots that "
                    "show what is new"):
        assert page.get_by_role("heading", name=heading).count() >= 1, heading
    assert page.locator("svg[role=img]").count() >= 9
    _clean(page, axe_check)
