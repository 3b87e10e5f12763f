"""Who may see and change hate reports and centres, in the shape of the app's access helpers:
an outsider (their agency is not a partner of the record's partnership) gets 404, a partner
without the role gets 403. Report text is for the hate crime coordinator and administrators
only; centres (names, areas, counts) are readable by every partner.

These move to ``safecity.web.access`` when that module lands.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..partnerships.models import Membership, Role
from ..strategy.access import membership
from ..strategy.models import Strategy
from .models import Centre, Report

#: Roles that read report text and triage.
REPORT_ROLES = (Role.HATE_COORDINATOR, Role.ADMINISTRATOR)
#: Roles that manage the list of centres.
CENTRE_ROLES = (Role.HATE_COORDINATOR, Role.COORDINATOR, Role.ADMINISTRATOR)


def _member(user) -> Membership:
    member = membership(user)
    if member is None:
        raise Http404("No such page.")
    return member


def partnerships(user) -> QuerySet[Strategy]:
    """The partnerships (strategies) whose records ``user`` may see."""
    member = membership(user)
    if member is None:
        return Strategy.objects.none()
    if member.is_administrator:
        return Strategy.objects.all()
    return Strategy.objects.filter(partners=member.agency)


def _check_partner(member: Membership, partnership_id: int) -> None:
    if member.is_administrator:
        return
    if not Strategy.partners.through.objects.filter(strategy_id=partnership_id,
                                                    agency_id=member.agency_id).exists():
        raise Http404("No such page.")


def reads_reports(member: Membership | None) -> bool:
    return member is not None and member.role in REPORT_ROLES


def manages_centres(member: Membership | None) -> bool:
    return member is not None and member.role in CENTRE_ROLES


def require_report_role(request) -> Membership:
    """For the report list: signed-in members with the role; others 403."""
    member = _member(request.user)
    if not reads_reports(member):
        raise PermissionDenied("Only the hate crime coordinator can read hate reports.")
    return member


def visible_reports(user) -> QuerySet[Report]:
    return Report.objects.filter(partnership__in=partnerships(user))


def get_report(request, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("centre", "partnership"), pk=pk)
    member = _member(request.user)
    _check_partner(member, report.partnership_id)
    if not reads_reports(member):
        raise PermissionDenied("Only the hate crime coordinator can read hate reports.")
    return report


def get_centre(request, pk: int) -> tuple[Centre, bool]:
    """The centre and whether the reader may change it."""
    centre = get_object_or_404(Centre.objects.select_related("partnership"), pk=pk)
    member = _member(request.user)
    _check_partner(member, centre.partnership_id)
    return centre, manages_centres(member)


def get_partnership(request, pk: int) -> tuple[Strategy, Membership]:
    partnership = get_object_or_404(Strategy, pk=pk)
    member = _member(request.user)
    _check_partner(member, partnership.pk)
    return partnership, member


def require(can_write: bool) -> None:
    if not can_write:
        raise PermissionDenied("You can read this but not change it.")
