"""Partner intelligence pages: submit, your submissions and their outcomes, the analysts' list
(with counts by source, kind and area) and triage. Every read of the text is audited."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import access
from ..partnerships.audit import record_view
from ...engine.errors import SafecityError
from .forms import SubmitForm, TriageForm
from ..actiongroups.models import Problem
from .models import Intelligence
from .warehouse import export_to_warehouse


def submit(request):
    partnerships = list(access.visible_strategies(request.user))
    member = access.membership(request.user)
    if not partnerships or member is None:
        raise PermissionDenied("Only partner agencies can submit intelligence.")
    form = SubmitForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.partnership_id = form.cleaned_data.get("partnership") or partnerships[0].pk
        if not any(p.pk == item.partnership_id for p in partnerships):
            raise PermissionDenied("Not your partnership.")
        item.submitted_by, item.agency = request.user, member.agency
        item.save()
        messages.success(request, f"Intelligence {item} submitted. An analyst will look at it.")
        return redirect("intelligence:mine")
    return render(request, "intelligence/submit.html", {"form": form})


def mine(request):
    items = Intelligence.objects.filter(submitted_by=request.user)
    return render(request, "intelligence/mine.html", {
        "items": items, "can_submit": access.visible_strategies(request.user).exists()})


def item_detail(request, pk: int):
    item, analyst = access.get_intelligence(request, pk)
    form = None
    if analyst:
        form = TriageForm(request.POST or None, problems=Problem.objects.filter(
            group__partnership_id=item.partnership_id, status=Problem.Status.OPEN)
            .select_related("group").order_by("group__sector", "pk"))
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            item.grade, item.status = d["grade"], d["decision"]
            item.linked_to, item.outcome = d["linked_to"], d["outcome"]
            item.problem = d["problem"]
            item.triaged_by, item.triaged_at = request.user, timezone.now()
            item.save()
            messages.success(request, f"{item}: {item.get_status_display()}.")
            return redirect("intelligence:list")
    elif request.method == "POST":
        raise PermissionDenied("Only the partnership's analysts triage intelligence.")
    record_view(request, item)
    return render(request, "intelligence/item.html", {"item": item, "form": form})


def item_list(request):
    access.require_intelligence_analyst(request)
    items = access.visible_intelligence(request.user).select_related("agency")
    record_view(request, None, model="intelligence.Intelligence", text="intelligence list")
    since = dt.date.today() - dt.timedelta(days=365)
    recent = items.filter(submitted_at__date__gte=since)
    return render(request, "intelligence/list.html", {
        "items": items.filter(status=Intelligence.Status.NEW)[:500],
        "by_source": recent.values("agency__name").annotate(n=Count("pk")).order_by("-n"),
        "by_kind": [(Intelligence.Category(r["category"]).label, r["n"]) for r in
                    recent.values("category").annotate(n=Count("pk")).order_by("-n")],
        "by_area": recent.values("ward").annotate(n=Count("pk")).order_by("-n")})


@require_POST
def export(request):
    """Send the counts (no text) to the warehouse: the partnership's analysts."""
    access.require_intelligence_analyst(request)
    try:
        result = export_to_warehouse(user=request.user)
    except SafecityError as exc:
        messages.error(request, f"The counts could not be sent to the warehouse: {exc}")
        return redirect("intelligence:list")
    if result.skipped:
        messages.success(request, "The warehouse already has these counts.")
    else:
        messages.success(request, f"Sent the counts of {result.submissions} submissions to "
                                  "the warehouse.")
    return redirect("intelligence:list")
