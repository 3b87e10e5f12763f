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
from .models import Action, ReportingCycle, Strategy, Update


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
    strategy = get_object_or_404(Strategy, pk=pk)
    member = _check_partner(request.user, strategy)
    return strategy, member.manages_strategy


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
    """
    cycle = get_object_or_404(ReportingCycle.objects.select_related("strategy"), pk=cycle_pk)
    action = get_object_or_404(Action.objects.select_related("priority"), pk=action_pk,
                               priority__strategy=cycle.strategy)
    member = _check_partner(request.user, cycle.strategy)
    update = (Update.objects.filter(cycle=cycle, action=action).order_by().first()
              or Update(cycle=cycle, action=action))
    update.cycle, update.action = cycle, action  # already loaded: spares str() and pages 3 queries
    leads = member.role == Role.LEAD and action.is_led_by(member.agency)
    editable = cycle.is_open and update.status != Update.Status.APPROVED
    can_write = editable and (leads or member.manages_strategy)
    if not can_read_update(member, action, update):
        raise PermissionDenied("This update has not been published yet.")
    return update, can_write


def can_read_update(member, action: Action, update: Update | None) -> bool:
    """Whether ``member`` may read the update: published, or they lead the action, manage the
    strategy or are an analyst. The one rule behind the update page and the links to it."""
    if member is None:
        return False
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
