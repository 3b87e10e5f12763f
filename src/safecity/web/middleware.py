"""Security headers Django 5.2 does not set itself: Content-Security-Policy and
Permissions-Policy (X-Content-Type-Options, Referrer-Policy, X-Frame-Options and HSTS come from
Django's own middleware and settings); request bodies bounded before they are read; and
``Cache-Control: no-store`` for signed-in pages."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class BoundedRequestMiddleware:
    """Refuse a request body before anything reads it: any body longer than
    ``MAX_REQUEST_BYTES`` (413), and from someone not signed in any body longer than
    ``SIGNED_OUT_MAX_BODY_BYTES`` (413): the sign-in and public forms are a few kilobytes, and
    a signed-out client has nothing to upload. Runs just after authentication and before any
    view or the CSRF check, which would parse the body and spool uploads to disk; Django's own
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only applies once parsing has begun.

    Knowing who is signed in reads the session cookie, never the body. A body sent without a
    Content-Length is never read by Django (it reads Content-Length bytes), so the header is
    the one to check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return _refuse(request, 400, "The request's Content-Length is not a number.")
        if length > settings.MAX_REQUEST_BYTES:
            return _refuse(request, 413, f"The request is larger than "
                           f"{settings.MAX_REQUEST_BYTES // 2**20} MB, the most safecity accepts. "
                           "Upload a smaller file.")
        if length > settings.SIGNED_OUT_MAX_BODY_BYTES and not request.user.is_authenticated:
            return _refuse(request, 413, "Sign in before uploading a file.")
        return self.get_response(request)


def _refuse(request, status: int, sentence: str):
    # Plain text: the client may still be sending the body, and a page rendered from templates
    # would read the session and messages for nothing.
    response = HttpResponse(sentence + "\n", status=status,
                            content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in person: their pages carry
    partnership records (and unpublished updates), which no browser or proxy cache may keep for
    the next person at a shared computer. Placed after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True,
                                max_age=0)
        return response
