"""Production profile: everything ``manage.py check --deploy`` asks for.

Select it with ``DJANGO_SETTINGS_MODULE=section307.config.production``. It refuses to
start without a real secret key and allowed hosts from the environment.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import env_bool, env_list

DEBUG = False
SECTION307_PRODUCTION = True
WHITENOISE_USE_FINDERS = False
SECRET_KEY = os.environ.get("SECTION307_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECTION307_SECRET_KEY must be set to a random value of 50+ characters.")
ALLOWED_HOSTS = env_list("SECTION307_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SECTION307_ALLOWED_HOSTS must list the site's host names.")

SECURE_SSL_REDIRECT = env_bool("SECTION307_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECTION307_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECTION307_INPROCESS_WORKER = env_bool("SECTION307_INPROCESS_WORKER", False)
SECTION307_REQUIRE_STAFF_MFA = env_bool("SECTION307_REQUIRE_STAFF_MFA", True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
