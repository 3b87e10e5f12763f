"""Production settings: secrets from the environment, HTTPS only, fail loudly when missing.

    SAFECITY_SECRET_KEY=… SAFECITY_ALLOWED_HOSTS=safecity.example.gov.uk \\
    DATABASE_URL=postgres://… DJANGO_SETTINGS_MODULE=safecity.web.settings_production \\
    safecity web manage check --deploy
"""

from __future__ import annotations

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ..engine import settings as engine_settings
from .environment import value
from .settings import *  # noqa: F401,F403  (start from development, then tighten)

PRODUCTION = True
DEBUG = False
SECRET_KEY = value("SAFECITY_SECRET_KEY", production=True)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("The environment variable SAFECITY_SECRET_KEY is too weak: use at "
                               "least 50 random characters, e.g. from `python -c \"import "
                               "secrets; print(secrets.token_urlsafe(50))\"`.")
ALLOWED_HOSTS = value("SAFECITY_ALLOWED_HOSTS", production=True)
DATABASES = {"default": dj_database_url.parse(value("DATABASE_URL", production=True),
                                              conn_max_age=60)}

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = value("SAFECITY_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
WHITENOISE_USE_FINDERS = False
STATIC_ROOT = engine_settings.home() / "static"  # filled by `safecity web manage collectstatic`
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
