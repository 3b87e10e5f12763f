"""The PDF is printed from the same HTML: A4 pages, every section heading present, charts drawn."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} was not found: install poppler-utils (apt-get install poppler-utils).",
                    pytrace=False)
    return path


def test_write_report_writes_html_and_pdf(rendered):
    html_path, pdf_path = rendered
    assert html_path.name == "report.html" and pdf_path.name == "report.pdf"
    assert pdf_path.read_bytes().startswith(b"%PDF")


def test_write_report_can_skip_the_pdf(assessment, tmp_path):
    from safecity.engine.report import write_report

    html_path, pdf_path = write_report(assessment, tmp_path / "out", pdf=False)
    assert html_path.exists() and pdf_path is None and not (tmp_path / "out" / "report.pdf").exists()


def test_every_section_heading_is_in_the_pdf_text(assessment, rendered):
    text = subprocess.run([tool("pdftotext"), "-layout", str(rendered[1]), "-"], check=True,
                          capture_output=True, text=True).stdout
    for section in assessment.sections:
        assert f"{section.number}. {section.title}" in text
    for heading in ("Contents", "Not available from this data", "Appendix: definitions"):
        assert heading in text
    assert "Page 2 of" in text  # page numbers in the margin


def test_pdf_pages_render_to_images(rendered, tmp_path):
    subprocess.run([tool("pdftoppm"), "-r", "30", "-png", str(rendered[1]), str(tmp_path / "page")],
                   check=True, capture_output=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 8  # title, contents, five sections, the not-available list, appendix
    assert all(p.stat().st_size > 1000 for p in pages)


def test_pdf_is_a4_and_tagged(rendered):
    info = subprocess.run([tool("pdfinfo"), str(rendered[1])], check=True, capture_output=True,
                          text=True).stdout
    assert "(A4)" in info and "Tagged:          yes" in info


def test_each_section_starts_a_new_page(assessment, rendered):
    text = subprocess.run([tool("pdftotext"), str(rendered[1]), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    for section in assessment.sections:
        heading = f"{section.number}. {section.title}"
        page = next(p for p in pages if heading in p and "Contents" not in p)
        body = [line for line in page.splitlines() if line.strip()]
        assert heading in body[:4], f"{heading!r} is not at the top of its page"
