"""The scorecard and indicator pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from ...engine import settings as engine_settings
from .. import access
from ..strategy.models import Action, Rag, Update
from . import generation, services
from .forms import IndicatorForm
from .models import Indicator
from .sparkline import sparkline

RAG_LABELS = dict(Rag.choices)  # what get_rag_display shows; an unknown value shows as stored


def _trend_rows(indicators, area):
    rows = []
    for trend in services.trends(indicators, area):
        values = [p.value for p in trend.points]
        rows.append({"trend": trend, "spark": sparkline(values)})
    return rows


def scorecard(request, pk: int):
    strategy, _ = access.get_strategy(request, pk)
    key = _content_key(strategy)
    body = cache.get(key)
    if body is None:
        # Read after the key: a change made meanwhile raises the generation after its rows are
        # written, so this HTML is never older than its key says.
        body = _sections_html(_sections(strategy))
        cache.set(key, body, timeout=3600)
    return render(request, "dashboards/scorecard.html", {
        "strategy": strategy, "body": mark_safe(body),
        "can_manage": access.can_manage_data(request)})


def _sections(strategy) -> list[dict]:
    """Each priority with its actions (lead, latest approved RAG) and its indicators' trends."""
    # Plain queries and value rows rather than nested prefetches and model instances.
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
    return sections


def _sections_html(sections) -> str:
    """The priorities' tables: nothing request-specific renders here (the CSRF token and the
    page chrome stay in the per-request template), so the view caches this HTML."""
    return render_to_string("dashboards/_scorecard_sections.html", {"sections": sections})


def _content_key(strategy) -> str:
    """The key of the cached priorities' tables: the scorecard generation (raised by every
    change they show and by the recompute button, read from the database, so every worker sees
    a change at once: ``generation.py``), the warehouse manifest's hash and the area, which
    decide every indicator value. A key is never deleted: a change makes the next view miss."""
    area = strategy.area_code or engine_settings.get("partnership_csp")
    digest = services.manifest_hash(services.warehouse())
    return f"scorecard-sections:{strategy.pk}:{generation.current()}:{digest}:{area}"


def indicator_detail(request, pk: int):
    indicator, can_write = access.get_indicator(request, pk)
    rows = _trend_rows([indicator], indicator.priority.strategy.area_code)
    return render(request, "dashboards/indicator.html", {
        "indicator": indicator, "row": rows[0], "can_write": can_write})


def indicator_new(request, pk: int):
    strategy, _ = access.get_strategy(request, pk)
    access.require(access.can_manage_data(request))
    form = IndicatorForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        indicator = form.save()
        messages.success(request, f"Indicator {indicator.name} added.")
        return redirect(indicator)
    return render(request, "dashboards/indicator_form.html", {"form": form, "strategy": strategy})


def indicator_edit(request, pk: int):
    indicator, can_write = access.get_indicator(request, pk)
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
    access.require(access.can_manage_data(request))
    services.clear_cache()
    messages.success(request, "Indicator values will be recomputed from the warehouse.")
    return redirect("dashboards:scorecard", pk=strategy.pk)
