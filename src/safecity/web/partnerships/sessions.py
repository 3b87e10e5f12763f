"""Database sessions whose sliding expiry is renewed at most once a minute.

``SESSION_SAVE_EVERY_REQUEST`` gives the idle timeout: every request pushes the stored expiry
``SESSION_COOKIE_AGE`` seconds ahead. Done literally, that is a database write (and on SQLite a
commit) on every page view, which was the largest single cost of a request. This store skips the
write when nothing in the session changed and the stored expiry was renewed less than
``RENEW_SECONDS`` ago, so a session still ends after at most ``SESSION_COOKIE_AGE`` seconds of
inactivity, and never sooner than ``SESSION_COOKIE_AGE - RENEW_SECONDS``; the page's warning
comes ``SESSION_WARNING_SECONDS`` (120) before the full age, so it always precedes the expiry.

    SESSION_ENGINE = "safecity.web.partnerships.sessions"
"""

from __future__ import annotations

import copy
import datetime as dt

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

RENEW_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    _stored_expiry: dt.datetime | None = None
    _stored_data: dict | None = None

    def _get_session_from_db(self):
        """The unexpired row for this key, as Django's store reads it, remembering its expiry."""
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def load(self) -> dict:
        data = super().load()
        # A copy, so a change made inside a nested value (without setting ``modified``) is seen.
        self._stored_data = copy.deepcopy(data) if self._stored_expiry is not None else None
        return data

    def _renewed_recently(self) -> bool:
        if self._stored_expiry is None or self._stored_data is None:
            return False
        if self._session != self._stored_data:
            return False
        wanted = self.get_expiry_date()  # now + the session's age
        return wanted - self._stored_expiry < dt.timedelta(seconds=RENEW_SECONDS)

    def save(self, must_create: bool = False) -> None:
        if not must_create and not self.modified and self.session_key is not None \
                and self._renewed_recently():
            return
        super().save(must_create=must_create)
        self._stored_expiry = self.get_expiry_date()
        self._stored_data = copy.deepcopy(self._get_session(no_load=True))

    def clear(self) -> None:
        super().clear()
        self._stored_expiry = self._stored_data = None

    def cycle_key(self) -> None:
        super().cycle_key()  # a new key is a new row: always written
        self._stored_expiry = self._stored_data = None
