"""Write an assessment to its folder: assessment.json, headlines.csv, tables/<key>.csv and the
HTML/PDF report (``safecity.engine.report.start_report``). The PDF is printed while the other
files are written (in the helper process when ``safecity assess`` runs one).

A withheld value (``model.Suppressed``) is written as ``[c]`` everywhere, the ONS convention; the
value behind it is never written. The JSON layout is documented in docs/assessment-schema.md.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..progress import NULL, Progress
from ..safe_text import csv_cell
from .model import StrategicAssessment, Suppressed

SCHEMA = "safecity.assessment/1"
SUPPRESSED = "[c]"


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Suppressed):
        return SUPPRESSED
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN never reaches a published file
        return None
    return value


def as_dict(assessment: StrategicAssessment) -> dict[str, Any]:
    data = to_jsonable(assessment)
    data["headlines"] = {k: v for k, v in data["headlines"]}
    data["not_available"] = [{"section": s, "reason": r} for s, r in data["not_available"]]
    return {"schema": SCHEMA, **data}


def cell(value: Any) -> str:
    if isinstance(value, Suppressed):
        return SUPPRESSED
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write(assessment: StrategicAssessment, out_dir: str | Path, *, pdf: bool = True,
          report: bool = True, progress: Progress = NULL,
          progress_export: str | Path | None = None) -> list[Path]:
    """Write every output file into ``out_dir``; returns the paths written. A Strategic
    Assessment or a serious violence needs assessment printed to PDF also gets the documents
    people use (summary, slides, scrutiny report: ``report.documents``, each saying what its
    kind found); ``progress_export`` is the web app's scorecard workbook for the scrutiny
    report's strategy progress."""
    from . import findings

    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    if assessment.kind in findings.KINDS and assessment.findings is None:
        assessment = findings.attach(assessment)
    reports: list[Path] = []
    wait_for_pdf = None
    if report:
        try:
            from ..report import start_report
        except ImportError:  # the report renderer is optional for data-only runs
            start_report = None
        if start_report is not None:
            html_path, wait_for_pdf = start_report(assessment, out, pdf=pdf)
            reports.append(html_path)
    written = []
    path = out / "assessment.json"
    path.write_text(json.dumps(as_dict(assessment), indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    written.append(path)
    path = out / "headlines.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["key", "value"])
        for key, value in assessment.headlines:
            w.writerow([key, csv_cell(cell(value))])
    written.append(path)
    if assessment.priorities is not None:
        from . import priorities

        path = out / "priorities.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(priorities.CSV_COLUMNS)
            for row in priorities.csv_rows(assessment.priorities):
                w.writerow([csv_cell(cell(v)) for v in row])
        written.append(path)
    for section in assessment.sections:
        for table in section.tables:
            path = out / "tables" / f"{table.key}.csv"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow([c.key for c in table.columns])
                for row in table.rows:
                    w.writerow([csv_cell(cell(v)) for v in row])
            written.append(path)
    # The documents come with the printed report: --no-pdf (report.html only) writes none.
    if report and pdf and assessment.kind in findings.KINDS:
        from ..report.documents import write_documents

        progress.start("Writing the summary, slides and scrutiny report")
        try:
            written += write_documents(assessment, out, pdf=pdf, progress_export=progress_export)
        finally:
            progress.finish()
    if wait_for_pdf is not None:
        progress.start("Printing the PDF report")
        try:
            pdf_path = wait_for_pdf()
        finally:
            progress.finish()
        if pdf_path is not None:
            reports.append(pdf_path)
    return written + reports
