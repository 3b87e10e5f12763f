"""A per-address rate limit for public forms, on Django's cache.

django-axes limits sign-in attempts only; a public form with no account needs a limit of its own.
The counter is kept under a hash of the address (the address itself is never stored), in a fixed
window. With the default per-process cache each server worker counts separately, so the limit
is at most ``workers`` times the number; production configures a shared cache (docs).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, request, window: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{client_address(request)}".encode()).hexdigest()
    return f"rate:{scope}:{digest[:32]}:{int(time.time()) // window}"


def allow(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one attempt from the request's address; False once ``limit`` attempts were made
    in the current ``window`` seconds."""
    key = _key(scope, request, window)
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit
