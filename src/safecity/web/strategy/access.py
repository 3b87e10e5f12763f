"""Who may see and change what: one helper per object, each returning ``(object, can_write)``.

An outsider to an object (their agency is not a partner of its strategy, or they have no
membership) gets 404, so the object's existence is not revealed. A read-only user gets the object
with ``can_write=False``; views answer 403 when they need to write.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..partnerships.models import Membership, Role
from ..rows import select_joined, table
from .models import Action, Priority, ReportingCycle, Strategy, Update


def membership(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def visible_strategies(user) -> QuerySet[Strategy]:
    member = membership(user)
    if member is None:
        return Strategy.objects.none()
    if member.is_administrator:
        return Strategy.objects.all()
    return Strategy.objects.filter(partners=member.agency)


def _check_partner(user, strategy: Strategy) -> Membership:
    member = membership(user)
    if member is None:
        raise Http404("No such page.")
    if member.is_administrator:
        return member
    if not strategy.partners.filter(pk=member.agency_id).exists():
        raise Http404("No such page.")
    return member


def get_strategy(request, pk: int) -> tuple[Strategy, bool]:
    """The strategy and whether the reader manages it; the scorecard's first read, so the
    strategy and the partner check are one statement (``web.rows``), as for updates."""
    member = membership(request.user)
    if member is None:
        raise Http404("No such page.")
    partners = Strategy.partners.field
    found = select_joined(
        [(Strategy, "st")], f"FROM {table(Strategy)} st WHERE st.id = %s", [member.agency_id, pk],
        extra=(f"EXISTS (SELECT 1 FROM {table(partners.remote_field.through)} x WHERE "
               f"x.{partners.m2m_column_name()} = st.id AND "
               f"x.{partners.m2m_reverse_name()} = %s)",))
    if not found or not (member.is_administrator or found[0][1]):
        raise Http404("No such page.")
    return found[0][0], member.manages_strategy


def get_action(request, pk: int) -> tuple[Action, bool]:
    """``can_write``: may change the action itself (its leads, target, indicators)."""
    action = get_object_or_404(Action.objects.select_related("priority__strategy"), pk=pk)
    member = _check_partner(request.user, action.priority.strategy)
    return action, member.manages_strategy


def get_cycle(request, pk: int) -> tuple[ReportingCycle, bool]:
    cycle = get_object_or_404(ReportingCycle.objects.select_related("strategy"), pk=pk)
    member = _check_partner(request.user, cycle.strategy)
    return cycle, member.manages_strategy


def get_update(request, cycle_pk: int, action_pk: int) -> tuple[Update, bool]:
    """The update for one action in one cycle (unsaved when none exists yet).

    ``can_write``: may edit its text and RAG status: a lead of the action's agencies, or the
    coordinator, while the cycle is open and the update is not yet approved. An unpublished
    update can be read only by those who can write it, the coordinator, analysts and
    administrators; others get 403.

    The update form is the page leads use most, so the cycle, its strategy, the action, its
    priority, the update and whether the reader's agency is a partner and a lead come from one
    statement (``web.rows``) instead of six compiled queries; the rules are the same.
    """
    member = membership(request.user)
    if member is None:
        raise Http404("No such page.")
    found = _update_row(cycle_pk, action_pk, member.agency_id)
    if not found:  # no such cycle, or the action is not in its strategy
        raise Http404("No such page.")
    cycle, strategy, action, priority, update, partner, lead_agency = found[0]
    if not (member.is_administrator or partner):
        raise Http404("No such page.")
    cycle.strategy = priority.strategy = strategy
    action.priority = priority
    update = update or Update(cycle=cycle, action=action)
    update.cycle, update.action = cycle, action  # already loaded: spares str() and pages queries
    is_led = bool(partner if action.all_agencies_lead else lead_agency)
    leads = member.role == Role.LEAD and is_led
    editable = cycle.is_open and update.status != Update.Status.APPROVED
    can_write = editable and (leads or member.manages_strategy)
    if not can_read_update(member, action, update, leads=leads):
        raise PermissionDenied("This update has not been published yet.")
    return update, can_write


def _update_row(cycle_pk, action_pk, agency_id) -> list[tuple]:
    partners = Strategy.partners.field
    leads = Action.lead_agencies.field
    try:
        cycle_pk, action_pk = int(cycle_pk), int(action_pk)
    except (TypeError, ValueError):
        return []
    return select_joined(
        [(ReportingCycle, "c"), (Strategy, "st"), (Action, "a"), (Priority, "p"), (Update, "u")],
        f"FROM {table(ReportingCycle)} c JOIN {table(Strategy)} st ON st.id = c.strategy_id "
        f"JOIN {table(Action)} a ON a.id = %s "
        f"JOIN {table(Priority)} p ON p.id = a.priority_id AND p.strategy_id = c.strategy_id "
        f"LEFT JOIN {table(Update)} u ON u.cycle_id = c.id AND u.action_id = a.id "
        "WHERE c.id = %s",
        [agency_id, agency_id, action_pk, cycle_pk],
        extra=(f"EXISTS (SELECT 1 FROM {table(partners.remote_field.through)} x WHERE "
               f"x.{partners.m2m_column_name()} = st.id AND "
               f"x.{partners.m2m_reverse_name()} = %s)",
               f"EXISTS (SELECT 1 FROM {table(leads.remote_field.through)} y WHERE "
               f"y.{leads.m2m_column_name()} = a.id AND y.{leads.m2m_reverse_name()} = %s)"))


def can_read_update(member, action: Action, update: Update | None, *,
                    leads: bool | None = None) -> bool:
    """Whether ``member`` may read the update: published, or they lead the action, manage the
    strategy or are an analyst. The one rule behind the update page and the links to it.
    ``leads`` (whether ``member`` is a lead of the action's agencies) is looked up unless the
    caller already knows it."""
    if member is None:
        return False
    if leads is None:
        leads = member.role == Role.LEAD and action.is_led_by(member.agency)
    published = update is not None and update.is_published
    return published or leads or member.manages_strategy or member.role == Role.ANALYST


def can_review(request, update: Update) -> bool:
    member = membership(request.user)
    return (member is not None and member.manages_strategy and update.cycle.is_open
            and update.status == Update.Status.SUBMITTED)


def require(can_write: bool) -> None:
    if not can_write:
        raise PermissionDenied("You can read this but not change it.")
