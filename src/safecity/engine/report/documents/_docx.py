"""Small Word helpers shared by every DOCX safecity writes (the documents here and the web app's
papers): page-numbered footers, tables with a repeating header row, pictures with alternative
text, and core properties. python-docx has no API for fields or alt text, so those are the
few XML elements Word itself writes."""

from __future__ import annotations

import datetime as dt
import io

from ...safe_text import xml_text


def page_footer(paragraph, text: str) -> None:
    """``text``, then "Page N of M" from Word's PAGE and NUMPAGES fields (fldChar begin /
    instrText / separate / end runs, as Word writes them)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def field(code: str, shown: str) -> None:
        for kind, value in (("begin", None), ("instr", code), ("separate", None),
                            ("text", shown), ("end", None)):
            run = paragraph.add_run()
            run.font.size = Pt(8)
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = f" {value} "
                run._r.append(instr)
            elif kind == "text":
                run.text = shown
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)

    paragraph.add_run(f"{xml_text(text)} · Page ").font.size = Pt(8)
    field("PAGE", "1")
    paragraph.add_run(" of ").font.size = Pt(8)
    field("NUMPAGES", "1")


def new_document(title: str, subject: str, author: str, footer: str):
    """An A4 portrait document with its core properties and a page-numbered footer."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    document.styles["Normal"].font.size = Pt(11)
    document.styles["Normal"].font.name = "Arial"
    props = document.core_properties
    props.title, props.subject = xml_text(title), xml_text(subject)
    props.author = props.last_modified_by = xml_text(author)
    props.created = props.modified = dt.datetime.now().replace(microsecond=0)
    page_footer(section.footer.paragraphs[0], footer)
    return document


#: A table of at most this many rows is kept on one page (each row kept with the next).
KEEP_TOGETHER = 20


def table(document, headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()):
    """A table with a bold header row Word repeats on every page (w:tblHeader); a short one
    is kept on one page, not left as a header row at the foot of a page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    t = document.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    for j, (cell, text) in enumerate(zip(t.rows[0].cells, headers)):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_text(text)).bold = True
        if j in numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    t.rows[0]._tr.get_or_add_trPr().append(marker)
    for row in rows:
        cells = t.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, row)):
            cell.text = xml_text(str(text))
            if j in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if len(rows) <= KEEP_TOGETHER:
        for row in t.rows[:-1]:
            for cell in row.cells:
                for para in cell.paragraphs:
                    para.paragraph_format.keep_with_next = True
    return t


def picture(document, png: bytes, alt: str, width_cm: float = 16.0):
    """A picture with alternative text (docPr descr, read by screen readers and Word's
    Accessibility Checker)."""
    from docx.shared import Cm

    shape = document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    shape._inline.docPr.set("descr", xml_text(alt))
    shape._inline.docPr.set("title", xml_text(alt.split(". ")[0]))
    return shape


def heading(document, text: str, level: int):
    """A heading kept with the paragraph after it (Word's keep-with-next is on for heading
    styles)."""
    return document.add_heading(xml_text(text), level=level)


def paragraph(document, text: str, style: str | None = None):
    return document.add_paragraph(xml_text(text), style=style)


def save(document, path) -> None:
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
