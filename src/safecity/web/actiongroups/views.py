"""Partnership Action Group pages: the groups, a sector's group (its open problems and
meetings), setting up a group, and a problem's pages (the plan, actions and reviews; the
evidence from the warehouse; closing with the before-and-after comparison). Every page starts
from a helper in ``web/access.py``; problem pages are audited as views of restricted text."""

from __future__ import annotations

import itertools

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...engine import periods
from ...engine.errors import SafecityError
from .. import access, maps
from ..partnerships.audit import record_view
from ..partnerships.models import Agency
from . import services
from .forms import CloseForm, GroupForm, ProblemForm, ReviewForm, TaskForm
from .models import ActionGroup, Problem, Review, Task

CLOSE_MONTHS = 6  # the default length of the before and after periods


def group_list(request):
    groups = (access.visible_action_groups(request.user).select_related("partnership")
              .annotate(open_problems=Count("problems", filter=Q(problems__status="open"))))
    escalated = (Problem.objects.filter(group__in=groups, status=Problem.Status.OPEN,
                                        escalated_on__isnull=False)
                 .select_related("group", "owner").order_by("-escalated_on"))
    member = access.membership(request.user)
    can_set_up = member is not None and member.manages_strategy
    return render(request, "actiongroups/list.html", {
        "groups": groups, "escalated": escalated,
        "partnerships": access.visible_strategies(request.user) if can_set_up else [],
        "can_export": access.can_manage_data(request)})


@require_POST
def export(request):
    """Send the open problems (no text) to the warehouse for the monthly pack: analysts,
    coordinators and administrators."""
    access.require(access.can_manage_data(request))
    from .warehouse import export_to_warehouse

    try:
        result = export_to_warehouse(request.build_absolute_uri("/"), user=request.user)
    except SafecityError as exc:
        messages.error(request, f"The problems could not be sent to the warehouse: {exc}")
        return redirect("actiongroups:list")
    messages.success(request, f"Sent {result.problems} open problems to the warehouse for the "
                              "monthly pack.")
    return redirect("actiongroups:list")


def _partners(strategy):
    return Agency.objects.filter(strategies=strategy).order_by("name")


def group_new(request, pk: int):
    strategy, can_manage = access.get_action_group_partnership(request, pk)
    access.require(can_manage)
    form = GroupForm(request.POST or None, agencies=_partners(strategy),
                     sectors=services.sector_names())
    if request.method == "POST" and form.is_valid():
        if ActionGroup.objects.filter(partnership=strategy,
                                      sector__iexact=form.cleaned_data["sector"]).exists():
            form.add_error("sector", "This sector already has a group")
        else:
            group = form.save(commit=False)
            group.partnership = strategy
            group.save()
            form.save_m2m()
            messages.success(request, f"{group} set up.")
            return redirect(group)
    return render(request, "actiongroups/group_form.html", {"form": form,
                                                            "partnership": strategy})


def group_edit(request, pk: int):
    group, can_manage = access.get_action_group_to_manage(request, pk)
    access.require(can_manage)
    form = GroupForm(request.POST or None, instance=group,
                     agencies=_partners(group.partnership), sectors=services.sector_names())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{group} saved.")
        return redirect(group)
    return render(request, "actiongroups/group_form.html", {"form": form, "group": group,
                                                            "partnership": group.partnership})


def group_detail(request, pk: int):
    group, can_write = access.get_action_group(request, pk)
    problems = group.problems.select_related("owner").annotate(
        open_tasks=Count("tasks", filter=Q(tasks__done_on__isnull=True)))
    reviews = (Review.objects.filter(problem__group=group).select_related("problem")
               .order_by("-meeting_on", "problem_id"))
    meetings = [(day, list(items)) for day, items in
                itertools.groupby(reviews[:200], key=lambda r: r.meeting_on)]
    return render(request, "actiongroups/group.html", {
        "group": group, "can_write": can_write, "members": group.members.order_by("name"),
        "open_problems": [p for p in problems if p.is_open],
        "closed_problems": [p for p in problems if not p.is_open], "meetings": meetings,
        "can_manage": access.get_action_group_to_manage(request, pk)[1]})


def problem_new(request, pk: int):
    group, can_write = access.get_action_group(request, pk)
    access.require(can_write)
    form = ProblemForm(request.POST or None, agencies=group.members.order_by("name"),
                       known_lsoas=services.known_lsoas())
    if request.method == "POST" and form.is_valid():
        problem = form.save(commit=False)
        problem.group, problem.opened_on = group, timezone.localdate()
        problem.save()
        messages.success(request, f"Problem {problem} opened.")
        return redirect(problem)
    return render(request, "actiongroups/problem_form.html", {
        "form": form, "group": group, "sector_lsoas": services.sector_lsoas(group.sector)})


