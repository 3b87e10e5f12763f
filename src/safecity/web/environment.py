"""The web app's environment variables, one registry with a help string each.

``settings.py`` and ``settings_production.py`` read the environment only through ``value()``, so
``docs/configuration.md`` can be checked against ``VARIABLES`` by a test. A bad value fails loudly
with a sentence naming the variable; a variable marked ``required_in_production`` that is missing
stops the production settings from loading.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable

from django.core.exceptions import ImproperlyConfigured


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _positive_int(text: str) -> int:
    number = int(text)
    if number < 0:
        raise ValueError("expected a whole number of zero or more")
    return number


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


@dataclass(frozen=True)
class Variable:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str
    required_in_production: bool = False


VARIABLES: dict[str, Variable] = {v.name: v for v in (
    Variable("DATABASE_URL", None, "Database URL (dj-database-url syntax), e.g. "
             "postgres://user:pass@host:5432/safecity. Unset: SQLite at "
             "$SAFECITY_HOME/web.sqlite3.", required_in_production=True),
    Variable("SAFECITY_SECRET_KEY", None, "Django SECRET_KEY: a long random string kept secret. "
             "Development uses a fixed insecure key when unset; production refuses to start "
             "without it.", required_in_production=True),
    Variable("SAFECITY_ALLOWED_HOSTS", ["127.0.0.1", "localhost"], "Comma-separated host names "
             "the app answers to, e.g. safecity.example.gov.uk.", _list,
             required_in_production=True),
    Variable("SAFECITY_CSRF_TRUSTED_ORIGINS", [], "Comma-separated origins trusted for form "
             "posts behind a proxy, e.g. https://safecity.example.gov.uk.", _list),
    Variable("SAFECITY_DEBUG", False, "Show Django debug pages (development only; never in "
             "production).", _bool),
    Variable("SAFECITY_SESSION_MINUTES", 30, "Minutes of inactivity before a signed-in session "
             "expires; a warning appears two minutes before.", _positive_int),
    Variable("SAFECITY_HSTS_SECONDS", 31536000, "Strict-Transport-Security max-age sent by the "
             "production settings.", _positive_int),
    Variable("SAFECITY_EMAIL_HOST", None, "SMTP server for reminder emails. Unset: emails are "
             "printed to the console."),
    Variable("SAFECITY_EMAIL_PORT", 587, "SMTP port.", _positive_int),
    Variable("SAFECITY_EMAIL_USER", "", "SMTP user name."),
    Variable("SAFECITY_EMAIL_PASSWORD", "", "SMTP password."),
    Variable("SAFECITY_EMAIL_USE_TLS", True, "Use STARTTLS with the SMTP server.", _bool),
    Variable("SAFECITY_FROM_EMAIL", "safecity@localhost", "Sender address of reminder emails."),
    Variable("SAFECITY_LOGIN_FAILURE_LIMIT", 5, "Failed sign-ins before django-axes locks the "
             "user name and address out.", _positive_int),
    Variable("SAFECITY_LOCKOUT_MINUTES", 15, "Minutes a locked-out sign-in stays locked.",
             _positive_int),
    Variable("SAFECITY_DEMO_PASSWORD", "safecity-demo-2024", "Password given to every demo user "
             "by `safecity web demo`. The default is public: never use the demo users outside "
             "a demonstration."),
)}


def value(name: str, *, production: bool = False) -> Any:
    """The variable's value from the environment, parsed, else its default.

    Raises ImproperlyConfigured with a sentence when the value is bad, or when ``production`` is
    set and a required variable is missing.
    """
    variable = VARIABLES[name]
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        if production and variable.required_in_production:
            raise ImproperlyConfigured(
                f"The environment variable {name} is not set, and production needs it: "
                f"{variable.help}")
        return variable.default
    try:
        return variable.parse(raw)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"The environment variable {name}={raw!r} is not valid ({exc}). "
            f"Set it to a valid value or unset it. It means: {variable.help}") from None
