"""The slide set (python-pptx): one message per slide. A title slide; the assessment in brief;
one slide per key finding (its sentence is the message); one per key chart, the chart as an
image under its finding; the recommended priorities; since the last assessment; what the data
could not show. 16:9, text in placeholders a screen reader reads in order, every picture with
alternative text."""

from __future__ import annotations

import io
from pathlib import Path

from ...assessment.model import StrategicAssessment
from ...safe_text import xml_text
from .charts import KeyChart
from .content import gather

FINDING_SLIDES = 5


def _title_and_body(prs, title: str, lines: list[str]):
    from pptx.util import Pt

    slide = prs.slides.add_slide(prs.slide_layouts[1])  # Title and Content
    slide.shapes.title.text = xml_text(title)
    body = slide.placeholders[1].text_frame
    body.word_wrap = True
    for i, line in enumerate(lines):
        para = body.paragraphs[0] if i == 0 else body.add_paragraph()
        para.text = xml_text(line)
        para.font.size = Pt(20 if len(lines) <= 3 else 16)
    return slide


def write_pptx(assessment: StrategicAssessment, charts: tuple[KeyChart, ...],
               path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    c = gather(assessment)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    prs.core_properties.title = xml_text(f"{c.title}: slides")
    prs.core_properties.author = xml_text(c.area)
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = xml_text(c.title)
    slide.placeholders[1].text = xml_text(f"Compared with {c.comparison}. Figures from the "
                                          "partnership's records; small numbers withheld.")
    if c.summary:
        _title_and_body(prs, "The assessment in brief", list(c.summary[:4]))
    for subject, text in c.findings[:FINDING_SLIDES]:
        _title_and_body(prs, subject, [text])
    for chart in charts:
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # Title Only
        slide.shapes.title.text = xml_text(chart.finding)
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        top, bottom = Inches(1.6), Inches(0.3)
        max_h = prs.slide_height - top - bottom
        max_w = prs.slide_width - Inches(1.0)
        height = min(max_h, Emu(int(max_w * chart.aspect)))
        width = Emu(int(height / chart.aspect))
        left = Emu(int((prs.slide_width - width) / 2))
        pic = slide.shapes.add_picture(io.BytesIO(chart.png), left, top, width, height)
        pic._element.nvPicPr.cNvPr.set("descr", xml_text(chart.alt))
        pic.name = xml_text(chart.title)[:200]
    if c.priorities:
        recommended = [r[1] for r in c.priorities if r[3] == "Yes"]
        _title_and_body(prs, "Recommended priorities",
                        [f"{i}. {name}" for i, name in enumerate(recommended, 1)]
                        + list(c.priority_decisions[:4]))
    if c.since_last_periods:
        prev, now = c.since_last_periods
        _title_and_body(prs, "Since the last assessment",
                        [f"{label}: {b} ({now}) against {a} ({prev})"
                         for label, a, b in c.since_last[:6]] + list(c.since_last_sentences))
    if c.not_available:
        _title_and_body(prs, "What this data could not show",
                        [f"{title}: {reason}" for title, reason in c.not_available[:5]])
    prs.save(str(path))
    return path
