"""The Strategic Assessment as an accessible HTML page and a PDF printed from the same HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import helper
from ..assessment.model import StrategicAssessment
from .html import render_html
from .pdf import render_pdf

__all__ = ["render_html", "render_pdf", "start_report", "write_report"]


def start_report(assessment: StrategicAssessment, out_dir: str | Path, pdf: bool = True
                 ) -> tuple[Path, Callable[[], Path | None]]:
    """Write ``report.html`` into ``out_dir`` now and start printing ``report.pdf`` (in the
    assessment's helper process when one is running, see :mod:`safecity.engine.helper`).

    Returns ``(html_path, wait)``; ``wait()`` returns the PDF's path once it is written (None
    with ``pdf=False``) and raises whatever printing it raised.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(assessment)
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    if not pdf:
        return html_path, lambda: None
    return html_path, helper.submit(render_pdf, html, out / "report.pdf")


def write_report(assessment: StrategicAssessment, out_dir: str | Path,
                 pdf: bool = True) -> tuple[Path, Path | None]:
    """Write ``report.html`` (and ``report.pdf`` unless ``pdf=False``) into ``out_dir``.

    Returns ``(html_path, pdf_path or None)``.
    """
    html_path, wait = start_report(assessment, out_dir, pdf=pdf)
    return html_path, wait()
