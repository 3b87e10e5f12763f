"""The documents people use (engine/report/documents): the summary (DOCX and PDF), the slide set
(PPTX) and the scrutiny report (DOCX), opened with python-docx / python-pptx and the PDF
rendered to images with pdftoppm."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import docx
import pytest
from pptx import Presentation

from safecity.engine.assessment import findings
from safecity.engine.errors import AssessmentError
from safecity.engine.report.documents import FILES, scrutiny, summary, write_documents
from safecity.engine.report.documents.progress import read_progress


def _scorecard(path):
    """A scorecard workbook as the web app exports it (its own writer, no database)."""
    from safecity.web.reports.scorecard_xlsx import (Scorecard, ScorecardAction,
                                                     ScorecardPriority, render_scorecard_xlsx)

    card = Scorecard("Safer Testtown strategy", "Autumn meeting", (
        ScorecardPriority(1, "Reduce violence", (
            ScorecardAction("1.1", "Run the night-time economy patrols", "Police", "Green",
                            "Approved", "Autumn meeting (16 October 2020)"),
            ScorecardAction("1.2", "=HYPERLINK(\"x\")", "Council", "Red", "Approved")), ()),
        ScorecardPriority(2, "Protect vulnerable people", (
            ScorecardAction("2.1", "Train staff", "Health", "", "Not started"),), ())),
        dt.date(2020, 11, 1))
    path.write_bytes(render_scorecard_xlsx(card))
    return path


@pytest.fixture(scope="module")
def written(tmp_path_factory, fixture_module):
    out = tmp_path_factory.mktemp("documents")
    a = findings.attach(fixture_module.assessment())
    export = _scorecard(out / "scorecard.xlsx")
    paths = write_documents(a, out, progress_export=export)
    return out, paths


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_every_document_is_written(written):
    out, paths = written
    assert [p.name for p in paths] == list(FILES)
    assert all((out / name).stat().st_size > 0 for name in FILES)


def test_the_summary_docx_has_its_sections_charts_with_alt_text_and_page_numbers(written):
    out, _ = written
    d = docx.Document(str(out / "summary.docx"))
    heads = _headings(d)
    for name in summary.HEADINGS:
        assert name in heads
    pictures = d.inline_shapes
    assert len(pictures) >= 3
    for shape in pictures:
        assert len(shape._inline.docPr.get("descr", "")) > 20
    footer = d.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert d.core_properties.title.startswith("Southampton Community Safety Strategic")


def test_the_slides_have_one_message_each_and_pictures_with_alt_text(written):
    out, _ = written
    prs = Presentation(str(out / "slides.pptx"))
    slides = list(prs.slides)
    assert len(slides) >= 5
    titles = [s.shapes.title.text for s in slides]
    assert all(titles) and len(set(titles)) == len(titles)
    pictures = [sh for s in slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) >= 3
    for pic in pictures:
        assert len(pic._element.nvPicPr.cNvPr.get("descr", "")) > 20
        # one picture per slide, on the slide
        assert pic.left >= 0 and pic.top >= 0
        assert pic.left + pic.width <= prs.slide_width
        assert pic.top + pic.height <= prs.slide_height
    # a chart slide's title is the chart's one message
    assert "Violence is the largest group" in " ".join(titles)


def test_the_scrutiny_report_has_the_papers_shape_progress_and_marked_narrative(written):
    out, _ = written
    d = docx.Document(str(out / "scrutiny.docx"))
    heads = _headings(d)
    for name in scrutiny.HEADINGS:
        assert name in heads, name
    text = "\n".join(p.text for p in d.paragraphs)
    marks = [r for p in d.paragraphs for r in p.runs if r.text.startswith(scrutiny.MARK)]
    assert len(marks) >= 8 and all(r.font.highlight_color is not None for r in marks)
    assert "Reduce violence: 2 actions (1 green, 1 red)." in text
    assert "Protect vulnerable people: 1 action (1 no update)." in text
    appendix = d.tables[-1]
    cells = [c.text for row in appendix.rows for c in row.cells]
    assert "1.2 =HYPERLINK(\"x\")" in cells  # text as typed, never a formula


def test_the_summary_pdf_renders_to_pages(written, tmp_path):
    out, _ = written
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is needed to render the PDF"
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(out / "summary.pdf"),
                    str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    from PIL import Image

    first = Image.open(pages[0]).convert("L")
    dark = sum(first.histogram()[:128])
    assert dark > 500  # text was drawn, not a blank page


def test_a_workbook_that_is_not_the_export_is_refused_in_one_sentence(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet"
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(AssessmentError, match="has no sheet called Actions"):
        read_progress(tmp_path / "other.xlsx")
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(AssessmentError, match="cannot read the strategy progress workbook"):
        read_progress(tmp_path / "junk.xlsx")


def test_the_export_round_trips(tmp_path):
    progress = read_progress(_scorecard(tmp_path / "s.xlsx"))
    assert progress.priorities() == ["Reduce violence", "Protect vulnerable people"]
    assert progress.as_at() == "Autumn meeting (16 October 2020)"
    assert progress.rag_counts("Reduce violence") == {"Green": 1, "Red": 1}


def test_the_summary_gives_complete_coverage_in_one_sentence_and_gaps_whole():
    from safecity.engine.report.documents.content import compact_coverage

    gap = ("2018/19: crimes are counted for 9 of 12 months (Apr 2018 – Dec 2018); not loaded: "
           "Jan 2019 – Mar 2019.")
    lines = ["Area: Testtown.", "2019/20: crimes are counted for 12 of 12 months.", gap,
             "2019/20: fire data are counted for 12 of 12 months.",
             "2018/19: fire data are counted for 12 of 12 months.",
             "30 Sep – 30 Nov 2020: fire data are counted for 3 of 3 months."]
    assert compact_coverage(lines) == (
        "Area: Testtown.",
        "Every month of 2019/20 is counted for crimes. Every month of 2019/20, 2018/19 and "
        "30 Sep – 30 Nov 2020 is counted for fire data.", gap)
