"""The progress-update paper and scorecard workbook, rendered from plain data."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from safecity.web.reports.papers import (COLUMNS, Paper, PaperAction, PaperPriority, render_docx,
                                          render_html, render_pdf)
from safecity.web.reports.scorecard_xlsx import (Scorecard, ScorecardAction, ScorecardIndicator,
                                                 ScorecardPriority, render_scorecard_xlsx)
from safecity.web.strategy.importing import parse_plan

sys.path.insert(0, str(Path(__file__).parent))
from fixtures_docx import summary  # noqa: E402

PAPER = Paper(
    title="Safer Harbourside Strategy 2023-26: progress update",
    subtitle="For the partnership meeting on 12 March 2025",
    priorities=(
        PaperPriority(1, "Cut crime in neighbourhoods", (
            PaperAction("1.1", "Survey residents each quarter.", "All",
                        "Two surveys ran.\nResults went to ward panels.", "Green"),
            PaperAction("1.2", "Share hotspot maps with housing.", "Northshire Police / City Council",
                        "Maps go out monthly & on request <weekly>.", "Amber"),
        )),
        PaperPriority(2, "Keep young people safe", (
            PaperAction("2.1", "Mentor first-time entrants.", "Youth Justice Service", "", ""),
        )),
    ),
    generated=date(2025, 3, 1),
)


def _table_rows(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    assert len(document.tables) == 1
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def test_the_exported_docx_reopens_as_a_four_column_table_with_one_row_per_action():
    rows = _table_rows(render_docx(PAPER))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 1 + 3
    assert all(len(row) == 4 for row in rows)
    assert [row[1] for row in rows[1:]] == [
        "Survey residents each quarter.", "Share hotspot maps with housing.",
        "Mentor first-time entrants."]


def test_the_docx_names_each_priority_on_its_first_action_only():
    rows = _table_rows(render_docx(PAPER))
    assert [row[0] for row in rows[1:]] == [
        "Cut crime in neighbourhoods", "", "Keep young people safe"]


def test_the_docx_update_cell_holds_the_status_and_each_paragraph():
    rows = _table_rows(render_docx(PAPER))
    assert rows[1][3] == "Status: Green\nTwo surveys ran.\nResults went to ward panels."
    assert rows[3][3] == "No update was approved for this meeting."


def test_the_docx_header_row_repeats_on_every_page():
    document = docx.Document(io.BytesIO(render_docx(PAPER)))
    header = document.tables[0].rows[0]._tr
    assert header.xpath("./w:trPr/w:tblHeader")


def test_a_paper_without_statuses_reimports_as_the_same_plan():
    plain = Paper(PAPER.title, PAPER.subtitle, tuple(
        PaperPriority(p.number, p.title, tuple(
            PaperAction(a.number, a.text, a.lead, a.update or "Not yet.") for a in p.actions))
        for p in PAPER.priorities), PAPER.generated)
    plan = parse_plan(io.BytesIO(render_docx(plain)), "paper.docx")
    assert summary(plan).priorities == tuple(
        (p.title, tuple((a.text, tuple(a.lead.split(" / ")), a.update or "Not yet.")
                        for a in p.actions)) for p in plain.priorities)


def test_the_html_paper_escapes_text_and_has_one_body_row_per_action():
    html = render_html(PAPER)
    assert "Maps go out monthly &amp; on request &lt;weekly&gt;." in html
    assert html.count("<tr>") == 1 + 3
    assert '<th scope="col">Lead Agency</th>' in html


def test_the_pdf_paper_is_a_pdf_whose_text_has_every_action(tmp_path):
    data = render_pdf(PAPER)
    assert data.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF back; install it.")
    path = tmp_path / "paper.pdf"
    path.write_bytes(data)
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("Lead Agency", "Survey residents each quarter.", "Mentor first-time entrants.",
                  "Status: Amber"):
        assert words in text


SCORECARD = Scorecard(
    title="Safer Harbourside scorecard", cycle="March 2025 meeting", generated=date(2025, 3, 1),
    priorities=(ScorecardPriority(1, "Cut crime in neighbourhoods", (
        ScorecardAction("1.1", "Survey residents each quarter.", "All", "Green", "Approved"),
        ScorecardAction("1.2", "Share hotspot maps.", "Northshire Police", "", "Not started"),
    ), (
        ScorecardIndicator("Residential burglary", "Lower is better", "count", 812.0, "2019/20",
                           700.0, (("2022/23", 790.0), ("2023/24", 741.0)), -6.2,
                           "significant fall"),
        ScorecardIndicator("Repeat victims (5 or more)", "Lower is better", "count", None, "",
                           None, (("2022/23", None), ("2023/24", 12.0)), None, ""),
    )),))


def test_the_scorecard_workbook_lists_actions_with_their_rag_status_as_text():
    book = openpyxl.load_workbook(io.BytesIO(render_scorecard_xlsx(SCORECARD)))
    sheet = book["Actions"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0] == ("Priority", "Action number", "Action", "Lead Agency", "RAG status",
                       "Update status", "As at", "Update")
    assert rows[1:] == [
        ("Cut crime in neighbourhoods", "1.1", "Survey residents each quarter.", "All", "Green",
         "Approved", None, None),
        ("Cut crime in neighbourhoods", "1.2", "Share hotspot maps.", "Northshire Police", None,
         "Not started", None, None)]


def test_the_scorecard_workbook_writes_indicator_values_as_numbers_and_gaps_as_empty_cells():
    book = openpyxl.load_workbook(io.BytesIO(render_scorecard_xlsx(SCORECARD)))
    rows = list(book["Indicators"].iter_rows(min_row=4, values_only=True))
    assert rows[0][7:9] == ("2022/23", "2023/24")
    assert rows[1] == ("Cut crime in neighbourhoods", "Residential burglary", "count",
                       "Lower is better", "2019/20", 812.0, 700.0, 790.0, 741.0,
                       pytest.approx(-0.062), "significant fall")
    assert rows[2][5:] == (None, None, None, 12.0, None, None)
