"""The first administrator of a new installation (``safecity web create-admin``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Agency, Membership, Role


class SetupError(Exception):
    """One sentence saying what is wrong and how to fix it."""


def create_administrator(*, email: str, agency: str, password: str, first_name: str = "",
                         last_name: str = ""):
    """Create an administrator (user name = email) in ``agency``, creating the agency if new."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise SetupError(f"{email!r} is not an email address: give one like "
                         "name@example.gov.uk.") from None
    if not agency.strip():
        raise SetupError("Give the administrator's agency with --agency, for example "
                         "--agency \"Example City Council\".")
    User = get_user_model()
    if User.objects.filter(username__iexact=email).exists() or \
            User.objects.filter(email__iexact=email).exists():
        raise SetupError(f"A user with the email {email} already exists: choose another email, "
                         "or sign in as that user.")
    candidate = User(username=email, email=email, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        raise SetupError("The password is not strong enough: " + " ".join(exc.messages)
                         + " Choose another.") from None
    with transaction.atomic():
        home, _ = Agency.objects.get_or_create(name=agency.strip())
        candidate.set_password(password)
        candidate.save()
        Membership.objects.create(user=candidate, agency=home, role=Role.ADMINISTRATOR)
    return candidate
