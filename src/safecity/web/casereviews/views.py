"""ASB Case Review pages: the public application, and the coordinator's list, case page (the
threshold, agencies' information, the review meeting, recommendations, closing), decision
letters, the published yearly figures and the procedure. Every staff page starts from a helper
in ``web/access.py``; case pages are audited as views of restricted records."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from .. import access
from ..hate_reports.limits import allow
from ..partnerships.audit import record_view
from ..partnerships.models import Agency
from ..strategy.models import Strategy
from . import services
from .forms import (AddComplaintForm, ApplicationForm, ComplaintFormSet, DecisionForm,
                    InformationForm, MeetingForm, ProcedureForm, RecommendationForm)
from .models import Application, Complaint, Procedure, Recommendation

APPLICATIONS_PER_HOUR = 5
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _open_partnerships():
    return list(Strategy.objects.filter(pk__in=Procedure.objects.values("partnership"))
                .order_by("title"))


@login_not_required
def apply(request):
    partnerships = _open_partnerships()
    if not partnerships:
        return render(request, "casereviews/apply_closed.html")
    form = ApplicationForm(request.POST or None, partnerships=partnerships)
    complaints = ComplaintFormSet(request.POST or None, prefix="complaint")
    if request.method == "POST":
        if not allow(request, "case-review", limit=APPLICATIONS_PER_HOUR, window=3600):
            return render(request, "hate_reports/public_limited.html", status=429)
        if form.is_valid() and complaints.is_valid():
            if form.cleaned_data["website"]:  # the honeypot: nothing stored
                request.session["case_review_sent"] = "received"
                return redirect("casereview_public:sent")
            data = form.cleaned_data
            with transaction.atomic():
                app = Application.objects.create(
                    partnership_id=data["partnership"] or partnerships[0].pk,
                    received_on=dt.date.today(), applicant=data["applicant"],
                    applicant_name=data["applicant_name"], contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"], problem=data["problem"],
                    place=data["place"], description=data["description"])
                for c in complaints.cleaned_data:
                    if c.get("incident_on"):
                        Complaint.objects.create(
                            application=app, incident_on=c["incident_on"],
                            reported_on=c["reported_on"], reported_to=c["reported_to"],
                            problem=app.problem,
                            complainant=c.get("complainant") or "The applicant")
            request.session["case_review_sent"] = app.reference
            return redirect("casereview_public:sent")
    return render(request, "casereviews/apply.html", {
        "form": form, "complaints": complaints,
        "procedure": services.procedure_for(partnerships[0])})


@login_not_required
def sent(request):
    reference = request.session.pop("case_review_sent", None)
    if reference is None:
        return redirect("casereview_public:apply")
    return render(request, "casereviews/apply_sent.html", {"reference": reference})


def application_list(request):
    access.require_case_review_role(request)
    apps = access.visible_case_reviews(request.user)
    record_view(request, None, model="casereviews.Application", text="case review list")
    return render(request, "casereviews/list.html", {
        "applications": apps[:500], "partnerships": access.visible_strategies(request.user)})


def _partner_agencies(app: Application):
    return Agency.objects.filter(strategies=app.partnership).order_by("name")


def application_detail(request, pk: int):
    app = access.get_case_review(request, pk)
    agencies = _partner_agencies(app)
    step = request.POST.get("step") if request.method == "POST" else None
    forms = {"decision": DecisionForm(), "complaint": AddComplaintForm(prefix="add"),
             "information": InformationForm(agencies=agencies, prefix="info"),
             "meeting": MeetingForm(prefix="meeting"),
             "recommendation": RecommendationForm(agencies=agencies, prefix="rec")}
    if step in forms:
        form = forms[step] = type(forms[step])(request.POST, **(
            {"agencies": agencies} if step in ("information", "recommendation") else {}),
            **({"prefix": forms[step].prefix} if forms[step].prefix else {}))
        if form.is_valid() and _apply(request, app, step, form.cleaned_data):
            return redirect(app)
    elif step == "close":
        app.status = Application.Status.CLOSED
        app.closed_on = dt.date.today()
        app.save()
        messages.success(request, f"Closed {app.reference}.")
        return redirect(app)
    record_view(request, app)
    return render(request, "casereviews/application.html", {
        "app": app, "result": services.assess(app), "forms": forms,
        "procedure": services.procedure_for(app.partnership),
        "complaints": app.complaints.all(), "information": app.information.select_related(
            "agency"), "recommendations": app.recommendations.select_related("owner")})


def _apply(request, app: Application, step: str, data: dict) -> bool:
    if step == "decision":
        result = services.assess(app)
        app.threshold_met = result.met
        app.local_factors_review = not result.met and data["local_factors_review"]
        app.decided_on = dt.date.today()
        app.status = (Application.Status.REVIEWING if app.reviewed
                      else Application.Status.NOT_MET)
        if app.status == Application.Status.NOT_MET:
            app.closed_on = dt.date.today()
        app.managed_by = request.user
        app.save()
        messages.success(request, f"{app.reference}: {app.get_status_display()}.")
    elif step == "complaint":
        Complaint.objects.create(application=app, incident_on=data["incident_on"],
                                 reported_on=data["reported_on"],
                                 reported_to=data["reported_to"], problem=data["problem"],
                                 complainant=data.get("complainant") or "The applicant")
        messages.success(request, "Complaint added.")
    elif step == "information":
        app.information.create(agency=data["agency"], summary=data["summary"])
        messages.success(request, f"Information from {data['agency'].label} added.")
    elif step == "meeting":
        app.meeting_on, app.outcome = data["meeting_on"], data["outcome"]
        app.save()
        messages.success(request, "Review meeting recorded.")
    elif step == "recommendation":
        Recommendation.objects.create(application=app, text=data["text"], owner=data["owner"],
                                      due_on=data["due_on"])
        messages.success(request, "Recommendation added.")
    return True


def letter_docx(request, pk: int):
    app = access.get_case_review(request, pk)
    response = HttpResponse(services.letter_docx(app), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{app.reference}-decision.docx"'
    return response


def letter_pdf(request, pk: int):
    app = access.get_case_review(request, pk)
    response = HttpResponse(services.letter_pdf(app), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{app.reference}-decision.pdf"'
    return response


def figures(request, pk: int):
    partnership, _ = access.get_case_review_partnership(request, pk)
    today = dt.date.today()
    latest = today.year if today.month >= 4 else today.year - 1
    try:
        year = int(request.GET.get("year", latest))
    except ValueError:
        year = latest
    year = min(max(year, 2014), latest)
    rows = [services.year_figures(partnership, y) for y in range(latest, max(2014, latest - 4),
                                                                   -1)]
    return render(request, "casereviews/figures.html", {
        "partnership": partnership, "rows": rows, "year": year})


def procedure(request, pk: int):
    partnership, can_write = access.get_case_review_partnership(request, pk)
    access.require(can_write)
    form = ProcedureForm(request.POST or None, instance=services.procedure_for(partnership))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Procedure saved.")
        return redirect("casereviews:list")
    return render(request, "casereviews/procedure.html", {"form": form,
                                                          "partnership": partnership})
