"""Who belongs to whose partnership, and who may manage its agencies and people.

A partnership is the agencies that share a strategy: an agency's partnership is itself and every
agency that is a partner of a strategy it is a partner of. An administrator's is every agency.
The helpers have the shape of the strategy access helpers (and will move with them into the one
access module): they return the object, or raise ``Http404`` for an outsider (so its existence is
not revealed) and ``PermissionDenied`` for someone who may read but not manage.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Agency, Membership, Role


def member_of(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def partnership_agencies(member: Membership | None) -> QuerySet[Agency]:
    """The agencies in ``member``'s partnership (every agency for an administrator)."""
    if member is None:
        return Agency.objects.none()
    if member.is_administrator:
        return Agency.objects.all()
    return Agency.objects.filter(Q(pk=member.agency_id)
                                 | Q(strategies__partners=member.agency_id)).distinct()


def manager(request) -> Membership:
    """The signed-in coordinator or administrator; 403 for anyone else."""
    member = member_of(request.user)
    if member is None or not member.manages_strategy:
        raise PermissionDenied("Only coordinators and administrators manage the partnership.")
    return member


def assignable_roles(member: Membership) -> list[tuple[str, str]]:
    """Roles ``member`` may give: a coordinator gives any role but administrator."""
    return [(value, label) for value, label in Role.choices
            if member.is_administrator or value != Role.ADMINISTRATOR]


def get_agency(request, pk: int) -> Agency:
    member = member_of(request.user)
    try:
        agency = partnership_agencies(member).get(pk=pk)
    except Agency.DoesNotExist:
        raise Http404("No such page.") from None
    manager(request)
    return agency


def people(member: Membership | None) -> QuerySet:
    """The users whose agency is in ``member``'s partnership."""
    User = get_user_model()
    return (User.objects.filter(membership__agency__in=partnership_agencies(member))
            .select_related("membership__agency"))


def get_person(request, pk: int):
    """A user of the partnership, for a manager; a coordinator may not change an administrator."""
    member = member_of(request.user)
    try:
        person = people(member).get(pk=pk)
    except get_user_model().DoesNotExist:
        raise Http404("No such page.") from None
    me = manager(request)
    if person.membership.is_administrator and not me.is_administrator:
        raise PermissionDenied("Only an administrator can change an administrator.")
    return person
