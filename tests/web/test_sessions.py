"""The session store renews the sliding expiry at most once a minute, never losing a change."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from safecity.web.partnerships.sessions import RENEW_SECONDS, SessionStore


def _stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _age_stored_expiry(client, seconds: int) -> dt.datetime:
    """Pretend the session was last renewed ``seconds`` ago."""
    expiry = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - seconds)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=expiry)
    return expiry


def test_the_session_is_configured_to_use_the_renewing_store():
    assert settings.SESSION_ENGINE == "safecity.web.partnerships.sessions"


def test_a_page_view_soon_after_a_renewal_does_not_write_the_session(client, world):
    client.force_login(world.users["councillor"])
    expiry = _age_stored_expiry(client, 10)
    assert client.get(reverse("account")).status_code == 200
    assert _stored(client).expire_date == expiry


def test_a_page_view_a_minute_after_the_last_renewal_pushes_the_expiry_a_full_age_ahead(
        client, world):
    client.force_login(world.users["councillor"])
    before = _age_stored_expiry(client, RENEW_SECONDS + 5)
    started = timezone.now()
    assert client.get(reverse("account")).status_code == 200
    renewed = _stored(client).expire_date
    assert renewed > before
    assert renewed >= started + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_stay_signed_in_always_renews_the_session(client, world):
    client.force_login(world.users["councillor"])
    before = _age_stored_expiry(client, 10)
    assert client.get(reverse("keep_alive")).status_code == 204
    assert _stored(client).expire_date > before


def test_a_session_idle_past_its_age_is_signed_out(client, world):
    client.force_login(world.users["councillor"])
    _age_stored_expiry(client, settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse("account"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_change_inside_a_stored_value_is_saved_even_soon_after_a_renewal(db):
    store = SessionStore()
    store["plan"] = {"rows": [1]}
    store.save()
    again = SessionStore(store.session_key)
    again["plan"]["rows"].append(2)  # nested change: Django does not mark the session modified
    assert not again.modified
    again.save()
    assert SessionStore(store.session_key)["plan"] == {"rows": [1, 2]}


def test_an_unchanged_session_read_soon_after_saving_is_not_written_again(db):
    store = SessionStore()
    store["who"] = "councillor"
    store.save()
    stored = Session.objects.get(session_key=store.session_key)
    again = SessionStore(store.session_key)
    assert again["who"] == "councillor"
    again.save()
    assert Session.objects.get(session_key=store.session_key).session_data == \
        stored.session_data
