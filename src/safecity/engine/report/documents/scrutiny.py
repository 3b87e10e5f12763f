"""The annual scrutiny report (DOCX): a committee paper from the partnership to its overview and
scrutiny committee, which the Police and Justice Act 2006 (s.19) lets scrutinise the partnership
at least once a year. The generated parts are the strategic assessment's headlines and findings,
the recommended priorities, the changes since the last assessment, and the strategy's progress
(from the web app's scorecard export, when given). The parts only the partnership can write are
marked, highlighted, for it to replace: who the paper is from, what was done and why, challenges,
resources, risks."""

from __future__ import annotations

from pathlib import Path

from ...assessment.model import StrategicAssessment
from ...safe_text import xml_text
from . import _docx
from .content import gather
from .progress import Progress

#: Headings of the paper, in order (the tests check them).
HEADINGS = ("Brief summary", "Recommendations", "Reasons for the recommendations",
            "Alternative options considered and rejected",
            "Detail (including consultation carried out)", "Background",
            "What the strategic assessment found", "Recommended priorities",
            "Since the last assessment", "Progress of the strategy",
            "Key challenges, opportunities and response", "Next steps",
            "Resource implications", "Legal implications", "Risk management implications",
            "Policy framework implications", "Supporting documentation")

#: The needs assessment's paper: the same shape, its findings section by section where the
#: strategic assessment has its recommended priorities (priorities are set there).
SV_HEADINGS = tuple("What the needs assessment found" if h == HEADINGS[6] else
                    "The needs assessment, section by section" if h == HEADINGS[7] else h
                    for h in HEADINGS)

MARK = "[Partnership to write]"

#: Why the paper's assessment is prepared, and the committee's power (Background and Legal
#: implications), by kind.
LAW = {
    "annual": (
        "The partnership must prepare a strategic assessment every year (Crime and Disorder "
        "(Formulation and Implementation of Strategy) Regulations 2007) and use it to set and "
        "revise its priorities; the public's views feed it.",
        "The Police and Justice Act 2006 lets overview and scrutiny committees scrutinise the "
        "community safety partnership, and the partners in it as far as their work relates to "
        "the partnership, at least once a year."),
    "serious_violence": (
        "The Serious Violence Duty (Police, Crime, Sentencing and Courts Act 2022, Part 2, in "
        "force since 31 January 2023) requires the specified authorities to work together to "
        "prevent and reduce serious violence: to agree a local definition of serious violence, "
        "prepare a strategic needs assessment and publish a strategy, reviewed every year.",
        "The Serious Violence Duty places its duties on the specified authorities (police, "
        "justice, fire and rescue, health and local authorities) working through the "
        "partnership; the committee scrutinises the partnership's work (Police and Justice Act "
        "2006), which includes its work under the Duty."),
}


def narrative_marker(document, what: str):
    """A highlighted paragraph marking where the partnership writes its own narrative."""
    from docx.enum.text import WD_COLOR_INDEX

    p = document.add_paragraph()
    run = p.add_run(f"{MARK} {xml_text(what)}")
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def headings(kind: str) -> tuple[str, ...]:
    return SV_HEADINGS if kind == "serious_violence" else HEADINGS


