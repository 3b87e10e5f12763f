"""Inviting a person: a one-time link by email with which they choose their own password.

The link is Django's password-reset token made with its own salt, so a reset link cannot be used
as an invitation or the other way round. The token hashes the user's password field, so it works
once: setting the password (or sending a new invitation, which gives a fresh unusable password)
spends every earlier link. Links expire after ``PASSWORD_RESET_TIMEOUT`` (three days).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .audit import record_email


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "safecity.web.partnerships.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user) -> str:
    return reverse("accept_invitation", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": invitation_tokens.make_token(user)})


def send_invitation(user, *, base_url: str, invited_by) -> None:
    """Spend any earlier link and email ``user`` a new one."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    who = invited_by.get_full_name() or invited_by.get_username()
    member = user.membership
    subject = "You are invited to the Community Safety Partnership's safecity"
    body = (f"Dear {user.get_full_name() or user.get_username()},\n\n"
            f"{who} has invited you to safecity as {member.get_role_display().lower()} for "
            f"{member.agency}.\n\n"
            f"Choose your password here (the link works once, for 3 days):\n"
            f"{base_url}{invitation_path(user)}\n\n"
            f"Your user name is: {user.get_username()}\n\n"
            "If you did not expect this email, you can ignore it.\n")
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    record_email(user, [user.email], subject)
