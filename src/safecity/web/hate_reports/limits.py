"""A per-address rate limit for public forms, on Django's cache.

django-axes limits sign-in attempts only; a public form with no account needs a limit of its own.
The counter is kept under a hash of the address (the address itself is never stored), in a
sliding window: the current fixed window's count plus the previous window's, weighted by how
much of it the sliding window still covers (the "sliding window counter"), so a burst cannot
double the limit by straddling a window's edge. With the default per-process cache each server worker counts separately, so the limit
is at most ``workers`` times the number; production configures a shared cache (docs).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, request) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{client_address(request)}".encode()).hexdigest()
    return f"rate:{scope}:{digest[:32]}"


def allow(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one attempt from the request's address; False once more than ``limit`` attempts
    were made in the last ``window`` seconds (estimated from this and the previous window)."""
    now = time.time()
    bucket = int(now // window)
    key = f"{_key(scope, request)}:{bucket}"
    if cache.add(key, 1, timeout=2 * window):
        current = 1
    else:
        try:
            current = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=2 * window)
            current = 1
    previous = cache.get(f"{_key(scope, request)}:{bucket - 1}", 0)
    still_covered = 1 - (now - bucket * window) / window
    return current + previous * still_covered <= limit
