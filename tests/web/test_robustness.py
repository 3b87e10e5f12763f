"""Robustness of every route: ids beyond 64 bits, 500s logged with their traceback,
``Cache-Control: no-store`` on signed-in pages, and drafts hidden from read-only members."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.converters import IntConverter

from safecity.web.converters import IdConverter
from safecity.web.strategy.models import Update
from safecity.web.strategy.updates import save_update

HUGE = str(2**64 + 5)  # beyond BigAutoField; 2**63 is the first id out of range
JUST_OUT = str(2**63)


def _patterns(patterns=None, prefix=""):
    """(route string with <converter:name> parts, pattern) for every URL but the admin site."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _with_ids():
    """Routes with a number in them (every part a number: an invitation's token is text)."""
    return [(route, p) for route, p in _patterns() if p.pattern.converters and all(
        isinstance(c, (IdConverter, IntConverter)) for c in p.pattern.converters.values())]


def test_every_url_with_a_record_id_uses_the_id_converter():
    routes = _with_ids()
    assert len(routes) >= 14
    for route, pattern in _patterns():
        for name, converter in pattern.pattern.converters.items():
            assert not isinstance(converter, IntConverter), (route, name)


@pytest.mark.parametrize("number", [HUGE, JUST_OUT, "9" * 40])
@pytest.mark.parametrize("persona", ["administrator", "coordinator"])
def test_an_id_beyond_64_bits_is_not_found_on_every_route(world, persona, number):
    import re

    client = Client(raise_request_exception=False)
    client.force_login(world.users[persona])
    for route, _ in _with_ids():
        url = "/" + re.sub(r"<[^>]+>", number, route)
        for method in ("get", "post"):
            assert getattr(client, method)(url).status_code == 404, (method, url)
    # one id in range, the other beyond it
    url = f"/strategy/cycles/{world.cycle.pk}/actions/{HUGE}/"
    assert client.get(url).status_code == 404


def _boom(request):
    raise RuntimeError("a deliberate failure for the log test")


def _urlpatterns():
    from safecity.web.urls import urlpatterns as app

    return [path("boom/", _boom), *app]


urlpatterns = _urlpatterns()


def test_every_500_is_logged_with_its_traceback(world, settings):
    """Through the logging configuration the app runs with (DEBUG off): django.request's
    handler writes the error and its traceback to the server's log."""
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    logger = logging.getLogger("django.request")
    handlers = [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
    assert handlers, "django.request has no handler of its own"
    stream = io.StringIO()
    old = [h.setStream(stream) for h in handlers]
    try:
        client = Client(raise_request_exception=False)
        client.force_login(world.users["councillor"])
        response = client.get("/boom/")
    finally:
        for h, s in zip(handlers, old):
            h.setStream(s)
    assert response.status_code == 500
    log = stream.getvalue()
    assert "Internal Server Error: /boom/" in log
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: a deliberate failure for the log test" in log


def test_signed_in_pages_are_never_stored_by_a_cache(client, world):
    client.force_login(world.users["councillor"])
    for url in ("/", "/account/", f"/strategy/{world.strategy.pk}/",
                f"/scorecard/{world.strategy.pk}/", f"/papers/cycles/{world.closed.pk}/",
                f"/papers/cycles/{world.closed.pk}/paper.docx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_members_never_see_a_drafts_rag_or_text(client, world):
    """The open cycle holds a submitted (amber) update and a council draft (green); the
    councillor sees neither status nor text, on the cycle page, the action page or the update
    page, while the coordinator sees both."""
    save_update(Update(cycle=world.cycle, action=world.joint_action), world.users["council_lead"],
                rag="green", text="Draft joint text", expected_version=0, submit=False)
    drafts = ("Amber", "Police text", "Draft joint text", ">Draft<", ">Submitted<")
    pages = {f"/strategy/cycles/{world.cycle.pk}/": ("Green", *drafts),
             f"/strategy/actions/{world.joint_action.pk}/": ("Green", *drafts),
             # the police action's approved (green) update of the closed cycle is published
             f"/strategy/actions/{world.police_action.pk}/": drafts}
    client.force_login(world.users["councillor"])
    for url, secrets in pages.items():
        page = client.get(url).content.decode()
        for secret in secrets:
            assert secret not in page, (url, secret)
    for action in (world.joint_action, world.police_action):
        url = f"/strategy/cycles/{world.cycle.pk}/actions/{action.pk}/"
        assert client.get(url).status_code == 403
    client.force_login(world.users["coordinator"])
    page = client.get(f"/strategy/cycles/{world.cycle.pk}/").content.decode()
    assert "Green" in page and "Amber" in page and ">Draft<" in page
