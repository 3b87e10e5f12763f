"""The scorecard and indicator pages."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from ...engine import settings as engine_settings
from ..partnerships.models import Agency
from ..rows import table
from ..strategy import access
from ..strategy.models import Action, Priority, Rag, ReportingCycle, Update
from . import services
from .forms import IndicatorForm
from .models import Indicator
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
    strategy, _ = access.get_strategy(request, pk)
    key = _content_key(strategy)
    body = cache.get(key)
    if body is None:
        body = _sections_html(_sections(strategy))
        # Stored only if nothing changed while it was built, so a key never maps to the HTML
        # of different rows.
        if _content_key(strategy) == key:
            cache.set(key, body, timeout=3600)
    return render(request, "dashboards/scorecard.html", {
        "strategy": strategy, "body": mark_safe(body), "can_manage": _can_manage_data(request)})


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


@lru_cache(maxsize=None)
def _key_queries(vendor: str) -> tuple[str, ...]:
    """One statement per kind of row the priorities' tables are built from, each taking the
    strategy's id: every column of its priorities, actions and indicators, the lead agencies'
    names and every approved update's RAG status and cycle."""
    def cols(model, alias):
        return ", ".join(f"{alias}.{f.column}" for f in model._meta.concrete_fields)

    pr, act, ind = table(Priority), table(Action), table(Indicator)
    leads = Action.lead_agencies.field
    in_strategy = f"JOIN {pr} p ON p.id = x.priority_id WHERE p.strategy_id = %s"
    return (
        f"SELECT {cols(Priority, 'p')} FROM {pr} p WHERE p.strategy_id = %s ORDER BY p.id",
        f"SELECT {cols(Action, 'x')} FROM {act} x {in_strategy} ORDER BY x.id",
        f"SELECT {cols(Indicator, 'x')} FROM {ind} x {in_strategy} ORDER BY x.id",
        f"SELECT l.{leads.m2m_column_name()}, g.id, g.name FROM "
        f"{table(leads.remote_field.through)} l JOIN {table(Agency)} g "
        f"ON g.id = l.{leads.m2m_reverse_name()} JOIN {act} x "
        f"ON x.id = l.{leads.m2m_column_name()} {in_strategy} ORDER BY l.id",
        f"SELECT u.id, u.action_id, u.rag, c.id, c.name, c.meeting_date FROM {table(Update)} u "
        f"JOIN {table(ReportingCycle)} c ON c.id = u.cycle_id WHERE c.strategy_id = %s "
        f"AND u.status = '{Update.Status.APPROVED}' ORDER BY u.id",
    )


def _content_key(strategy) -> str:
    """A hash of everything the priorities' tables show, read as plain rows (cheap) instead of
    model instances: the rows above, plus the warehouse manifest's hash and the area, which
    decide every indicator value (a cached value is a pure function of them, the metric and
    the period, and the periods follow from the warehouse). An approved update, an edited
    action or a new ingest changes the key at once; there is no invalidation step to forget,
    and the tests change each kind of input and check the next view."""
    area = strategy.area_code or engine_settings.get("partnership_csp")
    parts: list = [services.manifest_hash(services.warehouse()), area, strategy.pk]
    with connection.cursor() as cursor:
        for sql in _key_queries(connection.vendor):
            cursor.execute(sql, [strategy.pk])
            parts.append(cursor.fetchall())
    return "scorecard-sections:" + hashlib.sha256(repr(parts).encode()).hexdigest()


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
