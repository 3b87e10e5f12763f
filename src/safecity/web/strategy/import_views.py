"""Importing an existing action plan: upload, preview, confirm. Coordinators only.

The upload is parsed at once (``importing.parse_plan``) and the parsed plan, not the file, waits
in the session for the preview; nothing is written until the coordinator confirms. The records
are then created in one transaction, each logged by the audit signals, plus one audit entry
naming the file they came from.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from ...engine.errors import SourceError
from ..partnerships.models import Agency, AuditEntry
from .. import access
from .import_forms import PlanConfirmForm, PlanUploadForm
from .importing import ALL, ParsedAction, ParsedPlan, ParsedPriority, PlanImportError, parse_plan
from .models import Action, Priority, ReportingCycle, Strategy, Update, UpdateVersion

SESSION_KEY = "safecity_plan_import"


def _require_coordinator(request) -> None:
    member = access.membership(request.user)
    if member is None:
        raise Http404("No such page.")
    if not member.manages_strategy:
        raise PermissionDenied("Only the partnership coordinator can import a strategy.")


def _known_agencies() -> list[str]:
    return [name for pair in Agency.objects.values_list("name", "short_name") for name in pair
            if name]


def _plan_from_session(data: dict) -> ParsedPlan:
    return ParsedPlan(data["title"], tuple(
        ParsedPriority(p["title"], tuple(
            ParsedAction(a["text"], tuple(a["lead_agencies"]), a["update"], a["source"])
            for a in p["actions"]))
        for p in data["priorities"]), tuple(data["notes"]))


def import_upload(request):
    _require_coordinator(request)
    problems: list[str] = []
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["plan"]
        try:
            plan = parse_plan(upload, upload.name, known_agencies=_known_agencies())
        except PlanImportError as exc:
            problems = [str(p) for p in exc.problems]
        except SourceError as exc:
            problems = [exc.problem + (f" {exc.fix}" if exc.fix else "")]
        else:
            request.session[SESSION_KEY] = {"filename": upload.name, "plan": asdict(plan)}
            return redirect("strategy:import_preview")
    return render(request, "strategy/import_upload.html", {"form": form, "problems": problems})


def import_preview(request):
    _require_coordinator(request)
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.info(request, "Upload the action plan to import first.")
        return redirect("strategy:import")
    plan = _plan_from_session(stored["plan"])
    has_updates = any(a.update for a in plan.actions)
    initial = {"title": plan.title or Path(stored["filename"]).stem, "import_updates": has_updates}
    form = PlanConfirmForm(request.POST or None, initial=initial, has_updates=has_updates)
    if request.method == "POST" and form.is_valid():
        strategy = save_plan(plan, form.cleaned_data, request.user, stored["filename"], request)
        del request.session[SESSION_KEY]
        messages.success(request, f"{strategy.title} was imported: {len(plan.priorities)} "
                         f"priorities and {len(plan.actions)} actions.")
        return redirect(strategy)
    existing = {a.casefold() for a in _known_agencies()}
    agencies = [(name, name.casefold() in existing) for name in plan.agencies]
    return render(request, "strategy/import_preview.html", {
        "plan": plan, "filename": stored["filename"], "form": form, "agencies": agencies,
        "new_agencies": sum(1 for _, known in agencies if not known)})


def _agency_lookup() -> dict[str, Agency]:
    lookup: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        lookup[agency.name.casefold()] = agency
        if agency.short_name:
            lookup.setdefault(agency.short_name.casefold(), agency)
    return lookup


@transaction.atomic
def save_plan(plan: ParsedPlan, details: dict, user, filename: str, request=None) -> Strategy:
    """Create the strategy, its priorities and actions, any agencies not yet known and, when
    asked, a closed cycle holding the table's updates as approved."""
    agencies = _agency_lookup()
    for name in plan.agencies:
        if name.casefold() not in agencies:
            agencies[name.casefold()] = Agency.objects.create(name=name)
    strategy = Strategy.objects.create(title=details["title"], start=details["start"],
                                       end=details["end"])
    # One partnership per installation: every agency it knows is a partner of the new strategy.
    strategy.partners.set(set(agencies.values()))
    cycle = None
    if details.get("import_updates"):
        cycle = ReportingCycle.objects.create(
            strategy=strategy, name=details["cycle_name"], meeting_date=details["meeting_date"],
            deadline=details["meeting_date"], status=ReportingCycle.Status.CLOSED, opened_by=user)
    now = timezone.now()
    for p_number, parsed_priority in enumerate(plan.priorities, start=1):
        priority = Priority.objects.create(strategy=strategy, number=p_number,
                                           title=parsed_priority.title)
        for a_number, parsed in enumerate(parsed_priority.actions, start=1):
            action = Action.objects.create(priority=priority, number=a_number, text=parsed.text,
                                           all_agencies_lead=ALL in parsed.lead_agencies)
            action.lead_agencies.set([agencies[n.casefold()] for n in parsed.lead_agencies
                                      if n != ALL])
            if cycle is not None and parsed.update:
                update = Update.objects.create(
                    cycle=cycle, action=action, status=Update.Status.APPROVED, text=parsed.update,
                    version=1, updated_by=user, submitted_at=now, reviewed_by=user,
                    reviewed_at=now)
                UpdateVersion.objects.create(
                    update=update, number=1, event="imported", status=update.status,
                    text=update.text, author=user, changes={"text": ["", update.text]})
    AuditEntry.objects.create(
        user=user, username=user.get_username(), verb=AuditEntry.Verb.CREATE,
        model=Strategy._meta.label, object_id=str(strategy.pk),
        object_repr=f"Imported {filename}: {len(plan.priorities)} priorities, "
                    f"{len(plan.actions)} actions"[:300],
        path=request.get_full_path()[:300] if request is not None else "")
    return strategy
