"""The hate crime coordinator's pages: the reports, their triage, the export to the warehouse,
and the reporting centres. Every page starts from a helper in ``web/access.py``; report pages are
audited as views of restricted records."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...engine.errors import SafecityError
from ..partnerships.audit import record_view
from .. import access
from .forms import CentreForm, TriageForm
from .models import Centre, Report
from .warehouse import export_to_warehouse


def report_list(request):
    access.require_hate_report_role(request)
    reports = access.visible_hate_reports(request.user).select_related("centre")
    status = request.GET.get("status", "new")
    shown = reports if status == "all" else reports.filter(status=Report.Status.NEW)
    record_view(request, None, model="hate_reports.Report", text=f"hate report list ({status})")
    return render(request, "hate_reports/list.html", {
        "reports": shown[:500], "status": status,
        "new_count": reports.filter(status=Report.Status.NEW).count(),
        "accepted_count": reports.filter(status__in=Report.ACCEPTED).count()})


def report_detail(request, pk: int):
    report = access.get_hate_report(request, pk)
    form = TriageForm(request.POST or None, report=report,
                      initial={"lsoa_code": report.lsoa_code,
                               "decision": None if report.status == Report.Status.NEW
                               else report.status})
    if request.method == "POST" and form.is_valid():
        report.status = form.cleaned_data["decision"]
        report.lsoa_code = form.cleaned_data["lsoa_code"]
        if not report.text_purged_on:  # past its retention, no new text is kept
            report.triage_note = form.cleaned_data["note"] or report.triage_note
        report.triaged_by = request.user
        report.triaged_at = timezone.now()
        report.save()
        messages.success(request, f"Report {report.reference}: {report.get_status_display()}.")
        return redirect("hate_reports:list")
    record_view(request, report)
    return render(request, "hate_reports/report.html", {"report": report, "form": form})


@require_POST
def export(request):
    access.require_hate_report_role(request)
    try:
        result = export_to_warehouse(user=request.user)
    except SafecityError as exc:
        messages.error(request, f"The reports could not be sent to the warehouse: {exc}")
        return redirect("hate_reports:list")
    if result.skipped:
        messages.success(request, "The warehouse already has every accepted report.")
    else:
        messages.success(request, f"Sent {result.reports} accepted reports to the warehouse.")
    return redirect("hate_reports:list")


def centre_list(request):
    member = access.membership(request.user)
    partnerships = access.visible_strategies(request.user)
    centres = (Centre.objects.filter(partnership__in=partnerships).select_related("partnership")
               .annotate(received=Count("reports"),
                         accepted=Count("reports", filter=Q(reports__status__in=Report.ACCEPTED))))
    return render(request, "hate_reports/centres.html", {
        "centres": centres, "partnerships": partnerships,
        "can_write": access.manages_hate_centres(member)})


def centre_new(request, partnership_pk: int):
    partnership, can_write = access.get_hate_partnership(request, partnership_pk)
    access.require(can_write)
    form = CentreForm(request.POST or None, instance=Centre(partnership=partnership))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Added {form.instance.name}.")
        return redirect("hate_reports:centres")
    return render(request, "hate_reports/centre_edit.html", {"form": form,
                                                             "partnership": partnership})


def centre_detail(request, pk: int):
    centre, can_write = access.get_hate_centre(request, pk)
    form = None
    if can_write:
        form = CentreForm(request.POST or None, instance=centre)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, f"Saved {centre.name}.")
            return redirect("hate_reports:centres")
    elif request.method == "POST":
        access.require(False)
    counts = {s: n for s, n in centre.reports.values_list("status").annotate(n=Count("pk"))}
    by_status = [(label, counts.get(value, 0)) for value, label in Report.Status.choices]
    return render(request, "hate_reports/centre.html", {
        "centre": centre, "form": form, "by_status": by_status,
        "partnership": centre.partnership})
