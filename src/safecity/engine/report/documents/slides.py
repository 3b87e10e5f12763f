"""The slide set (python-pptx): one message per slide. A title slide; the assessment in brief;
one slide per key finding (its sentence is the message); for the serious violence needs
assessment one per section (its published sentences); one per key chart, the chart as an
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
SECTION_LINES = 3  # sentences of a section on its slide (the full report has the rest)


#: python-pptx's default template is 4:3 (10 in wide); its layouts' placeholders are placed for
#: that width, so on our 16:9 slides each placeholder is widened by this much.
WIDE = 13.333 / 10.0
TITLE_PT = 32
#: Body text size by the body's length in characters: a long sentence (the local definition)
#: still fits its slide.
BODY_PT = ((300, 20), (600, 16), (900, 14), (float("inf"), 12))


def _slide(prs, layout: int):
    """A slide of ``layout`` with its placeholders spread over the 16:9 width."""
    slide = prs.slides.add_slide(prs.slide_layouts[layout])
    for shape in slide.placeholders:
        # read all four from the layout before writing any: the first write gives the shape
        # its own position, with the others zero
        left, top, width, height = shape.left, shape.top, shape.width, shape.height
        shape.left, shape.top = int(left * WIDE), top
        shape.width, shape.height = int(width * WIDE), height
    return slide


def _title(slide, text: str, size: int = TITLE_PT) -> None:
    from pptx.util import Pt

    slide.shapes.title.text = xml_text(text)
    slide.shapes.title.text_frame.word_wrap = True
    for para in slide.shapes.title.text_frame.paragraphs:
        para.font.size = Pt(size)


def _title_and_body(prs, title: str, lines: list[str]):
    from pptx.util import Pt

    slide = _slide(prs, 1)  # Title and Content
    _title(slide, title)
    body = slide.placeholders[1].text_frame
    body.word_wrap = True
    length = sum(len(line) for line in lines)
    size = next(pt for most, pt in BODY_PT if length <= most)
    for i, line in enumerate(lines):
        para = body.paragraphs[0] if i == 0 else body.add_paragraph()
        para.text = xml_text(line)
        para.font.size = Pt(size)
    return slide


def write_pptx(assessment: StrategicAssessment, charts: tuple[KeyChart, ...],
               path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Emu, Inches

    c = gather(assessment)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    prs.core_properties.title = xml_text(f"{c.title}: slides")
    prs.core_properties.author = xml_text(c.area)
    slide = _slide(prs, 0)
    _title(slide, c.title, 40)
    slide.placeholders[1].text = xml_text(f"Compared with {c.comparison}. Figures from the "
                                          "partnership's records; small numbers withheld.")
    if c.summary:
        _title_and_body(prs, f"{c.profile.short[0].upper()}{c.profile.short[1:]} in brief",
                        list(c.summary[:4]))
    titles = set()
    for subject, text in c.findings[:FINDING_SLIDES]:
        _title_and_body(prs, subject, [text])
        titles.add(subject)
    if c.profile.by_section:
        for section in c.sections:
            lines = list(section.sentences[:SECTION_LINES]) or [
                f"Not available from this data. {section.reason}"]
            title = section.title if section.title not in titles else f"{section.title}: section"
            _title_and_body(prs, title, lines)
    for chart in charts:
        slide = _slide(prs, 5)  # Title Only
        _title(slide, chart.finding, 28)
        top, bottom = Inches(1.6), Inches(0.3)
        max_h = prs.slide_height - top - bottom
        max_w = prs.slide_width - Inches(1.0)
        height = min(max_h, Emu(int(max_w * chart.aspect)))
        width = Emu(int(height / chart.aspect))
        left = Emu(int((prs.slide_width - width) / 2))
        pic = slide.shapes.add_picture(io.BytesIO(chart.png), left, top, width, height)
        pic._element.nvPicPr.cNvPr.set("descr", xml_text(chart.alt))
        pic.name = xml_text(chart.title)[:200]
    if c.profile.priorities and c.priorities:
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
