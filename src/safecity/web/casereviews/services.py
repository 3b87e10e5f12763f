"""The case review's rules in one place: the threshold for an application (through
``threshold.assess``), the statutory yearly figures, the retention purge and the decision
letter (Word and PDF)."""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F

from ...engine.safe_text import xml_text
from ..strategy.models import Strategy
from . import threshold as engine
from .models import Application, KeptFigures, Procedure


def procedure_for(partnership: Strategy) -> Procedure:
    return Procedure.objects.get_or_create(partnership=partnership)[0]


def assess(application: Application) -> engine.Result:
    complaints = [engine.Complaint(c.incident_on, c.reported_on, c.problem, c.complainant,
                                   c.reported_to) for c in application.complaints.all()]
    return engine.assess(complaints, application.problem, application.received_on,
                         procedure_for(application.partnership).threshold())


def financial_year(year: int) -> tuple[dt.date, dt.date]:
    """1 April ``year`` to 31 March ``year + 1``."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


@dataclass(frozen=True)
class YearFigures:
    label: str
    applications: int  # applications received in the year
    threshold_not_met: int  # of those, how many did not meet the threshold (and had no review)
    reviews: int  # reviews carried out (review meeting held in the year)
    reviews_with_recommendations: int


def _fy(day: dt.date) -> int:
    """The financial year (named by the year it starts) holding ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def _held(partnership: Strategy, year: int) -> tuple[int, int, int, int]:
    """The yearly figures of the applications still held."""
    start, end = financial_year(year)
    apps = Application.objects.filter(partnership=partnership)
    received = apps.filter(received_on__range=(start, end))
    reviews = apps.filter(meeting_on__range=(start, end)).annotate(n=Count("recommendations"))
    return (received.count(),
            received.filter(threshold_met=False, local_factors_review=False).count(),
            reviews.count(), reviews.filter(n__gt=0).count())


def year_figures(partnership: Strategy, year: int) -> YearFigures:
    """The figures ASBCPA 2014 Sch 4 para 4 asks every area to publish at least yearly: those
    of the applications held plus those kept when older ones were purged (``KeptFigures``)."""
    held = _held(partnership, year)
    kept = KeptFigures.objects.filter(partnership=partnership, year=year).first()
    extra = ((kept.applications, kept.threshold_not_met, kept.reviews,
              kept.reviews_with_recommendations) if kept else (0, 0, 0, 0))
    total = [a + b for a, b in zip(held, extra)]
    return YearFigures(f"1 April {year} to 31 March {year + 1}", *total)


def _keep_figures(app: Application) -> None:
    """Add a purged application to the kept yearly figures (one definition with ``_held``: the
    year it was received counts the application, the year of its meeting the review)."""
    parts = [(_fy(app.received_on), "applications", True),
             (_fy(app.received_on), "threshold_not_met",
              app.threshold_met is False and not app.local_factors_review)]
    if app.meeting_on:
        parts += [(_fy(app.meeting_on), "reviews", True),
                  (_fy(app.meeting_on), "reviews_with_recommendations",
                   app.recommendations.exists())]
    for year, name, counts in parts:
        if counts:
            row, _ = KeptFigures.objects.get_or_create(partnership=app.partnership, year=year)
            KeptFigures.objects.filter(pk=row.pk).update(**{name: F(name) + 1})


def purge(today: dt.date | None = None) -> int:
    """Delete closed applications past their partnership's retention period (complaints,
    agencies' information and recommendations with them); returns how many. Each deletion is
    in the audit log, without the text."""
    today = today or dt.date.today()
    gone = 0
    with transaction.atomic():
        for app in Application.objects.filter(status=Application.Status.CLOSED,
                                              closed_on__isnull=False).select_related(
                                                  "partnership"):
            keep = procedure_for(app.partnership).retention_months
            if engine.add_months(app.closed_on, keep) < today:
                _keep_figures(app)  # the yearly figures survive the record
                app.delete()
                gone += 1
    return gone


def _letter(application: Application) -> tuple[str, list[str]]:
    """The decision letter's title and paragraphs, shared by the Word and PDF versions."""
    procedure = procedure_for(application.partnership)
    result = assess(application)
    paras = [f"Dear {application.applicant_name},",
             f"Thank you for your ASB Case Review application, reference {application.reference}, "
             f"received on {application.received_on:%d %B %Y}, about: {application.problem}."]
    if application.threshold_met:
        paras.append(f"Your application met the threshold: {len(result.qualifying)} qualifying "
                     "complaints about the same problem were made within the period our "
                     "procedure sets.")
    elif application.local_factors_review:
        paras.append("Your application did not meet the threshold, but the panel decided to "
                     "review the case because of local factors.")
    else:
        paras.append("Your application did not meet the threshold, so a case review will not "
                     "take place: " + " ".join(result.reasons))
    if application.meeting_on:
        paras.append(f"The review panel met on {application.meeting_on:%d %B %Y}.")
    if application.outcome:
        paras.append(application.outcome)
    recs = list(application.recommendations.select_related("owner"))
    if recs:
        paras.append("The panel made these recommendations:")
        paras += [f"{i}. {r.text} ({r.owner.label}, by {r.due_on:%d %B %Y})"
                  for i, r in enumerate(recs, 1)]
    elif application.reviewed:
        paras.append("The panel made no recommendations.")
    paras += ["If you are not satisfied: " + procedure.appeal_route,
              "Yours sincerely,", "ASB Case Review coordinator"]
    return f"ASB Case Review {application.reference}: decision", [xml_text(p) for p in paras]


def letter_docx(application: Application) -> bytes:
    import docx

    title, paras = _letter(application)
    document = docx.Document()
    document.core_properties.author = "ASB Case Review coordinator"
    document.core_properties.title = title
    document.add_heading(title, level=1)
    document.add_paragraph(dt.date.today().strftime("%d %B %Y"))
    for p in paras:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letter_pdf(application: Application) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    title, paras = _letter(application)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return HTML(string=f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>"
                       f"{html.escape(title)}</title></head><body style='font-family: sans-serif'>"
                       f"<h1>{html.escape(title)}</h1><p>{dt.date.today():%d %B %Y}</p>{body}"
                       "</body></html>").write_pdf()
