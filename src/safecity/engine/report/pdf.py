"""Print the report's HTML to PDF with WeasyPrint (A4, page numbers, running header).

The print rules are in the report's own stylesheet (``@page`` and ``@media print``), so the PDF
and the HTML cannot drift apart.
"""

from __future__ import annotations

import logging
from pathlib import Path

from weasyprint import HTML


def render_pdf(html: str, path: str | Path) -> Path:
    """Write ``html`` (a self-contained document) to ``path`` as a PDF; returns the path."""
    path = Path(path)
    # The report references nothing external; WeasyPrint's per-element CSS warnings are noise.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=str(path.parent))
    document.write_pdf(path, pdf_tags=True)
    return path
