"""The summary: about 6-10 pages for a partnership board. Executive summary, key findings,
recommended priorities, since the last assessment, the key charts with their one message each,
and the headline figures; the full report and its CSVs hold the rest.

Written twice from one :class:`.content.Content`: ``summary.docx`` (python-docx) and
``summary.pdf`` (WeasyPrint from ``templates/summary.html``, the charts as inline SVG)."""

from __future__ import annotations

from pathlib import Path

from ...assessment.model import StrategicAssessment
from . import _docx
from .charts import KeyChart
from .content import Content, gather

#: Section headings, shared by the DOCX, the PDF and the tests: the Strategic Assessment's,
#: and the needs assessment's (its findings section by section instead of priorities, which
#: the strategic assessment sets).
HEADINGS = ("Executive summary", "Key findings", "Recommended priorities",
            "Since the last assessment", "Key charts", "Headline figures", "About this summary")
SV_HEADINGS = ("Executive summary", "Key findings", "What the needs assessment found",
               "Since the last assessment", "Key charts", "Headline figures",
               "About this summary")
RANKING = ("Ranked by a rule that combines harm, volume, a statistically significant trend, "
           "concentration and vulnerability (see the full report's appendix).")


def headings(c: Content) -> tuple[str, ...]:
    return SV_HEADINGS if c.profile.by_section else HEADINGS


def _intro(c: Content) -> str:
    return (f"This summary of the {c.area} {c.profile.name} covers {c.period}, compared with "
            f"{c.comparison}. The full report (report.pdf and report.html) and its tables "
            "(tables/*.csv) hold every figure, table and definition.")


def _withheld_note(c: Content) -> str:
    return (f"Counts below {c.threshold} in victim, offender, youth and sensitive-offence "
            "breakdowns are withheld, with any figure that would reveal them; they are left "
            "out of this summary.")


def write_docx(assessment: StrategicAssessment, charts: tuple[KeyChart, ...],
               path: Path) -> Path:
    c = gather(assessment)
    doc = _docx.new_document(f"{c.title}: summary", c.period, c.area,
                             f"{c.title}: summary")
    doc.add_heading(f"{c.title}: summary", level=0)
    _docx.paragraph(doc, _intro(c))

    def summary_():
        for sentence in c.summary:
            _docx.paragraph(doc, sentence)

    def findings_():
        _docx.paragraph(doc, RANKING)
        for subject, text in c.findings:
            p = doc.add_paragraph(style="List Number")
            p.add_run(f"{_docx.xml_text(subject)}. ").bold = True
            p.add_run(_docx.xml_text(text))

    def priorities_():
        if c.priorities:
            _docx.table(doc, ["Rank", "Issue", "Score (1-5)", "Recommended"],
                        [list(r) for r in c.priorities], numeric={0, 2})
            for reason in c.priority_decisions:
                _docx.paragraph(doc, reason, style="List Bullet")
        else:
            _docx.paragraph(doc, "No priority-setting input was given to this run (safecity "
                                 "assess --priorities), so no priorities are recommended here.")

    def sections_():
        for section in c.sections:
            _docx.heading(doc, section.title, 2)
            if section.reason:
                _docx.paragraph(doc, f"Not available from this data. {section.reason}")
            for sentence in section.sentences:
                _docx.paragraph(doc, sentence)

    def since_():
        if c.since_last_periods:
            prev, now = c.since_last_periods
            _docx.table(doc, ["Figure", prev, now], [list(r) for r in c.since_last],
                        numeric={1, 2})
            for sentence in c.since_last_sentences:
                _docx.paragraph(doc, sentence, style="List Bullet")
        else:
            _docx.paragraph(doc, "No previous assessment was given to this run (safecity "
                                 "assess --previous), so nothing is compared with it.")

    def charts_():
        for chart in charts:
            _docx.heading(doc, chart.title, 2)
            # the finding stays on the page of its chart
            _docx.paragraph(doc, chart.finding).paragraph_format.keep_with_next = True
            width = 16.0 if chart.aspect < 1.0 else max(16.0 / chart.aspect, 9.0)
            _docx.picture(doc, chart.png, chart.alt, width_cm=width)

    def headlines_():
        _docx.table(doc, ["Figure", "Value"], [list(r) for r in c.headlines], numeric={1})

    def about_():
        for sentence in c.coverage:
            _docx.paragraph(doc, sentence)
        if c.threshold is not None:
            _docx.paragraph(doc, _withheld_note(c))
        for title, reason in c.not_available:
            _docx.paragraph(doc, f"Not available from this data: {title}. {reason}",
                            style="List Bullet")

    blocks = dict(zip(HEADINGS, (summary_, findings_, priorities_, since_, charts_,
                                 headlines_, about_)))
    blocks[SV_HEADINGS[2]] = sections_
    for name in headings(c):
        _docx.heading(doc, name, 1)
        blocks[name]()
    _docx.save(doc, path)
    return path


def render_html(assessment: StrategicAssessment, charts: tuple[KeyChart, ...]) -> str:
    from markupsafe import Markup

    from ..html import _environment

    c = gather(assessment)
    return _environment().get_template("summary.html").render(
        c=c, intro=_intro(c), headings=headings(c), ranking=RANKING,
        withheld=_withheld_note(c) if c.threshold is not None else "",
        charts=[(k, Markup(k.svg)) for k in charts])


def write_pdf(assessment: StrategicAssessment, charts: tuple[KeyChart, ...],
              path: Path) -> Path:
    from ..pdf import render_pdf

    return render_pdf(render_html(assessment, charts), path)
