"""Template context: the signed-in user's membership and the session warning timings."""

from django.conf import settings


def membership(request):
    user = getattr(request, "user", None)
    member = getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    return {"membership": member, "session_seconds": settings.SESSION_COOKIE_AGE,
            "session_warning_seconds": settings.SESSION_WARNING_SECONDS}
