"""An ASB Case Review end to end in a real browser against the real server: a victim applies
online (on a 375 px phone); the coordinator sees the threshold met, records the decision, the
agencies' information, the review meeting and a recommendation, closes the review and downloads
the decision letter; the yearly figures move by exactly this case. axe-core on every page."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def _check(page, axe_check, width=None):
    page.wait_for_load_state()
    violations = axe_check(page)
    assert violations == [], f"{page.url}\n" + axe_check.describe(violations)
    if width:
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


def _this_year(page) -> list[int]:
    row = page.locator("#figures tbody tr").first
    return [int(x) for x in row.locator("td").all_inner_texts()]


def _sign_in(page, base, username, password):
    page.context.clear_cookies()
    page.goto(base + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url


def test_an_application_is_assessed_reviewed_closed_and_counted(server, web_password, page,
                                                                  chromium, axe_check):
    _sign_in(page, server, "coordinator", web_password)
    page.get_by_role("link", name="Case reviews").click()
    _check(page, axe_check)
    page.get_by_role("link", name="Yearly figures").first.click()
    _check(page, axe_check)
    before = _this_year(page)

    phone = chromium.new_context(viewport={"width": 375, "height": 800}, locale="en-GB",
                                 is_mobile=True, has_touch=True, bypass_csp=True)
    public = phone.new_page()
    public.goto(server + "/")
    public.get_by_role("link", name="ASB Case Review").click()
    _check(public, axe_check, width=375)
    public.get_by_role("button", name="Send application").click()  # empty: errors
    _check(public, axe_check, width=375)
    public.get_by_label("The victim", exact=True).check()
    public.get_by_label("Your full name").fill("Ann Example")
    public.get_by_label("Email address").fill("ann@example.org")
    public.get_by_label("What is the anti-social behaviour?").fill("Dogs barking all night")
    public.get_by_label("Where does it happen?").fill("12 Demo Road")
    public.get_by_label("Tell us more").fill("It has gone on since the summer.")
    today = dt.date.today()
    for i, ago in enumerate((90, 50, 10)):
        box = public.locator("fieldset", has_text=f"Complaint {i + 1}")
        box.get_by_label("Date of the incident").fill(
            (today - dt.timedelta(ago + 2)).strftime("%d/%m/%Y"))
        box.get_by_label("Date it was reported").fill(
            (today - dt.timedelta(ago)).strftime("%d/%m/%Y"))
        box.get_by_label("Who it was reported to").fill("Police")
    public.get_by_role("button", name="Send application").click()
    _check(public, axe_check, width=375)
    reference = public.locator(".govuk-panel__body strong").inner_text()
    phone.close()

    page.goto(server + "/case-reviews/")
    page.get_by_role("link", name=reference).click()
    _check(page, axe_check)
    assert "Threshold met" in page.content()
    page.get_by_role("button", name="Record the threshold decision").click()
    _check(page, axe_check)
    page.get_by_label("Agency", exact=True).select_option(label="Wessex Valley Police")
    page.get_by_label("What the agency told the review").fill("Four visits; warning letter.")
    page.get_by_role("button", name="Add information").click()
    _check(page, axe_check)
    page.get_by_label("Date of the review meeting").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("What the panel found").fill("Agencies did not share what they knew.")
    page.get_by_role("button", name="Record the meeting").click()
    _check(page, axe_check)
    page.get_by_label("Recommendation", exact=True).fill("Serve a community protection warning.")
    page.get_by_label("Owner").select_option(index=1)
    page.get_by_label("Due date").fill((today + dt.timedelta(28)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Add recommendation").click()
    _check(page, axe_check)
    page.get_by_role("button", name="Close the review").click()
    _check(page, axe_check)
    assert "Closed" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Decision letter (Word)").click()
    letter = docx.Document(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "met the threshold" in text and "community protection warning" in text

    page.goto(server + "/case-reviews/")
    page.get_by_role("link", name="Yearly figures").first.click()
    _check(page, axe_check)
    after = _this_year(page)
    # applications, threshold not met, reviews carried out, reviews with recommendations
    assert after == [before[0] + 1, before[1], before[2] + 1, before[3] + 1]
