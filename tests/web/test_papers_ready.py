"""Papers ready to send: page numbers, footer, document properties and a RAG key in the Word
paper; the same content in the HTML and PDF; the workbook's "As at" and update text; titles
never doubled. Read back with python-docx and openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import docx
import openpyxl
from django.urls import reverse

from safecity.web.reports.build import _baseline
from safecity.web.reports.papers import paper_title, render_html


def _docx(client, cycle) -> docx.document.Document:
    response = client.get(reverse("reports:paper_docx", args=[cycle.pk]))
    assert response.status_code == 200
    return docx.Document(io.BytesIO(response.content))


def test_the_word_paper_has_page_numbers_a_footer_properties_and_a_rag_key(as_user, world):
    world.strategy.partnership = "Test Safer City Partnership"
    world.strategy.rag_red = "Stalled: the board must act."
    world.strategy.save()
    document = _docx(as_user(world.users["councillor"]), world.closed)
    footer = document.sections[0].footer
    text = footer.paragraphs[0].text
    today = dt.date.today()
    assert text.startswith(f"Test Safer City Partnership · Closed cycle · As at "
                           f"{today:%-d %B %Y} · Page ")
    xml = footer._element.xml
    assert "<w:instrText" in xml and " PAGE " in xml and " NUMPAGES " in xml
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    properties = document.core_properties
    assert properties.title == "Test strategy: progress update"
    assert properties.author == "Test Safer City Partnership"
    assert properties.last_modified_by == "Test Safer City Partnership"
    body = [p.text for p in document.paragraphs]
    assert "RAG key" in body
    assert "Red: Stalled: the board must act." in body
    assert any(t.startswith("Green: On track") for t in body)
    # The table is still the paper's one table, with the approved update.
    assert len(document.tables) == 1
    assert "Old text" in "\n".join(c.text for r in document.tables[0].rows for c in r.cells)


def test_the_author_is_the_strategy_when_no_partnership_name_is_set(as_user, world):
    document = _docx(as_user(world.users["councillor"]), world.closed)
    assert document.core_properties.author == "Test strategy"


def test_titles_are_never_doubled(as_user, world):
    assert paper_title("Safer Harbourside Strategy") == \
        "Safer Harbourside Strategy: progress update"
    assert paper_title("Safer Harbourside Progress Update") == \
        "Safer Harbourside Progress Update"
    assert paper_title("Harbourside: progress update") == "Harbourside: progress update"
    world.strategy.title = "Riverton Strategy Progress Update"
    world.strategy.save()
    document = _docx(as_user(world.users["councillor"]), world.closed)
    assert document.core_properties.title == "Riverton Strategy Progress Update"
    assert "progress update: progress update" not in document.paragraphs[0].text.lower()


def test_the_html_and_pdf_paper_carry_the_same_key_and_footer(as_user, world):
    from safecity.web.reports.build import paper_for_cycle

    paper = paper_for_cycle(world.closed)
    html = render_html(paper)
    assert "RAG key" in html and paper.footer in html
    assert "Off track: the action will miss its target" in html
    page = as_user(world.users["councillor"]).get(
        reverse("reports:paper", args=[world.closed.pk])).content.decode()
    assert "RAG key" in page and paper.footer in page


def test_the_workbook_says_as_at_which_cycle_and_carries_the_update_text(as_user, world):
    response = as_user(world.users["councillor"]).get(
        reverse("reports:scorecard_xlsx", args=[world.strategy.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Actions"]
    header = [c.value for c in sheet[4]]
    assert header[-2:] == ["As at", "Update"]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    police = rows["1.1"]
    as_at = f"Closed cycle ({world.closed.meeting_date:%-d %B %Y})"
    assert police[4:] == ("Green", "Approved", as_at, "Old text")
    assert rows["1.4"][5:] == ("No approved update", None, None)


def test_a_baseline_comes_from_the_indicator_or_else_its_first_computed_value(world):
    points = (SimpleNamespace(value=None, period_label="Q1"),
              SimpleNamespace(value=123.4, period_label="Q2 2020"))
    trend = SimpleNamespace(points=points)
    world.indicator.baseline = None
    assert _baseline(world.indicator, trend) == (123.4, "Q2 2020")
    world.indicator.baseline, world.indicator.baseline_label = 99.0, "2019/20"
    assert _baseline(world.indicator, trend) == (99.0, "2019/20")
    world.indicator.baseline = None
    assert _baseline(world.indicator, SimpleNamespace(points=())) == (None, "")
