"""axe-core over every page of the web app: a crawler signs in as each kind of reader and visits
every page reachable by links (STYLE: an axe check over every URL), not only the journey's pages."""

from __future__ import annotations

from urllib.parse import urldefrag, urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

SKIP = ("/sign-out", "/admin/", "/static/")
DOWNLOADS = (".docx", ".pdf", ".xlsx", ".csv")


def _crawl(page, base: str, axe_check, start: str = "/", limit: int = 120) -> list[str]:
    seen: set[str] = set()
    queue = [base + start]
    visited: list[str] = []
    while queue and len(visited) < limit:
        url = urldefrag(queue.pop(0))[0]
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        # Every link a reader is shown must open: a 403 or 404 behind a link is a bug.
        assert response.status == 200, f"{url} answered {response.status}"
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        violations = axe_check(page)
        assert violations == [], f"{page.url}\n" + axe_check.describe(violations)
        visited.append(page.url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href)[0]
            parts = urlparse(href)
            if (href.startswith(base) and href not in seen and not parts.query.count("download")
                    and not parts.path.endswith(DOWNLOADS)
                    and not any(s in parts.path for s in SKIP)):
                queue.append(href)
    return visited


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"{username} could not sign in"


def test_every_public_page_has_no_axe_violations(server, page, axe_check):
    page.context.clear_cookies()
    visited = _crawl(page, server, axe_check, start="/sign-in/")
    assert any("accessibility" in u for u in visited), visited


@pytest.mark.parametrize("username", ["coordinator", "councillor"])
def test_every_page_a_signed_in_reader_can_reach_has_no_axe_violations(server, web_password, page,
                                                                       axe_check, username):
    _sign_in(page, server, username, web_password)
    visited = _crawl(page, server, axe_check)
    # the crawl must really have walked the app: strategy, a cycle, an update and the scorecard
    assert len(visited) >= 10, visited
    assert any("/strategy/" in u for u in visited) and any("scorecard" in u for u in visited)
    # the assessment run the demo published, and the list of runs (issue #11)
    assert any("/evidence/runs/" in u for u in visited), visited
    assert any("/evidence/partnerships/" in u for u in visited), visited
