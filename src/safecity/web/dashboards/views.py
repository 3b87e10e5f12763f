"""The scorecard and indicator pages."""

from __future__ import annotations

import dataclasses
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from ..strategy import access
from ..strategy.models import Action, Rag, Update
from . import services
from .forms import IndicatorForm
from .models import Indicator, MetricValue
from .sparkline import sparkline

RAG_LABELS = dict(Rag.choices)  # what get_rag_display shows; an unknown value shows as stored


def get_indicator(request, pk: int) -> tuple[Indicator, bool]:
    """``can_write``: analysts, coordinators and administrators manage indicator definitions."""
    indicator = get_object_or_404(Indicator.objects.select_related("priority__strategy"), pk=pk)
    access.get_strategy(request, indicator.priority.strategy_id)  # 404 for outsiders
    return indicator, access.membership(request.user).manages_data


def _can_manage_data(request) -> bool:
    member = access.membership(request.user)
    return member is not None and member.manages_data


def _trend_rows(indicators, area):
    rows = []
    for trend in services.trends(indicators, area):
        values = [p.value for p in trend.points]
        rows.append({"trend": trend, "spark": sparkline(values)})
    return rows


def scorecard(request, pk: int):
    # Plain queries and value rows rather than nested prefetches and model instances: this is
    # the busiest page, and this way its queries cost under half as much.
    strategy, _ = access.get_strategy(request, pk)
    priorities = list(strategy.priorities.all())
    actions = list(Action.objects.filter(priority__strategy=strategy))
    leads = Action.lead_labels(actions)
    indicators = list(Indicator.objects.filter(priority__strategy=strategy))
    approved = {}
    for action_id, rag, cycle_name in (
            Update.objects.filter(action__priority__strategy=strategy,
                                  status=Update.Status.APPROVED)
            .order_by("cycle__meeting_date").values_list("action_id", "rag", "cycle__name")):
        approved[action_id] = (rag, cycle_name)  # the latest approved update wins
    rows = _trend_rows(indicators, strategy.area_code)
    sections = []
    for priority in priorities:
        section_actions = []
        for action in actions:
            if action.priority_id == priority.pk:
                rag, as_at = approved.get(action.pk, ("", ""))
                section_actions.append({"action": action, "lead": leads[action.pk], "rag": rag,
                                        "rag_label": RAG_LABELS.get(rag, rag),
                                        "as_at": as_at})
        sections.append({"priority": priority, "actions": section_actions, "indicators": [
            r for r in rows if r["trend"].indicator.priority_id == priority.pk]})
    return render(request, "dashboards/scorecard.html", {
        "strategy": strategy, "body": _sections_html(sections),
        "can_manage": _can_manage_data(request)})


def _fingerprint(value) -> object:
    """Everything ``value`` holds, as plain data: every field of every model instance in it,
    so two fingerprints are equal only when the same template would render the same HTML. A
    cached metric value is never changed once written (a new ingest or "Recompute" writes new
    rows), so its primary key stands for its fields."""
    if isinstance(value, MetricValue):
        return ("MetricValue", value.pk)
    if isinstance(value, models.Model):
        return (type(value).__name__, *(
            _fingerprint(v) for k, v in value.__dict__.items() if not k.startswith("_")))
    if dataclasses.is_dataclass(value):
        return tuple(_fingerprint(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return tuple((k, _fingerprint(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_fingerprint(v) for v in value)
    return value


def _sections_html(sections) -> str:
    """The priorities' tables, rendered once for each distinct content and then served from
    the cache (per process): template rendering was half the scorecard's CPU. The key is a
    hash of everything the template reads, so an approved update, an edited action or a new
    ingest changes it at once; no invalidation to forget. Nothing request-specific renders
    here: the CSRF token and the page chrome stay in the per-request template."""
    key = "scorecard-sections:" + hashlib.sha256(
        repr(_fingerprint(sections)).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string("dashboards/_scorecard_sections.html", {"sections": sections})
        cache.set(key, html, timeout=3600)
    return mark_safe(html)


def indicator_detail(request, pk: int):
    indicator, can_write = get_indicator(request, pk)
    rows = _trend_rows([indicator], indicator.priority.strategy.area_code)
    return render(request, "dashboards/indicator.html", {
        "indicator": indicator, "row": rows[0], "can_write": can_write})


def indicator_new(request, pk: int):
    strategy, _ = access.get_strategy(request, pk)
    access.require(_can_manage_data(request))
    form = IndicatorForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        indicator = form.save()
        messages.success(request, f"Indicator {indicator.name} added.")
        return redirect(indicator)
    return render(request, "dashboards/indicator_form.html", {"form": form, "strategy": strategy})


def indicator_edit(request, pk: int):
    indicator, can_write = get_indicator(request, pk)
    access.require(can_write)
    strategy = indicator.priority.strategy
    form = IndicatorForm(request.POST or None, instance=indicator, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Indicator saved.")
        return redirect(indicator)
    return render(request, "dashboards/indicator_form.html", {
        "form": form, "strategy": strategy, "indicator": indicator})


@require_POST
def refresh(request, pk: int):
    strategy, _ = access.get_strategy(request, pk)
    access.require(_can_manage_data(request))
    services.clear_cache()
    messages.success(request, "Indicator values will be recomputed from the warehouse.")
    return redirect("dashboards:scorecard", pk=strategy.pk)
