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
