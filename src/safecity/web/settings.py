"""Development settings: zero configuration, SQLite under $SAFECITY_HOME, console email.

Every value that may change comes from ``environment.py`` (documented in docs/configuration.md).
Production settings (``settings_production.py``) start from these and tighten them.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from ..engine import settings as engine_settings
from .environment import value

BASE_DIR = Path(__file__).resolve().parent
PRODUCTION = False

SECRET_KEY = value("SAFECITY_SECRET_KEY") or "django-insecure-development-only-never-in-production"
DEBUG = value("SAFECITY_DEBUG")
ALLOWED_HOSTS = value("SAFECITY_ALLOWED_HOSTS") + ["testserver"]
CSRF_TRUSTED_ORIGINS = value("SAFECITY_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "safecity.web.partnerships",
    "safecity.web.strategy",
    "safecity.web.dashboards",
    "safecity.web.pages",
    "safecity.web.reports",
    "safecity.web.hate_reports",
    "safecity.web.casereviews",
    "safecity.web.governance",
    "safecity.web.intelligence",
    "safecity.web.actiongroups",
    "safecity.web.evidence",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "safecity.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads a body (the CSRF check in process_view parses uploads).
    "safecity.web.middleware.BoundedRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "safecity.web.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safecity.web.partnerships.audit.AuditMiddleware",
    # axes last, as its documentation asks
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safecity.web.urls"
WSGI_APPLICATION = "safecity.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "safecity.web.partnerships.context.membership",
    ]},
}]

_database_url = value("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    _home = engine_settings.home()
    _home.mkdir(parents=True, exist_ok=True)  # SQLite cannot create the folder itself
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(_home / "web.sqlite3"),
        # WAL lets the served app read while a request writes. synchronous=NORMAL is SQLite's
        # advice for WAL: a commit no longer waits for the disk (fsync happens at checkpoints),
        # which took about 10 ms off every writing request; the database cannot be corrupted
        # by a crash, though a power cut may lose the last commits.
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    "transaction_mode": "IMMEDIATE", "timeout": 20},
        # Keep each server thread's connection: opening one runs the PRAGMAs and registers
        # Django's SQL functions, about half a millisecond of CPU per request otherwise.
        "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "safecity.web.partnerships.backends.MembershipModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "strategy:home"
LOGOUT_REDIRECT_URL = "pages:home"

# Sliding server-side expiry: each request renews the session; idle sessions end. The store
# writes the renewal at most once a minute (see partnerships/sessions.py for the bounds).
SESSION_ENGINE = "safecity.web.partnerships.sessions"
SESSION_COOKIE_AGE = value("SAFECITY_SESSION_MINUTES") * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_WARNING_SECONDS = 120

AXES_FAILURE_LIMIT = value("SAFECITY_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = value("SAFECITY_LOCKOUT_MINUTES") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline scripts or styles anywhere: GOV.UK's js-enabled switch lives in a static file.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'")
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                      "magnetometer=(), microphone=(), payment=(), usb=()")

# Request bodies (middleware.BoundedRequestMiddleware refuses longer ones before reading them).
# The largest legitimate body is a plan upload (strategy/import_forms.py, 5 MB) plus its form.
MAX_REQUEST_BYTES = 6 * 1024 * 1024
SIGNED_OUT_MAX_BODY_BYTES = 64 * 1024  # sign-in and public forms; signed-out uploads are refused
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # form fields other than files
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES  # an accepted upload never goes to disk
DATA_UPLOAD_MAX_NUMBER_FILES = 5

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"

STATIC_URL = "/static/"
STATIC_ROOT = None  # development serves from the source folders (below); production collects
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the source folders, so no collectstatic step is needed to run the app.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

_email_host = value("SAFECITY_EMAIL_HOST")
if _email_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email_host
    EMAIL_PORT = value("SAFECITY_EMAIL_PORT")
    EMAIL_HOST_USER = value("SAFECITY_EMAIL_USER")
    EMAIL_HOST_PASSWORD = value("SAFECITY_EMAIL_PASSWORD")
    EMAIL_USE_TLS = value("SAFECITY_EMAIL_USE_TLS")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = value("SAFECITY_FROM_EMAIL")

# Days before a cycle's deadline from which actions still lacking an update are chased.
CHASE_DAYS_BEFORE_DEADLINE = 7

# Every 500 is logged with its traceback, whatever DEBUG says: Django's own configuration sends
# django.request's errors to the console only when DEBUG is on (and by email when ADMINS is
# set), so without this line a production 500 left no trace. The server's log is stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
