"""The HTML report: structure for assistive technology, twins, suppression, self-containment."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from safecity.engine.assessment.model import ChartSpec, Suppressed
from safecity.engine.errors import AssessmentError
from safecity.engine.report import render_html


class Outline(HTMLParser):
    """Collects headings, ids, hrefs, tables and the text of [c] cells."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._heading: int | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = int(tag[1]), []

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading}":
            self.headings.append((self._heading, "".join(self._text).strip()))
            self._heading = None


@pytest.fixture(scope="module")
def html(assessment) -> str:
    return render_html(assessment)


@pytest.fixture(scope="module")
def outline(html) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_the_page_has_a_language_a_title_and_landmarks(html, outline):
    assert re.search(r'<html lang="en-GB">', html)
    assert "<title>Southampton Community Safety Strategic Assessment 2019/20</title>" in html
    names = [t for t, _ in outline.tags]
    assert names.count("main") == 1 and "header" in names and "footer" in names and "nav" in names


def test_a_skip_link_leads_to_the_main_content(outline):
    assert outline.hrefs[0] == "#main" and "main" in outline.ids


def test_there_is_one_h1_and_heading_levels_never_skip(outline):
    levels = [level for level, _ in outline.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_every_section_has_a_numbered_h2_and_the_contents_links_to_it(assessment, outline):
    h2 = [text for level, text in outline.headings if level == 2]
    for section in assessment.sections:
        assert f"{section.number}. {section.title}" in h2
    for extra in ("Contents", "About the data", "Not available from this data", "Appendix: definitions"):
        assert extra in h2
    internal = [h[1:] for h in outline.hrefs if h.startswith("#")]
    assert internal and all(target in outline.ids for target in internal)


def test_every_chart_has_its_finding_and_twin_table_beside_it(assessment, html):
    from safecity.engine.report.html import APPENDIX_ROWS, appendix_ident

    for section in assessment.sections:
        for chart in section.charts:
            table = next(t for t in section.tables if t.key == chart.table_key)
            block = re.search(r'<div class="chart-block" id="[^"]*chart-[^"]*">(.*?)</div>\s*</div>\s*</div>',
                              html[html.index(f">{chart.title}</h3>") - 400:], re.S)
            assert block, chart.key
            body = block.group(1)
            assert chart.finding in body and 'role="img"' in body
            if len(table.rows) > APPENDIX_ROWS:  # a long twin is in the appendix, linked
                anchor = appendix_ident(table.key)
                assert f'href="#{anchor}"' in body and f"tables/{table.key}.csv" in body
                appendix = html.split('id="appendix-tables"', 1)[1]
                assert f'id="{anchor}"' in appendix and table.title in appendix
            else:
                assert f"Table for the chart: {table.title}" in body


def test_tables_have_captions_and_scoped_headers(html):
    tables = re.findall(r"<table.*?</table>", html, re.S)
    assert tables
    for table in tables:
        assert "<caption" in table
        assert re.findall(r"<th(?=[\s>])(?![^>]*scope=)", table) == []


def test_suppressed_cells_and_figures_print_c_with_a_footnote(html):
    assert html.count(">[c]</td>") >= 4  # the suppressed band, its share, and the withheld total
    assert '<span class="figure-value">[c]</span>' in html
    assert "[c] Withheld to protect confidentiality" in html
    assert 'id="note-symbols"' in html


def test_a_suppressed_value_can_never_reach_the_page(assessment, fixture_module):
    secret = fixture_module.SECRET
    section = assessment.sections[2]
    table = section.tables[0]
    rows = tuple(row[:1] + (Suppressed(),) + row[2:] if row[0] == "65 and over" else row
                 for row in table.rows)
    patched = dataclasses.replace(assessment, sections=(dataclasses.replace(
        section, tables=(dataclasses.replace(table, rows=rows),) + section.tables[1:]),))
    text = render_html(patched)
    row = re.search(r"<th scope=\"row\">65 and over</th>(.*?)</tr>", text).group(1)
    assert re.findall(r">([^<]*)</td>", row) == ["[c]", "[c]"]
    assert str(secret) not in row


def test_unavailable_and_partial_sections_are_listed_with_reasons(assessment, html):
    missing = next(s for s in assessment.sections if not s.available)
    assert html.count(missing.unavailable_reason) == 2  # in place and in the summary list
    partial = next(s for s in assessment.sections if s.partial)
    assert html.count(partial.partial[0]) == 2


def test_the_appendix_defines_every_metric_and_figures_link_to_them(assessment, outline):
    for d in assessment.definitions:
        assert (3, d.name) in outline.headings
    assert "#def-crime-rate" in outline.hrefs


def test_the_title_page_states_periods_weights_and_suppression(html):
    for text in ("1 April 2019 to 31 March 2020", "2018/19: 1 April 2018 to 31 March 2019",
                 "ONS CCHI 2020", "Counts below 5 are withheld", "1 June 2020 at 09:30",
                 "Police extract: 12 months", "252,796"):
        assert text in html


def test_the_file_is_self_contained(html):
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert "@font-face" not in html
    urls = re.findall(r'(?:src|href)="([^"#][^"]*)"', html)
    assert urls == []


def test_a_chart_without_its_twin_table_is_refused(assessment):
    section = assessment.sections[0]
    orphan = ChartSpec("orphan", "Orphan", "No table.", "bar", "no_such_table", ("a",), ())
    broken = dataclasses.replace(assessment, sections=(dataclasses.replace(
        section, charts=section.charts + (orphan,)),))
    with pytest.raises(AssessmentError, match="table twin"):
        render_html(broken)


def test_a_monthly_pack_is_titled_as_one(assessment):
    pack = dataclasses.replace(assessment, kind="monthly")
    assert "Monthly performance pack" in render_html(pack)
