"""Setting up a partnership without the admin site: its agencies, its people and their roles.

Coordinators and administrators manage the agencies and people of their own partnership
(``scope.py``); a person is invited by email and chooses their own password
(``invitations.py``); a person who leaves is deactivated, never deleted, so the audit log and
the updates they wrote keep their name.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from . import scope
from .invitations import invitation_tokens, send_invitation
from .models import Membership
from .people_forms import AgencyForm, ChoosePasswordForm, InviteForm, PersonForm


def _strategies(member):
    from ..access import visible_strategies  # the access module builds on this app
    return visible_strategies(member.user)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def people(request):
    member = scope.manager(request)
    everyone = scope.people(member).order_by("membership__agency__name", "last_name",
                                             "first_name", "username")
    agencies = scope.partnership_agencies(member).order_by("name")
    return render(request, "partnerships/people.html", {"people": everyone,
                                                        "agencies": agencies})


def invite(request):
    member = scope.manager(request)
    form = InviteForm(request.POST or None, agencies=scope.partnership_agencies(member),
                      roles=scope.assignable_roles(member))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                data["email"], data["email"], None, first_name=data["first_name"],
                last_name=data["last_name"])
            Membership.objects.create(user=user, agency=data["agency"], role=data["role"],
                                      job_title=data["job_title"])
        send_invitation(user, base_url=_base_url(request), invited_by=request.user)
        messages.success(request, f"Invitation sent to {user.email}.")
        return redirect("people")
    return render(request, "partnerships/invite.html", {"form": form})


def person(request, pk: int):
    person = scope.get_person(request, pk)
    member = scope.manager(request)
    current = person.membership
    form = PersonForm(request.POST or None, agencies=scope.partnership_agencies(member),
                      roles=scope.assignable_roles(member), initial={
                          "first_name": person.first_name, "last_name": person.last_name,
                          "agency": current.agency_id, "role": current.role,
                          "job_title": current.job_title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if person.pk == request.user.pk and data["role"] != current.role:
            form.add_error("role", "You cannot change your own role: ask another "
                                   "administrator or coordinator")
        else:
            person.first_name, person.last_name = data["first_name"], data["last_name"]
            person.save(update_fields=["first_name", "last_name"])
            current.agency, current.role = data["agency"], data["role"]
            current.job_title = data["job_title"]
            current.save()
            messages.success(request, f"{person.get_full_name()}'s details are saved.")
            return redirect("people")
    return render(request, "partnerships/person.html", {"person": person, "form": form})


@require_POST
def person_active(request, pk: int):
    """Deactivate (``active=0``) or reactivate a person. Deactivated people cannot sign in, and
    their open sessions end at their next request (the backend refuses inactive users)."""
    person = scope.get_person(request, pk)
    active = request.POST.get("active") == "1"
    if person.pk == request.user.pk and not active:
        raise PermissionDenied("You cannot deactivate yourself.")
    person.is_active = active
    person.save(update_fields=["is_active"])
    name = person.get_full_name() or person.get_username()
    messages.success(request, f"{name} {'can sign in again' if active else 'is deactivated'}.")
    return redirect("person", pk=person.pk)


@require_POST
def person_reinvite(request, pk: int):
    person = scope.get_person(request, pk)
    if not person.is_active or person.has_usable_password():
        raise PermissionDenied("Only an active person who has not yet chosen a password can be "
                               "invited again.")
    send_invitation(person, base_url=_base_url(request), invited_by=request.user)
    messages.success(request, f"A new invitation was sent to {person.email}; earlier links "
                              "no longer work.")
    return redirect("person", pk=person.pk)


def agencies(request):
    member = scope.manager(request)
    return render(request, "partnerships/agencies.html", {
        "agencies": scope.partnership_agencies(member).order_by("name")})


def _agency_form(request, member, instance=None):
    form = AgencyForm(request.POST or None, instance=instance, strategies=_strategies(member),
                      require_strategy=not member.is_administrator)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            agency = form.save()
            visible = set(_strategies(member))
            chosen = set(form.cleaned_data["strategies"])
            for strategy in visible:
                if strategy in chosen:
                    strategy.partners.add(agency)
                else:
                    strategy.partners.remove(agency)
        messages.success(request, f"{agency.name} is saved.")
        return None, redirect("agencies")
    return form, None


def agency_new(request):
    member = scope.manager(request)
    form, done = _agency_form(request, member)
    return done or render(request, "partnerships/agency_form.html", {"form": form})


def agency_edit(request, pk: int):
    agency = scope.get_agency(request, pk)
    member = scope.manager(request)
    form, done = _agency_form(request, member, agency)
    return done or render(request, "partnerships/agency_form.html", {"form": form,
                                                                      "agency": agency})


@method_decorator(login_not_required, name="dispatch")
class AcceptInvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link: Django's password-reset confirmation (the token moves into the
    session, so it never leaks in a Referer header) with the invitation's own tokens."""

    token_generator = invitation_tokens
    form_class = ChoosePasswordForm
    template_name = "partnerships/accept_invitation.html"
    post_reset_login = True
    post_reset_login_backend = "safecity.web.partnerships.backends.MembershipModelBackend"
    success_url = reverse_lazy("strategy:home")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set and you are signed in.")
        return response
