"""Sign-in, the session keep-alive, the user's account page and the audit log."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .audit import record_view
from .models import AuditEntry


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct user name and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


@never_cache
def keep_alive(request):
    """Touched by the session-expiry warning's "Stay signed in" button; renews the session."""
    request.session.modified = True
    return HttpResponse(status=204)


def account(request):
    return render(request, "partnerships/account.html")


def audit_log(request):
    member = getattr(request.user, "membership", None)
    if member is None or not member.is_administrator:
        raise PermissionDenied("Only administrators can read the audit log.")
    record_view(request, None, model="partnerships.AuditEntry", text="Audit log")
    page = Paginator(AuditEntry.objects.all(), 100).get_page(request.GET.get("page"))
    return render(request, "partnerships/audit.html", {"page": page})
