"""Django's model backend, loading the signed-in user's membership and agency with the user.

Every signed-in page asks for the user (from the session) and then for their membership (the
role and agency that decide access). Both come from one join on every request, read with
``web.rows`` rather than a QuerySet (the same row, without compiling the query each time).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from ..rows import select_joined, table
from .models import Agency, Membership


class MembershipModelBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:  # a malformed id in a session is no user
            return None
        found = select_joined(
            [(User, "u"), (Membership, "m"), (Agency, "a")],
            f"FROM {table(User)} u LEFT JOIN {table(Membership)} m ON m.user_id = u.id "
            f"LEFT JOIN {table(Agency)} a ON a.id = m.agency_id WHERE u.id = %s", [user_id])
        if not found:
            return None
        user, membership, agency = found[0]
        if membership is not None:
            membership.agency = agency  # the loaded rows: no query when the page asks
            user.membership = membership
        return user if self.user_can_authenticate(user) else None
