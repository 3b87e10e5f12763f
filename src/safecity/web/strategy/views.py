"""Strategy pages: the plan, actions, reporting cycles, updates, review and chasing.

Every view starts from an access helper in ``access.py``; writes answer 403 to read-only users.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..partnerships.audit import record_view
from .. import access
from ..partnerships.models import Role
from . import notify, schedule
from .chasing import is_chasing_time, outstanding, send_reminders
from .forms import (ActionForm, CycleForm, RagMeaningsForm, ReviewForm, ScheduleForm,
                    UpdateForm)
from .models import Action, Rag, ReportingCycle, Update
from .worklist import your_actions
from .updates import EditConflict, InvalidTransition, approve_update, return_update, save_update


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _sent_text(sent: notify.Sent, what: str = "email") -> str:
    text = f"{sent.emails} {what}{'s' if sent.emails != 1 else ''} sent."
    if sent.unreachable:
        text += (" Nobody to notify at " + ", ".join(a.name for a in sent.unreachable)
                 + ": invite a lead or add a shared inbox for them.")
    return text


def _told_text(told: int) -> str:
    return " Its author was told by email." if told else (
        " Its author has no email address or account, so was not told.")


def home(request):
    """A lead's home page is their own actions in each open cycle; anyone else with one
    strategy goes straight to it."""
    strategies = access.visible_strategies(request.user)
    member = access.membership(request.user)
    work = your_actions(member, strategies) if member and member.role == Role.LEAD else None
    if work is None and strategies.count() == 1:
        return redirect(strategies.first())
    return render(request, "strategy/home.html", {"strategies": strategies, "work": work})


def strategy_detail(request, pk: int):
    strategy, can_write = access.get_strategy(request, pk)
    priorities = list(strategy.priorities.prefetch_related("actions__lead_agencies",
                                                           "indicators"))
    # The latest published Strategic Assessment's figure for each indicator it publishes.
    from ..evidence import services as evidence

    run = evidence.latest_published(strategy)
    if run is not None and not access.can_read_run(access.membership(request.user), run):
        run = None
    for priority in priorities:
        priority.published_figures = evidence.figures_for(priority.indicators.all(), run)
    return render(request, "strategy/strategy.html", {
        "strategy": strategy, "priorities": priorities, "can_write": can_write,
        "cycles": strategy.cycles.all(), "assessment": run})


def action_detail(request, pk: int):
    action, can_write = access.get_action(request, pk)
    member = access.membership(request.user)
    updates = list(action.updates.select_related("cycle").order_by("-cycle__meeting_date"))
    by_cycle = {u.cycle_id: u for u in updates}
    # One rule (access.can_read_update) for what is listed and linked, as on the update page.
    visible = [u for u in updates if access.can_read_update(member, action, u)]
    open_cycles = [c for c in action.strategy.cycles.filter(status=ReportingCycle.Status.OPEN)
                   if access.can_read_update(member, action, by_cycle.get(c.pk))]
    return render(request, "strategy/action.html", {
        "action": action, "can_write": can_write, "updates": visible,
        "open_cycles": open_cycles})


def action_edit(request, pk: int):
    action, can_write = access.get_action(request, pk)
    access.require(can_write)
    form = ActionForm(request.POST or None, instance=action, strategy=action.strategy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action saved.")
        return redirect(action)
    return render(request, "strategy/action_edit.html", {"action": action, "form": form})


def _opened(request, cycle: ReportingCycle):
    sent = notify.cycle_opened(cycle, base_url=_base_url(request))
    messages.success(request, f"{cycle.name} is open for updates. {_sent_text(sent)}")
    return redirect(cycle)


def cycle_new(request, pk: int):
    strategy, can_write = access.get_strategy(request, pk)
    access.require(can_write)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = schedule.open_cycle(strategy, user=request.user, **form.cleaned_data)
        except schedule.CycleClash as exc:
            form.add_error(None, str(exc))
        else:
            return _opened(request, cycle)
    return render(request, "strategy/cycle_new.html", {"strategy": strategy, "form": form})


def meeting_schedule(request, pk: int):
    strategy, can_write = access.get_strategy(request, pk)
    access.require(can_write)
    form = ScheduleForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The meeting schedule is saved.")
        return redirect("strategy:schedule", pk=strategy.pk)
    open_cycle = strategy.cycles.filter(status=ReportingCycle.Status.OPEN).first()
    return render(request, "strategy/schedule.html", {
        "strategy": strategy, "form": form, "meetings": schedule.meetings(strategy),
        "open_cycle": open_cycle,
        "can_open": strategy.concurrent_cycles or open_cycle is None})


@require_POST
def schedule_open(request, pk: int):
    """Open the cycle of one scheduled meeting (named and dated by the schedule)."""
    strategy, can_write = access.get_strategy(request, pk)
    access.require(can_write)
    meeting = next((m for m in schedule.meetings(strategy)
                    if m.meeting_date.isoformat() == request.POST.get("meeting_date")
                    and m.cycle is None), None)
    if meeting is None:
        raise Http404("That meeting is not in the schedule, or its cycle is already open.")
    try:
        cycle = schedule.open_cycle(strategy, name=meeting.name,
                                    meeting_date=meeting.meeting_date,
                                    deadline=meeting.deadline, user=request.user)
    except schedule.CycleClash as exc:
        messages.success(request, str(exc))
        return redirect("strategy:schedule", pk=strategy.pk)
    return _opened(request, cycle)


def cycle_detail(request, pk: int):
    cycle, can_write = access.get_cycle(request, pk)
    updates = {u.action_id: u for u in cycle.updates.all()}
    member = access.membership(request.user)
    # Link and show only the updates this person may open: a member is never sent to a 403,
    # and never sees an unpublished update's status or RAG (access.can_read_update).
    rows = []
    for action in (Action.objects.filter(priority__strategy=cycle.strategy)
                   .select_related("priority").prefetch_related("lead_agencies")):
        action.priority.strategy = cycle.strategy  # the same row, already loaded
        update = updates.get(action.pk)
        readable = access.can_read_update(member, action, update)
        rows.append((action, update if readable else None, readable, update is not None))
    if cycle.is_open:
        record_view(request, cycle, text=f"Status of updates in {cycle}")
    return render(request, "strategy/cycle.html", {
        "cycle": cycle, "rows": rows, "can_write": can_write,
        "chasing": is_chasing_time(cycle),
        "unreachable": notify.unreachable_agencies(cycle.strategy)
        if can_write and cycle.is_open else []})


@require_POST
def cycle_close(request, pk: int):
    cycle, can_write = access.get_cycle(request, pk)
    access.require(can_write)
    cycle.status = ReportingCycle.Status.CLOSED
    cycle.save()
    messages.success(request, f"{cycle.name} is closed.")
    return redirect(cycle)


def chase(request, pk: int):
    cycle, can_write = access.get_cycle(request, pk)
    access.require(can_write)
    if request.method == "POST":
        sent = send_reminders(cycle, base_url=_base_url(request))
        messages.success(request, _sent_text(sent, "reminder email"))
        return redirect("strategy:chase", pk=cycle.pk)
    record_view(request, cycle, text=f"Chasing list for {cycle}")
    return render(request, "strategy/chase.html", {
        "cycle": cycle, "items": outstanding(cycle), "chasing": is_chasing_time(cycle),
        "unreachable": notify.unreachable_agencies(cycle.strategy)})


def update_detail(request, cycle_pk: int, action_pk: int):
    update, can_write = access.get_update(request, cycle_pk, action_pk)
    if not update.is_published:
        record_view(request, update if update.pk else update.cycle,
                    text=f"Unpublished update: {update}")
    versions = update.versions.select_related("author") if update.pk else []
    return render(request, "strategy/update.html", {
        "update": update, "can_write": can_write, "versions": versions,
        "can_review": update.pk is not None and access.can_review(request, update)})


def previous_approved(update: Update) -> Update | None:
    """The action's approved update in the latest earlier cycle, if any."""
    return (Update.objects.filter(action_id=update.action_id, status=Update.Status.APPROVED,
                                  cycle__strategy_id=update.cycle.strategy_id,
                                  cycle__meeting_date__lt=update.cycle.meeting_date)
            .select_related("cycle").order_by("-cycle__meeting_date").first())


