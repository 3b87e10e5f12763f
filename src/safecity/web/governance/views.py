"""Pages of data governance: the register, an entry's history, the returns tracker, the audit
export. Who may do what is ``access.governance_reader`` / ``access.require_governance_admin``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ...engine.governance import register
from .. import access
from ..partnerships.audit import record_view
from . import services
from .forms import DateRangeForm, EntryForm


def _entry(entry_id: str) -> register.SourceEntry:
    entry = services.get_entry(entry_id)
    if entry is None:
        raise Http404(access.NOT_FOUND)
    return entry


def register_list(request):
    _, can_edit = access.governance_reader(request)
    loaded = services.load()
    today = dt.date.today()
    return render(request, "governance/register.html", {
        "entries": loaded.entries, "problem": loaded.problem, "can_edit": can_edit,
        "overdue": {e.id for e in loaded.entries if e.overdue_review(today)},
        "warnings": services.review_warnings(today)})


def entry_detail(request, entry_id: str):
    _, can_edit = access.governance_reader(request)
    entry = _entry(entry_id)
    return render(request, "governance/entry.html", {
        "entry": entry, "can_edit": can_edit, "overdue": entry.overdue_review(dt.date.today()),
        "versions": [entry, *reversed(register.history(services.warehouse_root(), entry))]})


def _edit(request, editing: register.SourceEntry | None):
    form = EntryForm(request.POST or None, editing=editing)
    form.existing_ids = {e.id for e in services.load().entries}
    if request.method == "POST" and form.is_valid():
        saved = services.save_entry(form.entry, request.user)
        messages.success(request, f"Saved version {saved.version} of the entry for "
                                  f"{saved.source} data from {saved.supplier}.")
        return redirect("governance:entry", entry_id=saved.id)
    return render(request, "governance/entry_form.html", {"form": form, "entry": editing})


def entry_new(request):
    access.require_governance_admin(request)
    return _edit(request, None)


def entry_edit(request, entry_id: str):
    access.require_governance_admin(request)
    return _edit(request, _entry(entry_id))


def returns(request, error: str = "", status: int = 200):
    _, can_remind = access.governance_reader(request)
    return render(request, "governance/returns.html", {
        "suppliers": services.tracker(), "can_remind": can_remind, "error": error,
        "problem": services.load().problem}, status=status)


@require_POST
def remind(request, entry_id: str):
    access.require_governance_admin(request)
    supplier = next((s for s in services.tracker() if s.entry.id == entry_id), None)
    if supplier is None:
        raise Http404(access.NOT_FOUND)
    if not supplier.late:
        return returns(request, f"{supplier.entry.supplier} has no late return to remind them "
                                f"of.", status=400)
    try:
        services.send_reminder(supplier, by=request.user)
    except services.NoContact as exc:
        return returns(request, f"{exc} Add one to the register entry, then send the "
                                f"reminder.", status=400)
    messages.success(request, f"Reminded {supplier.entry.contact.email} of "
                              f"{len(supplier.late)} late return"
                              f"{'' if len(supplier.late) == 1 else 's'}.")
    return redirect("governance:returns")


def audit(request):
    access.require_governance_admin(request)
    form = DateRangeForm(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    runs = services.runs(start, end)
    return render(request, "governance/audit.html", {
        "form": form, "query": request.GET.urlencode() if form.is_valid() else "",
        "audit_count": services.audit_entries(start, end).count(),
        "runs": list(reversed(runs))[:50], "run_count": len(runs)})


def _export(request, kind: str):
    access.require_governance_admin(request)
    form = DateRangeForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # The audit page shows the error summary for the same dates.
        return redirect(f"{reverse('governance:audit')}?{request.GET.urlencode()}")
    start = form.cleaned_data.get("start") if form.is_bound else None
    end = form.cleaned_data.get("end") if form.is_bound else None
    text = (services.audit_csv if kind == "audit" else services.runs_csv)(start, end)
    record_view(request, None, model="partnerships.AuditEntry" if kind == "audit" else "runlog",
                text=f"Exported the {'audit' if kind == 'audit' else 'run'} log "
                     f"({start or 'start'} to {end or 'today'})")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"safecity-{kind}-log-{dt.date.today():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def audit_csv(request):
    return _export(request, "audit")


def runs_csv(request):
    return _export(request, "runs")
