"""Turn the app's records into the plain data the paper and scorecard renderers take.

Only approved updates go into a paper or the scorecard export: they are what the partnership
has published. Everything is fetched in a handful of queries, whatever the number of actions.
"""

from __future__ import annotations

from django.utils import timezone

from ...engine import settings as engine_settings

from ..dashboards import services
from ..dashboards.units import workbook_unit
from ..strategy.models import Priority, Rag, ReportingCycle, Strategy, Update
from .papers import Paper, PaperAction, PaperPriority, paper_title
from .scorecard_xlsx import Scorecard, ScorecardAction, ScorecardIndicator, ScorecardPriority


def _priorities(strategy: Strategy):
    return (Priority.objects.filter(strategy=strategy).order_by("number")
            .prefetch_related("actions__lead_agencies"))


def paper_for_cycle(cycle: ReportingCycle) -> Paper:
    approved = {u.action_id: u for u in cycle.updates.filter(status=Update.Status.APPROVED)}
    priorities = []
    for priority in _priorities(cycle.strategy):
        actions = []
        for action in priority.actions.all():
            update = approved.get(action.pk)
            actions.append(PaperAction(
                number=f"{priority.number}.{action.number}", text=action.text,
                lead=action.lead_label, update=update.text if update else "",
                rag=update.get_rag_display() if update and update.rag else ""))
        priorities.append(PaperPriority(priority.number, priority.title, tuple(actions)))
    strategy = cycle.strategy
    return Paper(
        title=paper_title(strategy.title),
        subtitle=f"{cycle.name}, for the partnership meeting on {cycle.meeting_date:%-d %B %Y}",
        priorities=tuple(priorities), generated=timezone.localdate(),
        partnership=strategy.partnership_name, cycle=cycle.name,
        rag_key=tuple((label, strategy.rag_meaning(value)) for value, label in Rag.choices))


def _latest_approved(strategy: Strategy) -> dict[int, Update]:
    latest: dict[int, Update] = {}
    for update in (Update.objects.filter(action__priority__strategy=strategy,
                                         status=Update.Status.APPROVED)
                   .select_related("cycle").order_by("cycle__meeting_date")):
        latest[update.action_id] = update  # later meetings overwrite earlier ones
    return latest


def _unit(metric: str) -> str:
    return workbook_unit(metric)


def _baseline(indicator, trend) -> tuple[float | None, str]:
    """The indicator's baseline as set, or else its first computed value and that period."""
    if indicator.baseline is not None:
        return indicator.baseline, indicator.baseline_label
    first = next((p for p in trend.points if p.value is not None), None)
    return (first.value, first.period_label) if first else (None, "")


def _indicator(trend) -> ScorecardIndicator:
    indicator, headline = trend.indicator, trend.headline
    baseline, baseline_label = _baseline(indicator, trend)
    return ScorecardIndicator(
        name=indicator.name, direction=indicator.get_direction_display(),
        unit=_unit(indicator.metric), baseline=baseline,
        baseline_label=baseline_label, target=indicator.target,
        trend=tuple((p.period_label, p.value) for p in trend.points),
        change_pct=headline.change_pct if headline else None,
        significance=headline.wording.replace("_", " ") if headline else "",
        metric=indicator.metric)


def _action(priority, action, update: Update | None) -> ScorecardAction:
    """An action's row: the RAG, status and text of its latest approved update, "as at" the
    cycle it was approved in (each row may come from a different cycle)."""
    number = f"{priority.number}.{action.number}"
    if update is None:
        return ScorecardAction(number, action.text, action.lead_label, "", "No approved update")
    cycle = update.cycle
    return ScorecardAction(number, action.text, action.lead_label,
                           update.get_rag_display() if update.rag else "", "Approved",
                           as_at=f"{cycle.name} ({cycle.meeting_date:%-d %B %Y})",
                           update=update.text)


def scorecard_for(strategy: Strategy) -> Scorecard:
    approved = _latest_approved(strategy)
    priorities = list(_priorities(strategy).prefetch_related("indicators"))
    # One call for every indicator: the engine's cached values are read in one query.
    trends = services.trends([i for p in priorities for i in p.indicators.all()],
                             strategy.area_code)
    sections = []
    for priority in priorities:
        actions = tuple(_action(priority, a, approved.get(a.pk))
                        for a in priority.actions.all())
        indicators = tuple(_indicator(t) for t in trends
                           if t.indicator.priority_id == priority.pk)
        sections.append(ScorecardPriority(priority.number, priority.title, actions, indicators))
    return Scorecard(title=f"{strategy.title}: scorecard",
                     cycle="the latest approved update of each action",
                     priorities=tuple(sections), generated=timezone.localdate(),
                     partnership=strategy.partnership_name,
                     area_code=strategy.area_code or engine_settings.get("partnership_csp"),
                     strategy=strategy.title)
