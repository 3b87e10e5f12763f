"""The documents people use, written beside the full report by ``safecity assess`` (issue #12):

* ``summary.docx`` and ``summary.pdf``: a short summary (executive summary, key findings,
  priorities, since the last assessment, key charts, headline figures), :mod:`.summary`;
* ``slides.pptx``: a slide set, one message per slide, key charts as images, :mod:`.slides`;
* ``scrutiny.docx``: the annual scrutiny report, shaped like a committee paper, with the
  assessment's headlines, the strategy's progress (from the web app's scorecard export, when
  given) and marked places for the partnership's own narrative, :mod:`.scrutiny`.

They are written for the Strategic Assessment and for the Serious Violence Duty needs
assessment (``safecity assess --serious-violence``) by the same writers: what differs by kind
(title, headline figures, key charts, the needs assessment's findings section by section instead
of priorities, the law in the scrutiny paper) is in :data:`.content.PROFILES`.

They are published outputs, so they say only what the assessment publishes: every number comes
from its protected tables, headlines and findings (``assessment/disclosure.py``), and charts are
drawn from the same tables as the report's.
"""

from __future__ import annotations

from pathlib import Path

from ...assessment.model import StrategicAssessment

#: The files this package writes, in the order written.
FILES = ("summary.docx", "summary.pdf", "slides.pptx", "scrutiny.docx")


def write_documents(assessment: StrategicAssessment, out_dir: str | Path, *, pdf: bool = True,
                    progress_export: str | Path | None = None) -> list[Path]:
    """Write the summary (DOCX, and PDF unless ``pdf=False``), the slide set and the scrutiny
    report into ``out_dir``; ``progress_export`` is the web app's scorecard workbook
    (scorecard.xlsx) for the strategy's progress. Returns the paths written."""
    from . import scrutiny, slides, summary
    from .charts import key_charts
    from .progress import read_progress

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    progress = read_progress(progress_export) if progress_export else None
    charts = key_charts(assessment)
    written = [summary.write_docx(assessment, charts, out / "summary.docx")]
    if pdf:
        written.append(summary.write_pdf(assessment, charts, out / "summary.pdf"))
    written.append(slides.write_pptx(assessment, charts, out / "slides.pptx"))
    written.append(scrutiny.write_docx(assessment, progress, out / "scrutiny.docx"))
    return written
