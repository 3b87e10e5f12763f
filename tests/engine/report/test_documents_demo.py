"""Acceptance (#12): on the demo, one `safecity assess --year 2019/20 --custom-period
2020-09-30..2020-11-30` writes the full report, the summary (DOCX and PDF), the slide set and
the scrutiny report, and `--serious-violence` writes its own set; each opens with python-docx /
python-pptx and has its sections; and the documents carry only figures the assessment
publishes, never a withheld one. (The runs are conftest.py's demo_out and sv_out.)"""

from __future__ import annotations

import csv
import json
import re

import docx
import pytest
from pptx import Presentation

from safecity.engine.report.documents import FILES, scrutiny, summary


def _docx_text(path) -> str:
    """The document's text; a paragraph's own number ("12. " in the scrutiny paper) is page
    furniture, left out."""
    d = docx.Document(str(path))
    parts = [re.sub(r"^\d+\. ", "", p.text) for p in d.paragraphs]
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


def _stray_numbers(out) -> dict[str, list[str]]:
    """Numbers in each document that no published file of ``out`` holds."""
    published = _published_numbers(out)
    found = {}
    for name, text in (("summary.docx", _docx_text(out / "summary.docx")),
                       ("scrutiny.docx", _docx_text(out / "scrutiny.docx")),
                       ("slides.pptx", _pptx_text(out / "slides.pptx"))):
        stray = {n for n in NUMBER.findall(text)
                 if n.replace(",", "") not in published
                 and n.replace(",", "").rstrip("0").rstrip(".") not in published}
        # page furniture and law references (the 2006, 2007 and 2022 Acts and Regulations;
        # the Serious Violence Duty in force from 31 January 2023), not figures
        stray -= {"1", "2", "3", "4", "5", "10", "2006", "2007", "19", "25", "2022", "2023",
                  "31"}
        found[name] = sorted(stray)
        assert "[c]" not in text, f"{name} prints a withheld cell"
    return found


def test_the_documents_carry_only_published_figures(demo_out):
    data = json.loads((demo_out / "assessment.json").read_text(encoding="utf-8"))
    assert data["findings"]["findings"], "the demo has findings"
    stray = _stray_numbers(demo_out)
    assert not any(stray.values()), f"numbers the assessment does not publish: {stray}"


# --- the serious violence needs assessment's own set ---------------------------------------

#: The sections the issue names for the needs assessment, by their titles in the documents
#: (the health partner's title begins so; it lists the measures the partner gives).
SV_SECTIONS = ("Serious violence: the local definition", "Public-space violence",
               "Knife and weapon offences", "Victims and suspects under 25",
               "Places and repeat locations", "Times",
               "Health: assault admissions, A&E assault attendances", "Youth justice")


def _has_sections(titles) -> bool:
    return all(any(t.startswith(name) for t in titles) for name in SV_SECTIONS)


def _headings(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs
            if p.style.name.startswith("Heading")]


def test_the_serious_violence_run_writes_its_own_documents(sv_out):
    for name in ("report.html", "report.pdf", *FILES):
        assert (sv_out / name).stat().st_size > 1000, name
    data = json.loads((sv_out / "assessment.json").read_text(encoding="utf-8"))
    assert data["kind"] == "serious_violence"
    # its own findings, from its own sections, ranked by the one rule
    sections = {s["key"] for s in data["sections"]}
    found = data["findings"]["findings"]
    assert found and all(f["section"] in sections for f in found)
    assert data["findings"]["summary"][0].startswith("Serious violence in Southampton")


def test_the_serious_violence_documents_have_its_sections(sv_out):
    heads = _headings(sv_out / "summary.docx")
    assert set(summary.SV_HEADINGS) <= set(heads)
    assert "Recommended priorities" not in heads  # priorities are set in the main assessment
    assert _has_sections(heads)
    title = docx.Document(str(sv_out / "summary.docx")).core_properties.title
    assert "Serious Violence Duty" in title
    heads = _headings(sv_out / "scrutiny.docx")
    assert set(scrutiny.SV_HEADINGS) <= set(heads) and _has_sections(heads)
    text = _docx_text(sv_out / "scrutiny.docx")
    assert "Police, Crime, Sentencing and Courts Act 2022" in text
    prs = Presentation(str(sv_out / "slides.pptx"))
    titles = [s.shapes.title.text for s in prs.slides]
    assert "The needs assessment in brief" in titles
    assert _has_sections(titles)
    assert len(set(titles)) == len(titles)
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) >= 3 and all(sh._element.nvPicPr.cNvPr.get("descr") for sh in pictures)
    # the key charts are the needs assessment's own
    names = {sh.name for sh in pictures}
    assert {"Serious violence by ward", "Serious violence by offence subgroup"} <= names


def test_the_serious_violence_documents_carry_only_published_figures(sv_out):
    stray = _stray_numbers(sv_out)
    assert not any(stray.values()), f"numbers the needs assessment does not publish: {stray}"


def test_serious_violence_documents_never_name_a_withheld_figure(demo_home, tmp_path):
    """With a threshold that withholds the partners' and youth counts, the documents still
    carry only published numbers, and no withheld measure becomes a finding."""
    from safecity.engine.assessment import findings, output
    from safecity.engine.assessment.serious_violence import build_serious_violence
    from safecity.engine.report.documents import write_documents

    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(demo_home))
    mp.setenv("SAFECITY_SUPPRESSION_THRESHOLD", "300")
    try:
        a = findings.attach(build_serious_violence("2019/20"))
    finally:
        mp.undo()
    output.write(a, tmp_path, report=False)
    write_documents(a, tmp_path, pdf=False)
    with open(tmp_path / "headlines.csv", newline="", encoding="utf-8") as fh:
        withheld = {k for k, v in csv.reader(fh) if v == "[c]"}
    assert {"assault_admissions", "sharp_object_admissions", "fte_count"} <= withheld
    stray = _stray_numbers(tmp_path)
    assert not any(stray.values()), stray
    data = json.loads((tmp_path / "assessment.json").read_text(encoding="utf-8"))
    subjects = {f["subject"] for f in data["findings"]["findings"]}
    assert subjects and not subjects & {"Hospital admissions for assault",
                                        "Admissions for assault by a sharp object"}
    titles = {s.shapes.title.text for s in Presentation(str(tmp_path / "slides.pptx")).slides}
    assert "Hospital admissions for assault" not in titles


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
