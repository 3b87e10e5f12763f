"""Security: headers, sign-in required, session expiry, production settings that fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

PROD_ENV = {
    "SAFECITY_SECRET_KEY": "k" * 20 + "Zq8#vL2!pR5$wX9@mN4^bT7&cY1*eU6(hJ3)",
    "SAFECITY_ALLOWED_HOSTS": "safecity.example.gov.uk",
    "DATABASE_URL": "postgres://safecity:secret@localhost:5432/safecity",
}


def _manage(*args, env_extra=None, drop=()):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SAFECITY_", "DATABASE_URL", "DJANGO_SETTINGS"))}
    env.update({"DJANGO_SETTINGS_MODULE": "safecity.web.settings_production",
                "SAFECITY_HOME": os.environ["SAFECITY_HOME"]})
    env.update(env_extra or {})
    for key in drop:
        env.pop(key, None)
    return subprocess.run([sys.executable, "-m", "django", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_is_clean_with_the_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", sorted(PROD_ENV))
def test_the_production_settings_fail_loudly_when_a_secret_is_missing(missing):
    result = _manage("check", env_extra=PROD_ENV, drop=(missing,))
    assert result.returncode != 0
    assert f"The environment variable {missing} is not set" in result.stderr


def test_the_production_settings_refuse_a_weak_secret_key():
    result = _manage("check", env_extra={**PROD_ENV, "SAFECITY_SECRET_KEY": "short"})
    assert result.returncode != 0 and "too weak" in result.stderr


def test_a_bad_environment_value_fails_loudly_naming_the_variable(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from safecity.web.environment import value

    monkeypatch.setenv("SAFECITY_SESSION_MINUTES", "half an hour")
    with pytest.raises(ImproperlyConfigured, match="SAFECITY_SESSION_MINUTES='half an hour'"):
        value("SAFECITY_SESSION_MINUTES")
    monkeypatch.setenv("SAFECITY_DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SAFECITY_DEBUG"):
        value("SAFECITY_DEBUG")


def test_every_response_carries_the_security_headers(client, world):
    client.force_login(world.users["councillor"])
    response = client.get(reverse("strategy:strategy", args=[world.strategy.pk]))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_no_page_has_an_inline_script_or_style(client, world):
    client.force_login(world.users["coordinator"])
    for url in ("/", reverse("strategy:strategy", args=[world.strategy.pk]),
                reverse("dashboards:scorecard", args=[world.strategy.pk]),
                reverse("strategy:update_edit", args=[world.cycle.pk, world.police_action.pk])):
        page = client.get(url).content.decode()
        assert "<script>" not in page and " style=" not in page and "<style" not in page, url


def test_signed_out_people_are_sent_to_sign_in(client, world):
    response = client.get(reverse("strategy:strategy", args=[world.strategy.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_sessions_expire_on_the_server_and_the_page_carries_the_warning_timings(client, world):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(world.users["councillor"])
    page = client.get(reverse("account")).content.decode()
    assert 'data-session-seconds="1800"' in page and "Stay signed in" in page


def test_repeated_failed_sign_ins_are_locked_out_by_axes(client, world):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "councillor", "password": "wrong"})
    locked = client.post(url, {"username": "councillor",
                               "password": "correct-horse-battery-staple"})
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()


def test_the_sign_in_form_signs_a_person_in(client, world):
    response = client.post(reverse("login"), {"username": "councillor",
                                              "password": "correct-horse-battery-staple"})
    assert response.status_code == 302


def test_weak_passwords_are_refused_by_the_validators(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password1", world.users["councillor"])
