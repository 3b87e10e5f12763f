"""The HTML report in a real browser: axe-core finds nothing, it reflows at 400 % zoom and it
never touches the network."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from safecity.engine.report import render_html

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FIXTURES = Path(__file__).resolve().parents[1] / "engine" / "report" / "fixtures.py"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("safecity_report_fixtures", FIXTURES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(module.assessment()), encoding="utf-8")
    return path


def test_the_fixture_report_has_no_axe_violations(page, axe_check, report_file):
    page.goto(report_file.as_uri())
    violations = axe_check(page)
    assert violations == [], axe_check.describe(violations)


def test_the_report_loads_nothing_from_the_network(page, blocked_urls, report_file):
    page.goto(report_file.as_uri(), wait_until="networkidle")
    assert blocked_urls == []


def test_the_report_reflows_without_sideways_scrolling_at_400_percent_zoom(page, report_file):
    # 1280 CSS px at 400 % zoom is a 320 px viewport (WCAG 1.4.10); data tables may scroll
    # inside their own focusable region, which the criterion allows.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(report_file.as_uri())
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_the_skip_link_is_the_first_focus_and_becomes_visible(page, report_file):
    page.goto(report_file.as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent, "
                            "document.activeElement.getBoundingClientRect().top]")
    assert focused[0] == "Skip to main content" and focused[1] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_axe_check_does_find_violations_on_a_broken_page(page, axe_check):
    """Guards the guard: a page with an unlabelled image and no language must fail."""
    page.set_content("<html><body><img src='data:,'><p style='color:#ccc'>faint</p></body></html>")
    ids = {v["id"] for v in axe_check(page)}
    assert {"image-alt", "html-has-lang", "color-contrast"} <= ids
