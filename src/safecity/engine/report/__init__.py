"""The Strategic Assessment as an accessible HTML page and a PDF printed from the same HTML."""

from __future__ import annotations

from pathlib import Path

from ..assessment.model import StrategicAssessment
from .html import render_html
from .pdf import render_pdf

__all__ = ["render_html", "render_pdf", "write_report"]


def write_report(assessment: StrategicAssessment, out_dir: str | Path,
                 pdf: bool = True) -> tuple[Path, Path | None]:
    """Write ``report.html`` (and ``report.pdf`` unless ``pdf=False``) into ``out_dir``.

    Returns ``(html_path, pdf_path or None)``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(assessment)
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = render_pdf(html, out / "report.pdf") if pdf else None
    return html_path, pdf_path
