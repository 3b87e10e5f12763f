"""Text made safe for the files and messages safecity writes: one helper per rule, used by every
export (the scorecard workbook, the Word and PDF papers, the assessment's CSV tables, rejected
rows) and every email.

* **Formulas.** A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some
  also after a leading tab or carriage return) as a formula, so text typed into the app, such as
  ``=HYPERLINK("http://…","Click")``, would become a live link or worse in the partnership's
  copy (OWASP "CSV injection"). :func:`is_formula_like` is the one test. A CSV cell has no type,
  so :func:`csv_cell` puts an apostrophe in front (what spreadsheets themselves use to mark
  text); a workbook cell is typed, so the workbook writer stores such text as a string cell
  (``reports/scorecard_xlsx.py``). Numbers, and text that is just a number such as ``-12.5``,
  are left as they are.
* **XML.** Word, Excel and the PDF's HTML are XML or close to it, and XML 1.0 cannot hold most
  control characters (a vertical tab pasted from Word, a stray NUL), nor lone surrogates or
  U+FFFE/U+FFFF: python-docx and openpyxl refuse them with an exception, which was a 500.
  :func:`xml_text` removes them; tabs and line breaks stay.
* **Email headers.** A line break in a subject would end the header (header injection), and
  Django refuses it with ``BadHeaderError``; :func:`header_text` makes any text one line.

No library does these three small things for us: openpyxl and python-docx only refuse the bad
input, and Django's mail only raises.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Everything XML 1.0 cannot hold: C0 controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Anything that breaks a line in a header, or that a mail client may treat as one.
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula: it starts with one of
    :data:`FORMULA_STARTS` and is not simply a number (``-12.5`` is a number, not a formula)."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text.strip())


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text a spreadsheet would run as a formula gets a leading
    apostrophe, and characters XML cannot hold go (a CSV is often opened by Excel and saved as
    a workbook). Anything that is not text is returned as it is."""
    if not isinstance(value, str):
        return value
    value = xml_text(value)
    return "'" + value if is_formula_like(value) else value


def header_text(text: str) -> str:
    """``text`` as one line, for an email subject (or any header): line breaks become spaces,
    control characters go, and runs of spaces collapse."""
    return " ".join(xml_text(_LINE_BREAKS.sub(" ", text)).replace("\t", " ").split())
