"""Acceptance (#12): on the demo, one `safecity assess --year 2019/20 --custom-period
2020-09-30..2020-11-30` writes the full report, the summary (DOCX and PDF), the slide set and
the scrutiny report; each opens with python-docx / python-pptx and has its sections; and the
documents carry only figures the assessment publishes."""

from __future__ import annotations

import csv
import json
import re

import docx
import pytest
from pptx import Presentation

from safecity.cli import main
from safecity.engine.report.documents import FILES, scrutiny, summary


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory, shared_data):
    home = tmp_path_factory.mktemp("demo-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    out = home / "out"
    try:
        assert main(["demo"]) == 0
        assert main(["assess", "--year", "2019/20", "--custom-period",
                     "2020-09-30..2020-11-30", "--out", str(out)]) == 0
    finally:
        mp.undo()
    return out


def _docx_text(path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _pptx_text(path) -> str:
    prs = Presentation(str(path))
    return "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                     if sh.has_text_frame)


def test_one_run_writes_the_report_and_every_document(demo_out):
    for name in ("report.html", "report.pdf", *FILES):
        assert (demo_out / name).stat().st_size > 1000, name


def test_each_document_opens_and_has_its_sections(demo_out):
    heads = [p.text for p in docx.Document(str(demo_out / "summary.docx")).paragraphs
             if p.style.name.startswith("Heading")]
    assert set(summary.HEADINGS) <= set(heads)
    heads = [p.text for p in docx.Document(str(demo_out / "scrutiny.docx")).paragraphs
             if p.style.name.startswith("Heading")]
    assert set(scrutiny.HEADINGS) <= set(heads)
    prs = Presentation(str(demo_out / "slides.pptx"))
    titles = [s.shapes.title.text for s in prs.slides]
    assert "The assessment in brief" in titles
    assert "Violence against the person" in titles  # the top finding has its own slide
    assert sum(1 for s in prs.slides for sh in s.shapes if sh.shape_type == 13) >= 4


def _published_numbers(out) -> set[str]:
    """Every number written in the assessment's published files."""
    text = (out / "assessment.json").read_text(encoding="utf-8")
    for path in [out / "headlines.csv", *sorted((out / "tables").glob("*.csv"))]:
        with open(path, newline="", encoding="utf-8") as fh:
            text += "\n" + "\n".join(",".join(r) for r in csv.reader(fh))
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")


def test_the_documents_carry_only_published_figures(demo_out):
    published = _published_numbers(demo_out)
    data = json.loads((demo_out / "assessment.json").read_text(encoding="utf-8"))
    assert data["findings"]["findings"], "the demo has findings"
    for name, text in (("summary.docx", _docx_text(demo_out / "summary.docx")),
                       ("scrutiny.docx", _docx_text(demo_out / "scrutiny.docx")),
                       ("slides.pptx", _pptx_text(demo_out / "slides.pptx"))):
        stray = {n for n in NUMBER.findall(text)
                 if n.replace(",", "") not in published
                 and n.replace(",", "").rstrip("0").rstrip(".") not in published}
        # page furniture and law references, not figures
        stray -= {"1", "2", "3", "4", "5", "10", "2006", "2007", "19", "25"}
        assert not stray, f"{name} has numbers the assessment does not publish: {sorted(stray)}"
        assert "[c]" not in text


# --- report craft, on the demo's full report ----------------------------------------------

def _pdf_pages(path) -> list[str]:
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")


def test_the_contents_page_gives_page_numbers(demo_out):
    pages = _pdf_pages(demo_out / "report.pdf")
    contents = next(p for p in pages if "Contents" in p)
    numbered = re.findall(r"^\s*(\S.*?)\s*\.{5,}\s*(\d+)\s*$", contents, re.M)
    titles = [t for t, _ in numbered]
    assert "Executive summary" in titles and "Key findings" in titles
    assert "Appendix: definitions" in titles and "Appendix: full tables" in titles
    numbers = [int(n) for _, n in numbered]
    assert numbers == sorted(numbers) and numbers[-1] > 20
    # the page a contents line gives is the page its heading is on
    first = dict(numbered)["Key findings"]
    assert "Key findings" in pages[int(first) - 1]


def test_no_heading_is_left_alone_at_the_foot_of_a_page(demo_out):
    import html as html_lib

    source = (demo_out / "report.html").read_text(encoding="utf-8")
    headings = {html_lib.unescape(re.sub(r"<[^>]+>", "", h)).strip()
                for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", source, re.S)}
    orphans = []
    for number, page in enumerate(_pdf_pages(demo_out / "report.pdf"), start=1):
        if "Contents" in page:
            continue
        lines = [x.strip() for x in page.splitlines()
                 if x.strip() and not re.fullmatch(r"Page \d+ of \d+", x.strip())]
        if lines and lines[-1] in headings:
            orphans.append((number, lines[-1]))
    assert not orphans


def test_full_lsoa_and_cell_tables_are_in_the_appendix_not_the_main_text(demo_out):
    source = (demo_out / "report.html").read_text(encoding="utf-8")
    main, appendix = source.split('id="appendix-tables"', 1)
    assert 'id="appendix-table-crime-by-lsoa"' in appendix
    assert 'id="appendix-table-hotspots"' in appendix
    # the main text keeps only the ten highest-rate LSOAs, not all 148
    assert len(re.findall(r'<th scope="row">E0\d{7}</th>', main)) <= 10
    assert len(re.findall(r'<th scope="row">E0\d{7}</th>', appendix)) >= 148
    assert 'href="#appendix-table-crime-by-lsoa"' in main and "tables/crime_by_lsoa.csv" in main
    assert 'href="#appendix-table-hotspots"' in main and "tables/hotspots.csv" in main


def test_the_offence_group_chart_is_ordered_by_size_with_whole_labels(demo_out):
    data = json.loads((demo_out / "assessment.json").read_text(encoding="utf-8"))
    chart = next(c for s in data["sections"] for c in s["charts"]
                 if c["key"] == "crime_by_group_chart")
    values = chart["series"][0]["values"]
    assert values == sorted(values, reverse=True)
    source = (demo_out / "report.html").read_text(encoding="utf-8")
    assert "soci…" not in source and "against society</tspan>" in source


def test_figures_link_to_their_definitions_in_the_appendix(demo_out):
    source = (demo_out / "report.html").read_text(encoding="utf-8")
    main = source.split('id="appendix"', 1)[0]
    links = set(re.findall(r'href="#(def-[^"]+)"', main))
    assert len(links) >= 40
    appendix = source.split('id="appendix"', 1)[1]
    assert all(f'id="{anchor}"' in appendix for anchor in links)


def test_the_place_section_maps_rates_and_hotspots_on_wards_and_the_authority(demo_out):
    source = (demo_out / "report.html").read_text(encoding="utf-8")
    place = source.split('id="section-place"', 1)[1].split('class="report-section', 1)[0]
    choropleth = place.split('id="section-place-chart-lsoa-choropleth"', 1)[1].split("</svg>")[0]
    hotspots = place.split('id="section-place-chart-hotspot-map"', 1)[1].split("</svg>")[0]
    for svg in (choropleth, hotspots):
        assert len(set(re.findall(r'class="ward-line" data-ward="([^"]+)"', svg))) == 16
        assert 'data-authority="Southampton"' in svg
        assert "Bargate</text>" in svg and "Eastleigh</text>" in svg
    # the funnel labels outliers by name, not by code
    funnel = place.split('id="section-place-chart-lsoa-funnel"', 1)[1].split("</svg>")[0]
    assert re.search(r'font-size="11.5"[^>]*>Southampton 0\d\d[A-Z]</text>', funnel)
    assert not re.search(r">E0\d{7}</text>", funnel)