def problem_edit(request, pk: int):
    problem, can_write = access.get_problem(request, pk)
    access.require(can_write and problem.is_open)
    form = ProblemForm(request.POST or None, instance=problem,
                       agencies=problem.group.members.order_by("name"),
                       known_lsoas=services.known_lsoas())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Problem {problem} saved.")
        return redirect(problem)
    record_view(request, problem)
    return render(request, "actiongroups/problem_form.html", {
        "form": form, "group": problem.group, "problem": problem,
        "sector_lsoas": services.sector_lsoas(problem.group.sector)})


def problem_detail(request, pk: int):
    problem, can_write = access.get_problem(request, pk)
    agencies = problem.group.members.order_by("name")
    forms = {"task": TaskForm(agencies=agencies, prefix="task"),
             "review": ReviewForm(prefix="review")}
    if request.method == "POST":
        access.require(can_write and problem.is_open)
        step = request.POST.get("step")
        if step == "task_done":
            task_id = request.POST.get("task", "")
            task = (problem.tasks.filter(pk=int(task_id)).first()
                    if task_id.isdigit() and len(task_id) < 19 else None)
            if task is None:
                raise Http404("No such action on this problem.")
            task.done_on = timezone.localdate()
            task.save()
            messages.success(request, "Action marked done.")
            return redirect(problem)
        if step == "task":
            form = forms["task"] = TaskForm(request.POST, agencies=agencies, prefix="task")
            if form.is_valid():
                Task.objects.create(problem=problem, **form.cleaned_data)
                messages.success(request, "Action added.")
                return redirect(problem)
        elif step == "review":
            form = forms["review"] = ReviewForm(request.POST, prefix="review")
            if form.is_valid():
                review = Review.objects.create(problem=problem, recorded_by=request.user,
                                               **form.cleaned_data)
                if review.decision == Review.Decision.ESCALATE and not problem.escalated_on:
                    problem.escalated_on = review.meeting_on
                    problem.save()
                messages.success(request, f"Review of {review.meeting_on:%-d %B %Y} recorded.")
                return redirect(problem)
    record_view(request, problem)
    # Intelligence is the analysts' (access.py): only they learn that any informs the problem.
    analyst = access.analyses_intelligence(access.membership(request.user))
    return render(request, "actiongroups/problem.html", {
        "intelligence": list(problem.intelligence.all()) if analyst else [],
        "problem": problem, "group": problem.group, "can_write": can_write and problem.is_open,
        "forms": forms, "tasks": problem.tasks.select_related("owner"),
        "reviews": problem.reviews.all(), "today": timezone.localdate()})


def problem_evidence(request, pk: int):
    problem, _ = access.get_problem(request, pk)
    found, reason = services.evidence(problem)
    rows, place_map, hot_map = [], None, None
    if found is not None:
        rows = [(periods.month_label(m), c, a) for m, c, a in
                zip(found.months, found.crimes, found.asb)]
        if found.by_lsoa:
            place_map = maps.area_map(
                found.by_lsoa, title=f"Recorded crime in the place by LSOA, {found.period_label}",
                finding=f"Recorded crime in the {len(found.by_lsoa)} LSOAs of the place.",
                value_label="Recorded crimes in the place", ident="place-map")
            if found.hotspots:
                hot_map = maps.hotspot_map(found.by_lsoa, found.hotspots, found.cell_size,
                                           title="Hotspot cells")
    return render(request, "actiongroups/evidence.html", {
        "problem": problem, "group": problem.group, "evidence": found, "reason": reason,
        "rows": rows, "map": place_map, "hot_map": hot_map})


def _default_periods(problem: Problem) -> dict:
    """After: the last CLOSE_MONTHS months loaded (or to this month); before: the same months a
    year earlier (same season, so the comparison is like for like)."""
    last = services.latest_month() or f"{timezone.localdate():%Y-%m}"
    first = periods.shift_month(last, 1 - CLOSE_MONTHS)
    return {"before_first": periods.shift_month(first, -12),
            "before_last": periods.shift_month(last, -12), "after_first": first,
            "after_last": last,
            "crime_type": "asb" if problem.kind in ("asb", "environment") else "all_crime"}


def problem_close(request, pk: int):
    problem, can_write = access.get_problem(request, pk)
    access.require(can_write and problem.is_open)
    known = services.known_lsoas()
    form = CloseForm(request.POST or None, initial=_default_periods(problem),
                     known_lsoas=known, place_lsoas=problem.lsoas)
    if request.method == "POST" and form.is_valid():
        reason = services.close(problem, form.cleaned_data)
        if reason is None:
            messages.success(request, f"Problem {problem} closed.")
            return redirect(problem)
        form.add_error(None, reason)
    record_view(request, problem)
    return render(request, "actiongroups/close.html", {"form": form, "problem": problem,
                                                       "group": problem.group})
