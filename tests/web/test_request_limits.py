"""Request bodies are bounded for everyone, and a signed-out upload is refused unread.

The requests go through the real WSGI handler (every middleware, as `safecity web serve` runs
it) with a body stream that counts what is read from it, so "cut off early" is measured, not
assumed. Before the limit, a 300 MB signed-out POST to /strategy/import/ was read whole and
written to /tmp before the sign-in redirect.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safecity.web.partnerships.models import Agency, Membership, Role

sys.path.insert(0, str(Path(__file__).parent))
from fixtures_docx import progress_table_docx  # noqa: E402

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "----safecity-test-boundary"


class CountingBody:
    """A request body of ``length`` bytes made on demand, counting how much is read."""

    def __init__(self, length: int) -> None:
        self.length, self.read_bytes = length, 0
        self.head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"plan\"; "
                     "filename=\"plan.docx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                     ).encode()

    def read(self, size: int = -1) -> bytes:
        left = self.length - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        start = self.read_bytes
        self.read_bytes += size
        chunk = (self.head[start:start + size] if start < len(self.head) else b"")
        return chunk + b"A" * (size - len(chunk))

    def readline(self, size: int = -1) -> bytes:
        return self.read(size if size and size > 0 else 8192)


def _post(length: int, cookies: dict[str, str]) -> tuple[int, bytes, CountingBody]:
    body = CountingBody(length)
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": reverse("strategy:import"), "SCRIPT_NAME": "",
        "QUERY_STRING": "", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(length), "HTTP_X_CSRFTOKEN": "a" * 32,
        "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "wsgi.input": body, "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status: list[str] = []
    chunks = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    content = b"".join(chunks)
    return int(status[0].split()[0]), content, body


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real handler closes database connections when a request starts and finishes
    (``close_old_connections``); in a test that closes the test's own transaction (PostgreSQL
    then says "the connection is closed"). Django's test client disconnects it the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _spooled_files() -> set[str]:
    return set(os.listdir(tempfile.gettempdir()))


@pytest.fixture
def coordinator_cookies(client):
    agency = Agency.objects.create(name="Harbourside City Council")
    user = get_user_model().objects.create_user("coordinator", password="not-used-in-tests-1")
    Membership.objects.create(user=user, agency=agency, role=Role.COORDINATOR)
    client.force_login(user)
    return {name: morsel.value for name, morsel in client.cookies.items()}


def test_a_signed_out_200_mb_upload_is_refused_before_its_body_is_read():
    before = _spooled_files()
    status, content, body = _post(200 * MB, {"csrftoken": "a" * 32})
    assert status == 413 and b"6 MB" in content
    assert body.read_bytes == 0
    assert not {f for f in _spooled_files() - before if f.endswith(".upload")}


def test_a_signed_out_upload_well_within_the_size_limit_is_still_refused_unread():
    status, content, body = _post(2 * MB, {"csrftoken": "a" * 32})
    assert status == 413 and content == b"Sign in before uploading a file.\n"
    assert body.read_bytes == 0


def test_a_signed_in_coordinator_cannot_send_more_than_the_limit_either(coordinator_cookies):
    status, _, body = _post(7 * MB, coordinator_cookies)
    assert status == 413 and body.read_bytes == 0


def test_a_signed_in_coordinator_upload_within_the_limit_is_read(coordinator_cookies):
    status, _, body = _post(1 * MB, {**coordinator_cookies, "csrftoken": "a" * 32})
    # Read whole; the upload form then says what is wrong with the (unterminated) body.
    assert body.read_bytes == 1 * MB and status == 200


def test_the_ordinary_upload_and_sign_in_still_work(client, coordinator_cookies):
    response = client.post(reverse("strategy:import"), {"plan": SimpleUploadedFile(
        "progress.docx", progress_table_docx()[0])})
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("login"), {"username": "coordinator",
                                              "password": "not-used-in-tests-1"})
    assert response.status_code == 302


def test_a_non_numeric_content_length_is_refused():
    environ_length = "12abc"
    body = CountingBody(10)
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "SERVER_NAME": "testserver",
               "SERVER_PORT": "80", "CONTENT_LENGTH": environ_length, "wsgi.input": body,
               "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr}
    status: list[str] = []
    b"".join(WSGIHandler()(environ, lambda s, h, e=None: status.append(s)))
    assert status[0].startswith("400") and body.read_bytes == 0
