"""Partner intelligence in a real browser: a council lead submits, the analyst triages it, the
lead sees the outcome; another partner's lead cannot open it. axe-core on every page."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

WHAT = "Two men selling from a van behind the community centre on Friday nights."


def _check(page, axe_check):
    page.wait_for_load_state()
    violations = axe_check(page)
    assert violations == [], f"{page.url}\n" + axe_check.describe(violations)


def _sign_in(page, base, username, password, axe_check):
    page.context.clear_cookies()
    page.goto(base + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url
    _check(page, axe_check)


def test_a_partner_submits_intelligence_and_an_analyst_triages_it(server, web_password, page,
                                                                  axe_check):
    _sign_in(page, server, "council-lead", web_password, axe_check)
    page.get_by_role("link", name="Intelligence", exact=True).click()
    _check(page, axe_check)
    page.get_by_role("button", name="Submit intelligence").click()
    _check(page, axe_check)
    page.get_by_role("button", name="Submit intelligence").click()  # empty: errors
    _check(page, axe_check)
    page.get_by_label("Drugs").check()
    page.get_by_label("What was seen or heard?").fill(WHAT)
    page.get_by_label("When was it seen?").fill(
        (dt.date.today() - dt.timedelta(1)).strftime("%d/%m/%Y"))
    page.get_by_label("Ward (if known)").fill("Bevois")
    page.get_by_label("A: reliable", exact=False).check()
    page.get_by_label("P: may be shared", exact=False).check()
    page.get_by_role("button", name="Submit intelligence").click()
    _check(page, axe_check)
    reference = page.locator("table tbody tr").first.locator("a").inner_text()
    item_url = page.locator("table tbody tr").first.locator("a").get_attribute("href")

    _sign_in(page, server, "probation-lead", web_password, axe_check)
    assert page.goto(server + item_url).status == 404

    _sign_in(page, server, "analyst", web_password, axe_check)
    page.goto(server + "/intelligence/")
    _check(page, axe_check)
    page.get_by_role("link", name=reference, exact=True).click()
    _check(page, axe_check)
    assert WHAT in page.content()
    page.get_by_label("3: not personally known but corroborated").check()
    page.get_by_label("Linked to a problem or hotspot").check()
    page.get_by_label("Problem or hotspot it is linked to").fill("Bevois drugs PAG problem")
    page.get_by_label("Outcome or reason (the submitter sees this)").fill(
        "Linked to the Bevois PAG problem; thank you.")
    page.get_by_role("button", name="Save triage").click()
    _check(page, axe_check)

    _sign_in(page, server, "council-lead", web_password, axe_check)
    page.goto(server + "/intelligence/yours/")
    _check(page, axe_check)
    row = page.locator("table tbody tr", has_text=reference)
    assert "Linked to a problem or hotspot" in row.inner_text()
    assert "Linked to the Bevois PAG problem; thank you." in row.inner_text()
