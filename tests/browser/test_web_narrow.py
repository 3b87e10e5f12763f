"""Every page is usable on a phone: at a 375 px wide viewport no page a reader can reach is wider
than the viewport (wide tables scroll inside their own box instead of widening the page)."""

from __future__ import annotations

from urllib.parse import urldefrag, urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

WIDTH = 375
SKIP = ("/sign-out", "/admin/", "/static/")
DOWNLOADS = (".docx", ".pdf", ".xlsx", ".csv")


def _too_wide(chromium, base: str, password: str | None, username: str | None,
              limit: int = 150) -> tuple[list[str], list[str]]:
    context = chromium.new_context(viewport={"width": WIDTH, "height": 800}, locale="en-GB",
                                   bypass_csp=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
               or route.request.url.startswith(("data:", "about:")) else route.abort())
    if username:
        page.goto(base + "/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/sign-in/" not in page.url, f"{username} could not sign in"
    seen: set[str] = set()
    queue, visited, wide = [base + "/"], [], []
    try:
        while queue and len(visited) < limit:
            url = urldefrag(queue.pop(0))[0]
            if url in seen:
                continue
            seen.add(url)
            response = page.goto(url)
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            visited.append(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                wide.append(f"{url} is {width} px wide")
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                href = urldefrag(href)[0]
                parts = urlparse(href)
                if (href.startswith(base) and href not in seen
                        and not parts.path.endswith(DOWNLOADS)
                        and not parts.query.count("download")  # a published run's files
                        and not any(s in parts.path for s in SKIP)):
                    queue.append(href)
    finally:
        context.close()
    return visited, wide


@pytest.mark.parametrize("username", [None, "coordinator", "police-lead", "admin"])
def test_no_page_is_wider_than_a_375_px_phone(chromium, server, web_password, username):
    visited, wide = _too_wide(chromium, server, web_password, username)
    assert len(visited) >= (3 if username is None else 10), visited
    assert wide == []
    if username == "coordinator":
        assert any("scorecard" in u for u in visited)  # the page that was 596 px wide
