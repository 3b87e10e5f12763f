"""Importing an existing action plan: upload, preview, confirm. Coordinators only.

The upload is parsed at once (``importing.parse_plan``) and the parsed plan, not the file, waits
in the session for the preview; nothing is written until the coordinator confirms. The records
are then created in one transaction, each logged by the audit signals, plus one audit entry
naming the file they came from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ...engine.errors import SourceError
from ..partnerships.models import Agency, AuditEntry
from ..partnerships.scope import partnership_agencies
from .. import access
from .import_forms import PlanConfirmForm, PlanUploadForm
from .importing import (ALL, ParsedPlan, PlanImportError, agency_key, join_actions,
                        move_paragraph, parse_plan, plan_from_dict)
from .models import Action, Priority, ReportingCycle, Strategy, Update, UpdateVersion

SESSION_KEY = "safecity_plan_import"


def _require_coordinator(request):
    member = access.membership(request.user)
    if member is None:
        raise Http404("No such page.")
    if not member.manages_strategy:
        raise PermissionDenied("Only the partnership coordinator can import a strategy.")
    return member


@dataclass(frozen=True)
class AgencyMatch:
    name: str  # as written in the file
    agency: Agency | None  # the existing agency it is read as, or None for a new one
    candidates: tuple[Agency, ...]  # what the coordinator may choose instead
    taken: str = ""  # an existing agency's name equal to this one but for case


def match_agencies(names, member) -> tuple[list[AgencyMatch], list[tuple[Agency, bool]]]:
    """Each lead agency named in the file matched to an existing agency by ``agency_key``
    (the coordinator's partnership first, then the installation, since an agency such as the
    police may serve several partnerships), and the partner choices with their defaults: the
    partnership ticked; an agency outside it that the file names offered unticked."""
    own = list(partnership_agencies(member).order_by("name"))
    own_ids = {a.pk for a in own}
    keys: dict[str, Agency] = {}
    for agency in own + [a for a in Agency.objects.order_by("name") if a.pk not in own_ids]:
        for spelling in (agency.name, agency.short_name):
            if spelling:
                keys.setdefault(agency_key(spelling), agency)
    matches, outsiders = [], []
    for name in names:
        agency = keys.get(agency_key(name))
        candidates = [a for a in own if a.pk != getattr(agency, "pk", None)]
        if agency is not None:
            candidates.insert(0, agency)
            if agency.pk not in own_ids and agency not in outsiders:
                outsiders.append(agency)
        taken = agency.name if agency and agency.name.casefold() == name.casefold() else ""
        matches.append(AgencyMatch(name, agency, tuple(candidates), taken))
    matched = {m.agency.pk for m in matches if m.agency}
    default = (lambda a: a.pk in matched) if member.is_administrator else (lambda a: True)
    choices = [(a, default(a)) for a in own if a.pk != member.agency_id]
    choices += [(a, False) for a in outsiders]
    return matches, choices


def _corrected(request, stored: dict):
    """Apply one correction from the preview (move an update paragraph to the neighbouring
    action, or join an action to the one above), then show the preview again at that action."""
    kind, _, number = request.POST.get("correction", "").partition(":")
    if request.POST.get("revision") != str(stored.get("revision", 0)):
        messages.info(request, "The preview had changed since that page was loaded, so nothing "
                      "was moved. Check it and try again.")
        return redirect("strategy:import_preview")
    plan = plan_from_dict(stored["plan"])
    try:
        index = int(number)
        if kind in {"previous", "next"}:
            plan = move_paragraph(plan, index, kind)
            target = index - 1 if kind == "previous" else index + 1
        elif kind == "join":
            plan, target = join_actions(plan, index), index - 1
        else:
            raise ValueError("Unknown correction.")
    except ValueError:
        messages.info(request, "That correction could not be made. Check the preview.")
        return redirect("strategy:import_preview")
    request.session[SESSION_KEY] = {**stored, "plan": asdict(plan),
                                    "revision": stored.get("revision", 0) + 1}
    return redirect(f"{reverse('strategy:import_preview')}#action-{target}")


def _preview_rows(plan: ParsedPlan) -> list[dict]:
    """One row per action for the preview table, numbered across the plan as the corrections
    count them."""
    rows, index = [], 0
    for priority in plan.priorities:
        for number, action in enumerate(priority.actions):
            rows.append({"index": index, "priority": priority, "first": number == 0,
                         "action": action, "last": index == len(plan.actions) - 1,
                         "paragraphs": action.update.split("\n") if action.update else []})
            index += 1
    return rows


def import_upload(request):
    member = _require_coordinator(request)
    problems: list[str] = []
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["plan"]
        known = [n for pair in partnership_agencies(member).values_list("name", "short_name")
                 for n in pair if n]
        try:
            plan = parse_plan(upload, upload.name, known_agencies=known)
        except PlanImportError as exc:
            problems = [str(p) for p in exc.problems]
        except SourceError as exc:
            problems = [exc.problem + (f" {exc.fix}" if exc.fix else "")]
        else:
            request.session[SESSION_KEY] = {"filename": upload.name, "plan": asdict(plan)}
            return redirect("strategy:import_preview")
    return render(request, "strategy/import_upload.html", {"form": form, "problems": problems})


def import_preview(request):
    member = _require_coordinator(request)
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.info(request, "Upload the action plan to import first.")
        return redirect("strategy:import")
    if request.method == "POST" and "correction" in request.POST:
        return _corrected(request, stored)
    plan = plan_from_dict(stored["plan"])
    has_updates = any(a.update for a in plan.actions)
    matches, partner_choices = match_agencies(plan.agencies, member)
    initial = {"title": plan.title or Path(stored["filename"]).stem, "import_updates": has_updates}
    form = PlanConfirmForm(request.POST or None, initial=initial, has_updates=has_updates,
                           matches=matches, partner_choices=partner_choices,
                           own_agency=member.agency)
    if request.method == "POST" and form.is_valid():
        chosen, partners = form.resolved()
        strategy = save_plan(plan, form.cleaned_data, request.user, stored["filename"], request,
                             agencies=chosen, partners=[member.agency, *partners])
        del request.session[SESSION_KEY]
        messages.success(request, f"{strategy.title} was imported: {len(plan.priorities)} "
                         f"priorities and {len(plan.actions)} actions.")
        return redirect(strategy)
    return render(request, "strategy/import_preview.html", {
        "plan": plan, "filename": stored["filename"], "form": form, "matches": matches,
        "rows": _preview_rows(plan), "revision": stored.get("revision", 0),
        "doubts": sum(1 for a in plan.actions if a.doubts),
        "new_agencies": sum(1 for m in matches if m.agency is None)})


@transaction.atomic
def save_plan(plan: ParsedPlan, details: dict, user, filename: str, request=None, *,
              agencies: dict[str, Agency | None], partners: list[Agency]) -> Strategy:
    """Create the strategy, its priorities and actions, the agencies the coordinator chose to
    add as new and, when asked, a closed cycle holding the table's updates as approved.

    ``agencies`` maps each lead agency named in the file to the agency it is (None: create
    it); ``partners`` are the agencies that may see the strategy, to which the new agencies
    are added. Nobody else is a partner."""
    by_key: dict[str, Agency] = {}
    for name, agency in agencies.items():
        if agency is None:
            agency = Agency.objects.create(name=name)
            partners = [*partners, agency]
        by_key[agency_key(name)] = agency
    strategy = Strategy.objects.create(title=details["title"], start=details["start"],
                                       end=details["end"])
    strategy.partners.set(set(partners))
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
            action.lead_agencies.set([by_key[agency_key(n)] for n in parsed.lead_agencies
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