def update_edit(request, cycle_pk: int, action_pk: int):
    update, can_write = access.get_update(request, cycle_pk, action_pk)
    access.require(can_write)
    conflict = None
    submit, share = "submit" in request.POST, "share" in request.POST
    if request.method == "POST":
        form = UpdateForm(request.POST, submitting=submit)
        if form.is_valid():
            try:
                save_update(update, request.user, rag=form.cleaned_data["rag"],
                            text=form.cleaned_data["text"],
                            expected_version=form.cleaned_data["version"],
                            submit=submit, share=share)
            except EditConflict as exc:
                conflict = exc.current
                # Keep the person's own text in the box but move the lock to the new version,
                # so saving again is a deliberate choice made after seeing the other text.
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = UpdateForm(data, submitting=submit)
                form.is_valid()
                form.add_error(None, f"{exc} Their version is shown below: copy anything you "
                               "need from your text, then save again.")
            except InvalidTransition as exc:
                form.add_error(None, str(exc))
            else:
                verb = ("submitted" if submit else "saved as a draft and shared with the "
                        "coordinator" if share else "saved as a draft")
                messages.success(request, f"Update {verb}.")
                return redirect("strategy:update", cycle_pk=cycle_pk, action_pk=action_pk)
    else:
        form = UpdateForm(initial={"rag": update.rag, "text": update.text,
                                   "version": update.version})
    if not update.is_published:
        record_view(request, update if update.pk else update.cycle,
                    text=f"Editing update: {update}")
    strategy = update.cycle.strategy
    chosen = form["rag"].value()
    rag_choices = [(value, label, strategy.rag_meaning(value), value == chosen)
                   for value, label in Rag.choices]
    return render(request, "strategy/update_edit.html", {
        "update": update, "form": form, "conflict": conflict, "rag_choices": rag_choices,
        "previous": previous_approved(update)},
        status=409 if conflict else 200)


