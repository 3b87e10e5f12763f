"""The HTML report in a real browser: axe-core finds nothing, it reflows at 400 % zoom and it
never touches the network; and the demo partnership's real report passes axe and prints every
section heading to the PDF."""

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


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """The demo partnership through ``safecity demo`` and ``write_report`` (HTML and PDF)."""
    from safecity.cli import main
    from safecity.engine.assessment.build import build_assessment
    from safecity.engine.report import write_report

    home = tmp_path_factory.mktemp("demo-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["demo"]) == 0
        assessment = build_assessment("2019/20", custom_period="2020-09-30..2020-11-30")
    finally:
        mp.undo()
    html, pdf = write_report(assessment, home / "out")
    return assessment, html, pdf


@pytest.mark.slow
def test_the_demo_report_has_no_axe_violations(page, axe_check, demo_report):
    page.goto(demo_report[1].as_uri())
    violations = axe_check(page)
    assert violations == [], axe_check.describe(violations)


@pytest.mark.slow
def test_the_demo_pdf_has_every_section_heading_and_renders_to_pages(demo_report, tmp_path):
    import shutil
    import subprocess

    assessment, _, pdf = demo_report
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} was not found: install poppler-utils.", pytrace=False)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    missing = [f"{s.number}. {s.title}" for s in assessment.sections
               if f"{s.number}. {s.title}" not in text]
    assert missing == []
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "6", str(pdf),
                    str(tmp_path / "page")], check=True, capture_output=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 6
