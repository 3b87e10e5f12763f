"""Print the report's HTML to PDF with WeasyPrint (A4, page numbers, running header).

The print rules are in the report's own stylesheet (``@page`` and ``@media print``), so the PDF
and the HTML cannot drift apart.
"""

from __future__ import annotations

import logging
from pathlib import Path


def render_pdf(html: str, path: str | Path) -> Path:
    """Write ``html`` (a self-contained document) to ``path`` as a PDF; returns the path."""
    # Imported here, not at the top: WeasyPrint takes about a second to import and an
    # HTML-only run (safecity assess --no-pdf) never needs it.
    from weasyprint import HTML

    path = Path(path)
    # The report references nothing external; WeasyPrint's warnings about CSS it does not
    # support (screen-only rules such as position: sticky) are noise for the user.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        # Tagged PDF: headings, tables and figure alternatives reach screen readers.
        HTML(string=html, base_url=str(path.parent)).write_pdf(path, pdf_tags=True)
    finally:
        logger.setLevel(level)
    return path
