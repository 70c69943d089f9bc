"""Settings for section307, read from the environment.

Development defaults need nothing installed: SQLite under ``var/``, files under
``var/media``, the database task backend run by an in-process worker. The
production profile (``section307.config.production``) tightens everything that
``manage.py check --deploy`` looks at.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("SECTION307_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("SECTION307_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _development_secret_key() -> str:
    # A per-checkout key kept outside the repository, so no secret is ever committed.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


# The default run serves as production would (no technical error pages, styled 4xx/5xx);
# SECTION307_DEBUG=1 turns Django's debug pages on for development.
DEBUG = env_bool("SECTION307_DEBUG", False)
# The production profile (config/production.py) sets this: keys must then come from the environment.
SECTION307_PRODUCTION = False
SECRET_KEY = os.environ.get("SECTION307_SECRET_KEY") or _development_secret_key()
# Previous keys, still accepted for sessions and signed values while a new SECRET_KEY rolls out.
SECRET_KEY_FALLBACKS = env_list("SECTION307_SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("SECTION307_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SECTION307_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "section307.core",
    "section307.accounts",
    "section307.geo",
    "section307.parties",
    "section307.goods",
    "section307.orders",
    "section307.refdata",
    "section307.allegations",
    "section307.cases",
    "section307.ports",
    "section307.trade",
    "section307.ipr",
    "section307.metrics",
    "section307.supplychain",
    "section307.parcels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "section307.accounts.middleware.StaffMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "section307.core.middleware.NoStoreMiddleware",
    "section307.core.middleware.InputRulesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "section307.core.middleware.SecurityHeadersMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "section307.core.publiccache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "section307.config.urls"
WSGI_APPLICATION = "section307.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "section307.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'section307.sqlite3'}",
        conn_max_age=int(os.environ.get("SECTION307_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process task worker write while requests read.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "work:queue"
LOGOUT_REDIRECT_URL = "core:home"

# Multi-factor sign-in (django-otp): staff roles (everyone but trade users) must pass a TOTP code or a
# recovery code after their password when this is on. Off for the local demo, on in production.
SECTION307_REQUIRE_STAFF_MFA = env_bool("SECTION307_REQUIRE_STAFF_MFA", False)
OTP_TOTP_ISSUER = os.environ.get("SECTION307_OTP_ISSUER", "section307")

# --- OpenID Connect sign-in (section307.accounts.oidc) -------------------------------------------
# Off unless SECTION307_OIDC_CLIENT_ID is set. Endpoints come from the provider's discovery document
# (/.well-known/openid-configuration). Login.gov: private_key_jwt with our RSA key, acr_values for the
# identity assurance level, and SECTION307_OIDC_MFA_BY_IDP=1 (it always signs in with two factors).
SECTION307_OIDC_ENABLED = bool(os.environ.get("SECTION307_OIDC_CLIENT_ID"))
SECTION307_OIDC_ISSUER = os.environ.get("SECTION307_OIDC_ISSUER", "")
SECTION307_OIDC_TOKEN_AUTH = os.environ.get("SECTION307_OIDC_TOKEN_AUTH", "private_key_jwt")
SECTION307_OIDC_PRIVATE_KEY = os.environ.get("SECTION307_OIDC_PRIVATE_KEY", "") or (
    Path(os.environ["SECTION307_OIDC_PRIVATE_KEY_FILE"]).read_text()
    if os.environ.get("SECTION307_OIDC_PRIVATE_KEY_FILE")
    else ""
)
SECTION307_OIDC_LABEL = os.environ.get("SECTION307_OIDC_LABEL", "Sign in with your agency account")
SECTION307_OIDC_MFA_BY_IDP = env_bool("SECTION307_OIDC_MFA_BY_IDP", False)
OIDC_RP_CLIENT_ID = os.environ.get("SECTION307_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("SECTION307_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("SECTION307_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("SECTION307_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("SECTION307_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("SECTION307_OIDC_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("SECTION307_OIDC_LOGOUT_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("SECTION307_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("SECTION307_OIDC_SCOPES", "openid email")
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_CREATE_USER = env_bool("SECTION307_OIDC_CREATE_USERS", False)
OIDC_AUTH_REQUEST_EXTRA_PARAMS = (
    {"acr_values": os.environ["SECTION307_OIDC_ACR_VALUES"]} if os.environ.get("SECTION307_OIDC_ACR_VALUES") else {}
)
OIDC_TIMEOUT = 10
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if SECTION307_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("section307.accounts.oidc.Section307OIDCBackend")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CACHES = {
    "default": {
        # A shared cache so rate limits hold across worker processes.
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "section307_cache",
    },
    # Public pages for anonymous visitors, per process, keyed by the registry's version (core/publiccache.py).
    "public": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "section307-public",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# How often (seconds) a process asks the registry whether public pages changed: a published change
# reaches anonymous visitors within this delay. 0 asks on every request.
SECTION307_PUBLIC_VERSION_SECONDS = float(os.environ.get("SECTION307_PUBLIC_VERSION_SECONDS", "2"))
# Public statistics withhold any count from 1 to this minus one (docs/metrics.md, Suppression).
METRICS_MINIMUM_CELL = int(os.environ.get("SECTION307_METRICS_MINIMUM_CELL", "3"))
# Requests per client for the statistics page, its downloads and GET /api/v1/statistics (django-ratelimit
# rate; pages served from the public page cache are not counted).
METRICS_STATISTICS_RATE = os.environ.get("SECTION307_METRICS_STATISTICS_RATE", "60/m")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SECTION307_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Run the database task worker inside the web process (development and small installs).
SECTION307_INPROCESS_WORKER = env_bool("SECTION307_INPROCESS_WORKER", True)
# The daily-job scheduler thread started with the in-process worker, and its tick interval (seconds).
SECTION307_SCHEDULER = env_bool("SECTION307_SCHEDULER", True)
SECTION307_SCHEDULER_INTERVAL = float(os.environ.get("SECTION307_SCHEDULER_INTERVAL", "60"))
# Days a petitioner has to answer headquarters' question unless the reviewer sets a date.
SECTION307_PETITION_ANSWER_DAYS = int(os.environ.get("SECTION307_PETITION_ANSWER_DAYS", "30"))
# Days after submission by which a new allegation should be triaged (the analyst queue's date).
SECTION307_TRIAGE_DAYS = int(os.environ.get("SECTION307_TRIAGE_DAYS", "5"))

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# WhiteNoise serves static files in every profile. The local run serves them straight from the app
# folders (no collectstatic step); production serves collectstatic's compressed, hashed output.
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Uploads: larger files stream to disk; every app checks type and size itself.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "section307.core.views.ratelimited"
# Behind a reverse proxy: the header our proxies append the client address to (e.g. X-Forwarded-For)
# and how many of our proxies stand in front. Empty: the client is REMOTE_ADDR (no proxy). Every rate
# limit (sign-in, MFA, allegation intake and receipt codes) keys on section307.core.clientip.client_ip.
SECTION307_TRUSTED_PROXY_HEADER = os.environ.get("SECTION307_TRUSTED_PROXY_HEADER", "")
SECTION307_TRUSTED_PROXY_COUNT = int(os.environ.get("SECTION307_TRUSTED_PROXY_COUNT", "1"))
RATELIMIT_IP_META_KEY = "section307.core.clientip.client_ip"

# Development: one console line per message, the full message kept under var/mail (see core/mail.py).
EMAIL_BACKEND = os.environ.get("SECTION307_EMAIL_BACKEND", "section307.core.mail.ConciseConsoleBackend")
SECTION307_MAIL_DIR = Path(os.environ.get("SECTION307_MAIL_DIR", VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("SECTION307_FROM_EMAIL", "section307@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SECTION307_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Cases (section307.cases) -------------------------------------------------------------
# Largest evidence file accepted, in bytes.
CASES_EVIDENCE_MAX_BYTES = int(os.environ.get("SECTION307_EVIDENCE_MAX_BYTES", str(50 * 1024 * 1024)))


# --- Allegations (section307.allegations) ---------------------------------------------------
# Fernet keys (comma-separated, newest first) encrypt reporter identities and evidence files at rest;
# MultiFernet decrypts with any listed key: prepend a new key, run `section307 allegations rotate-keys`,
# then drop the old one. The receipt key is the HMAC key under which receipt codes are stored.
# Development generates both into VAR_DIR; with DEBUG off (the production profile) the app refuses to
# start unless both come from the environment (checked in the allegations app's ready()).
def _development_key(name: str, *, fernet: bool) -> str:
    key_file = VAR_DIR / name
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if fernet:
        from cryptography.fernet import Fernet

        key = Fernet.generate_key().decode()
    else:
        key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECTION307_KEYS_FROM_ENVIRONMENT = bool(
    os.environ.get("SECTION307_ENCRYPTION_KEYS") and os.environ.get("SECTION307_RECEIPT_KEY")
)
SECTION307_ENCRYPTION_KEYS = env_list("SECTION307_ENCRYPTION_KEYS", []) or [
    _development_key("encryption_key", fernet=True)
]
SECTION307_RECEIPT_KEY = os.environ.get("SECTION307_RECEIPT_KEY") or _development_key("receipt_key", fernet=False)
SECTION307_ALLEGATION_LIMITS = {
    "max_file_bytes": int(os.environ.get("SECTION307_ALLEGATION_MAX_FILE_MB", "25")) * 1024 * 1024,
    "max_files": int(os.environ.get("SECTION307_ALLEGATION_MAX_FILES", "10")),
    "max_total_bytes": int(os.environ.get("SECTION307_ALLEGATION_MAX_TOTAL_MB", "100")) * 1024 * 1024,
    "submit_rate": os.environ.get("SECTION307_ALLEGATION_SUBMIT_RATE", "10/h"),
    "receipt_rate": os.environ.get("SECTION307_ALLEGATION_RECEIPT_RATE", "10/15m"),
    "draft_days": int(os.environ.get("SECTION307_ALLEGATION_DRAFT_DAYS", "2")),
}

# --- Port enforcement and importer portal (section307.ports, section307.trade) ---
# Extensions a clock may receive (none once past due), and the days each one adds.
SECTION307_MAX_EXTENSIONS = int(os.environ.get("SECTION307_MAX_EXTENSIONS", "2"))
SECTION307_EXTENSION_DAYS = int(os.environ.get("SECTION307_EXTENSION_DAYS", "30"))
# A clock is "soon due" this many days before its deadline (queue and reminders).
SECTION307_CLOCK_SOON_DAYS = int(os.environ.get("SECTION307_CLOCK_SOON_DAYS", "7"))
# Look-back window when an order is issued, modified or revoked.
SECTION307_RESCREEN_LOOKBACK_DAYS = int(os.environ.get("SECTION307_RESCREEN_LOOKBACK_DAYS", "90"))
SECTION307_RESCREEN_ON_ORDER_CHANGE = env_bool("SECTION307_RESCREEN_ON_ORDER_CHANGE", True)
SECTION307_SCREENING_THRESHOLD = float(os.environ.get("SECTION307_SCREENING_THRESHOLD", "0.85"))

# --- Stored files and uploads (section307.core.uploads, section307.core.storedfiles) ---------
# Caps applied by the one upload checker before anything is decoded or unpacked: decoded image size,
# and for zip-based office files the member count, unpacked bytes per member and in all, and the
# compression ratio of any part over 1 MB.
SECTION307_UPLOAD_LIMITS = {
    "max_pixels": int(os.environ.get("SECTION307_UPLOAD_MAX_MEGAPIXELS", "40")) * 1_000_000,
    "zip_max_members": int(os.environ.get("SECTION307_UPLOAD_ZIP_MAX_MEMBERS", "1000")),
    "zip_max_member_bytes": int(os.environ.get("SECTION307_UPLOAD_ZIP_MAX_MEMBER_MB", "50")) * 1024 * 1024,
    "zip_max_total_bytes": int(os.environ.get("SECTION307_UPLOAD_ZIP_MAX_TOTAL_MB", "100")) * 1024 * 1024,
    "zip_max_ratio": int(os.environ.get("SECTION307_UPLOAD_ZIP_MAX_RATIO", "100")),
}
# Refused before the body is read: a multipart request larger than this (Content-Length), and more
# file parts than this (Django stops parsing at the first extra part).
SECTION307_UPLOAD_MAX_REQUEST_BYTES = int(os.environ.get("SECTION307_UPLOAD_MAX_REQUEST_MB", "110")) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = SECTION307_ALLEGATION_LIMITS["max_files"]
# (Files above FILE_UPLOAD_MAX_MEMORY_SIZE, set above, stream to a temporary file instead of memory.)
# After authentication (the refusal page shows the signed-in user's navigation), before anything that
# reads the body (CSRF reads it in process_view, after every middleware's __call__).
_AFTER_AUTH = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE.insert(_AFTER_AUTH, "section307.core.uploads.UploadLimitMiddleware")
# --- The legal path of a detention (section307.ports.law; docs/ports.md) ---
# Business-day periods also skip days federal offices closed by executive order (Christmas Eve,
# days of mourning). Off by default: 19 U.S.C. 1499(c) excludes "weekends and holidays".
SECTION307_COUNT_EO_CLOSURES = env_bool("SECTION307_COUNT_EO_CLOSURES", False)
# Regimes whose detentions are deemed excluded 30 days after presentation (19 U.S.C. 1499(c)(5)(A)).
# Default per CBP Pub. 1790-0522: UFLPA runs on 19 CFR 151.16, WRO/Finding on 12.42(e)/12.43.
SECTION307_DEEMED_EXCLUSION_REGIMES = env_list("SECTION307_DEEMED_EXCLUSION_REGIMES", ["uflpa"])
# IPR periods the legal facts do not confirm (UNCONFIRMED; docs/ipr.md): length and calendar
# ("business_days" or "calendar_days"). 19 CFR 133.21(e) information after seizure of counterfeits;
# piratical articles (19 CFR 133.42-133.43 as amended by CBP Dec. 24-03): notice to the importer, the importer's
# period to show the article is not piratical, information after seizure.
SECTION307_IPR_SEIZURE_INFO_DAYS = int(os.environ.get("SECTION307_IPR_SEIZURE_INFO_DAYS", "30"))
SECTION307_IPR_SEIZURE_INFO_CALENDAR = os.environ.get("SECTION307_IPR_SEIZURE_INFO_CALENDAR", "business_days")
SECTION307_IPR_PIRATICAL_NOTICE_DAYS = int(os.environ.get("SECTION307_IPR_PIRATICAL_NOTICE_DAYS", "5"))
SECTION307_IPR_PIRATICAL_NOTICE_CALENDAR = os.environ.get("SECTION307_IPR_PIRATICAL_NOTICE_CALENDAR", "business_days")
SECTION307_IPR_PIRATICAL_REPLY_DAYS = int(os.environ.get("SECTION307_IPR_PIRATICAL_REPLY_DAYS", "7"))
SECTION307_IPR_PIRATICAL_REPLY_CALENDAR = os.environ.get("SECTION307_IPR_PIRATICAL_REPLY_CALENDAR", "business_days")
SECTION307_IPR_PIRATICAL_SEIZURE_INFO_DAYS = int(os.environ.get("SECTION307_IPR_PIRATICAL_SEIZURE_INFO_DAYS", "30"))
SECTION307_IPR_PIRATICAL_SEIZURE_INFO_CALENDAR = os.environ.get(
    "SECTION307_IPR_PIRATICAL_SEIZURE_INFO_CALENDAR", "business_days"
)
# 19 CFR 162.45 cost bond: the lower of CAP or RATE x value, at least FLOOR (check current amounts).
SECTION307_COST_BOND = {
    "cap": os.environ.get("SECTION307_COST_BOND_CAP", "5000"),
    "rate": os.environ.get("SECTION307_COST_BOND_RATE", "0.10"),
    "floor": os.environ.get("SECTION307_COST_BOND_FLOOR", "250"),
}