def write_docx(assessment: StrategicAssessment, progress: Progress | None, path: Path) -> Path:
    c = gather(assessment)
    sv = c.profile.by_section
    heads = headings(c.profile.kind)
    background, legal = LAW[c.profile.kind]
    subject = (f"{c.area}: serious violence strategic needs assessment {c.period}" if sv else
               f"{c.area} community safety partnership: annual review {c.period}")
    doc = _docx.new_document(subject, "Overview and scrutiny", c.area, subject)
    doc.add_heading(subject, level=0)
    _docx.table(doc, ["Item", "Details"], [
        ["Decision-maker", f"{MARK} the committee receiving the paper"],
        ["Subject", subject],
        ["Date of decision", f"{MARK} the meeting date"],
        ["Report of", f"{MARK} e.g. the chair of the partnership"],
        ["Contact details", f"{MARK} author and director, with telephone and email"],
        ["Statement of confidentiality", f"{MARK} usually none: every figure here is "
                                         "published with small numbers withheld"]])
    para = 0

    def numbered(text: str):
        nonlocal para
        para += 1
        return _docx.paragraph(doc, f"{para}. {text}")

    _docx.heading(doc, heads[0], 1)
    if sv:
        numbered(f"This report gives the committee the partnership's serious violence "
                 f"strategic needs assessment for {c.period}: what it found about serious "
                 "violence in the area, section by section, and how the partnership's strategy "
                 "is progressing.")
    else:
        numbered(f"This report gives the committee the partnership's annual review for "
                 f"{c.period}: what the latest community safety strategic assessment found, the "
                 "priorities it points to, and how the partnership's strategy is progressing.")
    if c.summary:
        numbered(c.summary[0])
    _docx.heading(doc, heads[1], 1)
    numbered(f"That the committee considers and notes this report, the {c.profile.noun}'s "
             "findings and the progress of the strategy.")
    _docx.heading(doc, heads[2], 1)
    narrative_marker(doc, "why the committee receives this review (for example, the chair's "
                          "request for a yearly update).")
    _docx.heading(doc, heads[3], 1)
    narrative_marker(doc, "alternatives considered, or 'None'.")
    _docx.heading(doc, heads[4], 1)
    _docx.heading(doc, heads[5], 2)
    numbered(background)
    numbered(f"The {c.profile.noun} for {c.period}, compared with {c.comparison}, was "
             "produced from the partners' own records. Counts small enough to identify people "
             "are withheld throughout.")
    narrative_marker(doc, "the strategy in force, when it was agreed and when it is due for "
                          "review.")
    _docx.heading(doc, heads[6], 2)
    for sentence in c.summary[1:]:
        numbered(sentence)
    for subject_, text in c.findings[5:]:
        numbered(text)
    _docx.heading(doc, heads[7], 2)
    if sv:
        for section in c.sections:
            _docx.heading(doc, section.title, 3)
            if section.reason:
                numbered(f"Not available from this data. {section.reason}")
            for sentence in section.sentences:
                numbered(sentence)
    elif c.priorities:
        recommended = [r[1] for r in c.priorities if r[3] == "Yes"]
        numbered("Scored on harm, volume, trend, vulnerability, public concern and the "
                 "partnership's capacity, the assessment recommends: "
                 + "; ".join(recommended) + ".")
        for reason in c.priority_decisions:
            numbered(reason)
    else:
        numbered("No priority-setting input was given to this run, so the assessment "
                 "recommends no priorities here.")
    _docx.heading(doc, heads[8], 2)
    if c.since_last_periods:
        prev, now = c.since_last_periods
        for label, a, b in c.since_last:
            numbered(f"{label}: {b} in {now}, against {a} in {prev}.")
        for sentence in c.since_last_sentences:
            numbered(sentence)
    else:
        numbered("No previous assessment was given to this run, so nothing is compared with "
                 "it.")
    _docx.heading(doc, heads[9], 2)
    if progress is not None and progress.actions:
        as_at = progress.as_at()
        numbered(f"The strategy's actions and their latest status"
                 f"{' (' + as_at + ')' if as_at else ''}, from the partnership's scorecard; "
                 "Appendix 1 lists every action.")
        for priority in progress.priorities():
            counts = progress.rag_counts(priority)
            total = sum(counts.values())
            parts = ", ".join(f"{n} {k.lower()}" for k, n in sorted(counts.items()))
            numbered(f"{priority}: {total} action{'s' if total != 1 else ''} ({parts}).")
            narrative_marker(doc, f"what was delivered under '{priority}' this year.")
    else:
        narrative_marker(doc, "the strategy's progress: no scorecard export was given to this "
                              "run (safecity assess --progress scorecard.xlsx).")
    _docx.heading(doc, heads[10], 2)
    narrative_marker(doc, "the challenges of the year, the opportunities and how the "
                          "partnership is responding; community engagement and consultation.")
    _docx.heading(doc, heads[11], 2)
    narrative_marker(doc, "how the strategy will be reviewed in the light of this assessment.")
    _docx.heading(doc, heads[12], 1)
    narrative_marker(doc, "capital, revenue, property and other resource implications, or "
                          "'None'.")
    _docx.heading(doc, heads[13], 1)
    numbered(legal)
    narrative_marker(doc, "any other legal implications, or 'None'.")
    _docx.heading(doc, heads[14], 1)
    narrative_marker(doc, "risks, and where the strategy addresses them.")
    _docx.heading(doc, heads[15], 1)
    narrative_marker(doc, "policy framework implications.")
    _docx.heading(doc, heads[16], 1)
    _docx.table(doc, ["Document", "File"], [
        ["Appendix 1: progress of the strategy" if progress else
         "Appendix 1: progress of the strategy (not given)", "this paper"],
        [f"The {c.profile.noun} (full report)", "report.pdf, report.html"],
        [f"The {c.profile.noun} (summary)", "summary.docx, summary.pdf"],
        [f"The {c.profile.noun} (slides)", "slides.pptx"],
        [f"The {c.profile.noun}'s tables", "tables/*.csv"]])
    narrative_marker(doc, "key decision, wards affected, equality and privacy impact "
                          "assessments.")
    if progress is not None and progress.actions:
        doc.add_page_break()
        _docx.heading(doc, "Appendix 1: progress of the strategy", 1)
        _docx.table(doc, ["Priority", "Action", "Lead", "RAG status"],
                    [[a.priority, f"{a.number} {a.action}".strip(), a.lead, a.rag or "No update"]
                     for a in progress.actions])
    _docx.save(doc, path)
    return path
