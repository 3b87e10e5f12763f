"""Print the report's HTML to PDF with WeasyPrint (A4, page numbers, running header).

The print rules are in the report's own stylesheet (``@page`` and ``@media print``), so the PDF
and the HTML cannot drift apart.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Let WeasyPrint allocate without Python's cyclic collector re-scanning the whole process.

    Laying out the report creates millions of short-lived objects; at the default thresholds
    each of them counts toward a collection, and every full collection walks everything the
    process already holds (the assessment, DuckDB, pyarrow, SciPy's and pandas' modules). That
    cost 2-5 s of CPU a report. Objects alive now are frozen (never scanned until thawed) and
    young objects are collected in batches of 50,000 instead of 700; WeasyPrint's own cycles
    are still freed, and peak memory was unchanged on the demo report (about 520 MB).
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


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
        with _fewer_collections():
            # Tagged PDF: headings, tables and figure alternatives reach screen readers.
            HTML(string=html, base_url=str(path.parent)).write_pdf(path, pdf_tags=True)
    finally:
        logger.setLevel(level)
    return path
