"""The progress-update paper for a reporting cycle, as HTML, PDF and Word.

The layout is the one partnership boards already read: a table with the columns Priority |
Action | Lead Agency | Update, one row per action, the priority named on its first action only,
and the header row repeated on every page. The renderers take plain data (``Paper``), so they are
tested without a database; ``build.py`` turns a cycle into a ``Paper``.

HTML is written with Jinja2 (autoescaped) rather than a Django template so the same standalone
page feeds WeasyPrint for the PDF with no request or settings in play.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass
from datetime import date

import jinja2

from ...engine.safe_text import xml_text

COLUMNS = ("Priority", "Action", "Lead Agency", "Update")


@dataclass(frozen=True)
class PaperAction:
    number: str  # "1.2"
    text: str
    lead: str  # the Lead Agency cell as printed: "All" or "Police / City Council"
    update: str  # paragraphs separated by "\n"; "" when no approved update
    rag: str = ""  # "Green", "Amber"… as printed; "" when not given


@dataclass(frozen=True)
class PaperPriority:
    number: int
    title: str
    actions: tuple[PaperAction, ...]


@dataclass(frozen=True)
class Paper:
    title: str  # "Safer Harbourside Strategy 2023-26: progress update"
    subtitle: str  # "For the partnership meeting on 12 March 2025"
    priorities: tuple[PaperPriority, ...]
    generated: date  # also the paper's "as at" date
    missing_text: str = "No update was approved for this meeting."
    partnership: str = ""  # the author, in the footer and the document properties
    cycle: str = ""  # the reporting cycle's name, in the footer
    rag_key: tuple[tuple[str, str], ...] = ()  # ("Red", what red means), ...

    @property
    def footer(self) -> str:
        """The footer of every page: partnership, cycle and the "as at" date."""
        parts = [self.partnership, self.cycle, f"As at {self.generated:%-d %B %Y}"]
        return " · ".join(p for p in parts if p)

    def rows(self) -> list[tuple[str, PaperAction]]:
        """(priority cell, action) per table row: the priority is named on its first action."""
        rows = []
        for priority in self.priorities:
            for index, action in enumerate(priority.actions):
                rows.append((priority.title if index == 0 else "", action))
        return rows


SUFFIX = "progress update"


def paper_title(name: str) -> str:
    """``name``: progress update, unless the name already says it (no doubled titles)."""
    name = " ".join(name.split())
    if SUFFIX in name.lower():
        return name
    return f"{name}: {SUFFIX}"


def paragraphs(text: str) -> list[str]:
    return [line for line in (p.strip() for p in text.split("\n")) if line]


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                          loader=jinja2.PackageLoader("safecity.web.reports", "paper_templates"))
_ENV.filters["paragraphs"] = paragraphs


def xml_safe(paper: Paper) -> Paper:
    """The paper with every text cleaned of the characters XML cannot hold (a control character
    pasted into an update made python-docx raise, a 500): each renderer starts from this."""
    def clean(value):
        if isinstance(value, str):
            return xml_text(value)
        if isinstance(value, tuple):
            return tuple(clean(v) for v in value)
        if dataclasses.is_dataclass(value):
            return dataclasses.replace(value, **{
                f.name: clean(getattr(value, f.name)) for f in dataclasses.fields(value)})
        return value
    return clean(paper)


def render_html(paper: Paper) -> str:
    """A standalone, printable HTML page (styles inline, no external resources)."""
    return _ENV.get_template("paper.html").render(paper=xml_safe(paper), columns=COLUMNS)


def render_pdf(paper: Paper) -> bytes:
    """PDF from the same HTML; WeasyPrint repeats the table's ``thead`` on every page."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return HTML(string=render_html(paper)).write_pdf()


def render_docx(paper: Paper) -> bytes:
    """A Word document whose one table is the paper: 4 columns, header repeated on each page."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    paper = xml_safe(paper)
    document = docx.Document()
    section = document.sections[0]
    # Landscape A4: four columns of prose need the width.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(10)
    properties = document.core_properties
    properties.title = paper.title
    properties.author = properties.last_modified_by = paper.partnership or paper.title
    properties.subject = paper.cycle
    properties.comments = paper.footer
    properties.created = properties.modified = dt.datetime.combine(paper.generated, dt.time())
    _footer(section.footer.paragraphs[0], paper.footer)

    document.add_heading(paper.title, level=1)
    document.add_paragraph(paper.subtitle)
    if paper.rag_key:
        document.add_heading("RAG key", level=2)
        for label, meaning in paper.rag_key:
            line = document.add_paragraph(style="List Bullet")
            line.add_run(f"{label}: ").bold = True
            line.add_run(meaning)

    widths = (Cm(4.5), Cm(7.0), Cm(3.7), Cm(11.5))
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    for cell, text, width in zip(header.cells, COLUMNS, widths):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        cell.width = width
    # w:tblHeader makes Word repeat this row at the top of every page the table reaches.
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(marker)

    for priority_cell, action in paper.rows():
        cells = table.add_row().cells
        for cell, width in zip(cells, widths):
            cell.width = width
        if priority_cell:
            cells[0].paragraphs[0].add_run(priority_cell).bold = True
        cells[1].text = action.text
        cells[2].text = action.lead
        _fill_update(cells[3], action, paper.missing_text)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _footer(paragraph, text: str) -> None:
    """``text``, then "Page N of M" (Word's PAGE and NUMPAGES fields): the one footer every
    safecity DOCX has."""
    from ...engine.report.documents._docx import page_footer

    page_footer(paragraph, text)


def _fill_update(cell, action: PaperAction, missing_text: str) -> None:
    texts = paragraphs(action.update)
    first = cell.paragraphs[0]
    if action.rag:
        first.add_run(f"Status: {action.rag}").bold = True
        first = cell.add_paragraph()
    if not texts:
        first.add_run(missing_text).italic = True
        return
    first.add_run(texts[0])
    for text in texts[1:]:
        cell.add_paragraph(text)