def rag_meanings(request, pk: int):
    strategy, can_write = access.get_strategy(request, pk)
    access.require(can_write)
    form = RagMeaningsForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The RAG meanings are saved; lead agencies see them when they "
                                  "write an update.")
        return redirect(strategy)
    return render(request, "strategy/rag_meanings.html", {"strategy": strategy, "form": form})


def update_review(request, cycle_pk: int, action_pk: int):
    update, _ = access.get_update(request, cycle_pk, action_pk)
    if update.pk is None:
        raise Http404("There is no update to review yet.")
    member = access.membership(request.user)
    if (not access.can_review(request, update) and member.manages_strategy
            and update.status in (Update.Status.DRAFT, Update.Status.RETURNED)):
        # A coordinator may read a draft (shared or not) before it is submitted: no decision yet.
        record_view(request, update, text=f"Reading a draft: {update}")
        return render(request, "strategy/update_review.html", {"update": update, "form": None})
    access.require(access.can_review(request, update))
    form = ReviewForm(request.POST or None, initial={"version": update.version})
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                update = approve_update(update, request.user,
                                        expected_version=form.cleaned_data["version"])
                told = notify.update_approved(update, base_url=_base_url(request))
                messages.success(request, "Update approved." + _told_text(told))
            else:
                update = return_update(update, request.user, comment=form.cleaned_data["comment"],
                                       expected_version=form.cleaned_data["version"])
                told = notify.update_returned(update, base_url=_base_url(request))
                messages.success(request, "Update returned to the lead agency." + _told_text(told))
            return redirect("strategy:cycle", pk=cycle_pk)
        except EditConflict as exc:
            form.add_error(None, f"{exc} Read the new version, then decide again.")
            update = exc.current
            form.data = form.data.copy()
            form.data["version"] = str(update.version)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
    record_view(request, update, text=f"Reviewing update: {update}")
    return render(request, "strategy/update_review.html", {"update": update, "form": form})
