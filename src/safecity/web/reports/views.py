"""The progress-update paper for a cycle (HTML page, Word, PDF) and the scorecard workbook.

Papers hold only approved updates, which every partner may read, so reading the cycle is enough:
``access.get_paper`` / ``access.get_scorecard_export`` give outsiders 404.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from .. import access
from . import build
from .papers import COLUMNS, render_docx, render_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _paper_name(cycle, extension: str) -> str:
    return f"{slugify(cycle.strategy.title)}-{slugify(cycle.name)}-progress-update.{extension}"


def paper(request, pk: int):
    cycle = access.get_paper(request, pk)
    return render(request, "reports/paper.html", {
        "cycle": cycle, "paper": build.paper_for_cycle(cycle), "columns": COLUMNS})


def paper_docx(request, pk: int):
    cycle = access.get_paper(request, pk)
    return _download(render_docx(build.paper_for_cycle(cycle)), DOCX, _paper_name(cycle, "docx"))


def paper_pdf(request, pk: int):
    cycle = access.get_paper(request, pk)
    return _download(render_pdf(build.paper_for_cycle(cycle)), "application/pdf",
                     _paper_name(cycle, "pdf"))


def scorecard_xlsx(request, pk: int):
    from .scorecard_xlsx import render_scorecard_xlsx

    strategy = access.get_scorecard_export(request, pk)
    return _download(render_scorecard_xlsx(build.scorecard_for(strategy)), XLSX,
                     f"{slugify(strategy.title)}-scorecard.xlsx")
