"""Django's model backend, loading the signed-in user's membership and agency with the user.

Every signed-in page asks for the user (from the session) and then for their membership (the
role and agency that decide access), so both come with the user in one query
(``select_related`` over the one-to-one membership and its agency).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError


class MembershipModelBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("membership__agency").get(pk=user_id)
        except (User.DoesNotExist, ValidationError, ValueError, TypeError, OverflowError):
            return None  # no such user, or a malformed id in a session
        return user if self.user_can_authenticate(user) else None
