"""Mentorat settings, read from the environment.

Every value has a default that runs out of the box on a laptop (SQLite, a
file-system Celery broker, e-mails on the console). Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and EMAIL_URL.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("MENTORAT_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.getenv(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.getenv("SITE_NAME", "Mentorat")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.microsoft",
    "crispy_forms",
    "crispy_bootstrap5",
    "auditlog",
    "django_celery_beat",
    "mentorat",
    "roles",
    "schools",
    "schools.plans",
    "schools.cycle",
    "mentors",
    "surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, error pages included (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Permissions-Policy, and Cache-Control: no-store on every page and export (not on static files).
    "mentorat.middleware.PrivacyHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # French first: the account's language, else the switch's cookie, else French; never Accept-Language.
    "roles.language.AccountLanguageMiddleware",
    # Sets who made each change (and from which address) in the auditlog history.
    "auditlog.middleware.AuditlogMiddleware",
    # Law 25: every page refused (403) is written to the audit trail.
    "schools.privacy.audit.RefusalAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out after inactivity (shorter for HR and administrators) and after an absolute limit.
    "mentorat.middleware.SessionTimeoutMiddleware",
    # After authentication, so that the 400/404 page shows the usual menus.
    "mentorat.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mentorat.urls"
WSGI_APPLICATION = "mentorat.wsgi.application"
ASGI_APPLICATION = "mentorat.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "roles.context_processors.access",
            ],
        },
    },
]

# Database: SQLite next to the code unless DATABASE_URL says otherwise.
# CONN_MAX_AGE keeps each web process's connection open between requests (60 in production:
# about 1.7× the requests per second of reconnecting each time); health checks replace one
# that the server closed (a restart, a failover) before a request uses it.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server, a worker and beat share the file: wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "roles.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 7  # an invitation link stays valid a week

# django-allauth: e-mail login, no open sign-up, rate limits on.
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "roles.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mentorat] "
SOCIALACCOUNT_ADAPTER = "roles.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

# Single sign-on with Microsoft Entra ID (Office 365), on when its three
# variables are set. The tenant limits sign-in to the service centre's staff.
MICROSOFT_CLIENT_ID = os.getenv("MICROSOFT_CLIENT_ID", "")
MICROSOFT_CLIENT_SECRET = os.getenv("MICROSOFT_CLIENT_SECRET", "")
MICROSOFT_TENANT = os.getenv("MICROSOFT_TENANT", "")
MICROSOFT_SSO_ENABLED = bool(MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET and MICROSOFT_TENANT)
SOCIALACCOUNT_PROVIDERS = {}
if MICROSOFT_SSO_ENABLED:
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": MICROSOFT_CLIENT_ID,
                "secret": MICROSOFT_CLIENT_SECRET,
                "settings": {"tenant": MICROSOFT_TENANT},
            }
        ],
        "EMAIL_AUTHENTICATION": True,
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Internationalisation: French (Canada) first, English second.
LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [Path(os.getenv("MENTORAT_LOCALE_DIR", BASE_DIR / "locale"))]
FORMAT_MODULE_PATH = ["mentorat.formats"]
TIME_ZONE = os.getenv("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]


def default_storage_settings() -> dict:
    """Where uploads live: an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set, so that
    every web machine reads what another one wrote; otherwise files under MEDIA_ROOT.

    Either way the files are private: the bucket gets no public ACL and its addresses are signed
    and short-lived, local files are readable by their owner only, and no URL serves MEDIA_ROOT
    (plan documents go through their access-checked view, imports are never served).
    """
    bucket = os.getenv("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
        }
    options = {
        "bucket_name": bucket,
        "endpoint_url": os.getenv("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.getenv("AWS_S3_REGION_NAME") or None,
        "access_key": os.getenv("AWS_ACCESS_KEY_ID") or None,
        "secret_key": os.getenv("AWS_SECRET_ACCESS_KEY") or None,
        "location": os.getenv("AWS_LOCATION", ""),
        "addressing_style": os.getenv("AWS_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": envint("AWS_QUERYSTRING_EXPIRE", 300),
        "file_overwrite": False,
        "use_ssl": envbool("AWS_S3_USE_SSL", "1"),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": default_storage_settings(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Local uploads (without a bucket). Nothing serves this folder: see default_storage_settings().
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024


def email_settings(url: str) -> dict:
    """Translate EMAIL_URL (console://, smtp://user:pass@host:587?tls=1) to settings."""
    parts = urlparse(url)
    if parts.scheme in ("", "console"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp" and query.get("tls", "1") == "1",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
    }


globals().update(email_settings(os.getenv("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Mentorat <mentorat@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who answers accessibility questions and complaints (the statement page names them).
ACCESSIBILITY_CONTACT_EMAIL = os.getenv("ACCESSIBILITY_CONTACT_EMAIL", "accessibilite@localhost")

# Celery: Redis when REDIS_URL is set, otherwise kombu's file-system transport
# under var/, so a laptop needs no daemon.
REDIS_URL = os.getenv("REDIS_URL", "")
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = os.getenv("CELERY_RESULT_BACKEND", REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "0")
CELERY_TIMEZONE = TIME_ZONE
# A page that queues work must not hang when the broker is down: the outbox keeps the message.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# Attempts of one e-mail before it is shown to HR as failed (back-off 30 s doubling, capped at 30 min).
OUTBOX_MAX_ATTEMPTS = int(os.getenv("OUTBOX_MAX_ATTEMPTS", "8"))
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # The exchange tables, shared by the web process and the worker (kombu's default is the current folder).
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
# Beat keeps its schedule in the database (editable in the admin, « Periodic tasks »); the entries
# of mentorat/celery.py are written there each time beat starts. Exactly ONE beat may run (README).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Seconds between two ticks of the yearly cycle (schools/cycle); the CI's worker test shortens it.
CYCLE_TICK_SECONDS = envint("CYCLE_TICK_SECONDS", 300)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# Security: strict in production, relaxed only when DEBUG is on.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Sessions (Law 25): signed out after inactivity — 30 minutes for HR and administrators, who
# see everyone's records, 2 hours for everybody else — and in any case 12 hours after signing
# in. No "remember me": the cookie ends with the browser; a shared school computer is common.
SESSION_IDLE_TIMEOUT_PRIVILEGED = envint("SESSION_IDLE_TIMEOUT_PRIVILEGED", 30 * 60)
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 2 * 60 * 60)
SESSION_ABSOLUTE_TIMEOUT = envint("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ACCOUNT_SESSION_REMEMBER = False
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
# The load balancer probes each web machine over plain HTTP: no redirect to HTTPS there.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): our own files only, no inline script or style
# (templates keep their JavaScript in static files), no plug-ins, no framing, forms post
# to us only (and to Microsoft's sign-in when single sign-on is on: the SSO form redirects there).
SELF, NONE = "'self'", "'none'"
_FORM_ACTION = [SELF]
if MICROSOFT_SSO_ENABLED:
    _FORM_ACTION.append("https://login.microsoftonline.com")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form controls' icons with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": _FORM_ACTION,
    }
}
# Browser features the application never uses, refused to every page (Permissions-Policy).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
BEHIND_PROXY = envbool("BEHIND_PROXY", "0")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sign-in rate limits count per client address. Behind a proxy every request comes from the
# proxy: allauth then reads the client from X-Forwarded-For, trusting as many hops as there are
# proxies of ours (1 by default behind a proxy), or from one header the proxy sets (X-Real-IP…).
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.getenv("TRUSTED_CLIENT_IP_HEADER") or None

# Logs name ids, never survey answers, link tokens or e-mail contents: the filter masks the
# tokens of survey, RSVP and feed addresses and a database error's quoted values. It sits on
# the loggers that carry requests (500s, runserver's access log) and on the console handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "mentorat.logfilters.MaskPersonalData"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_data"],
        },
    },
    "loggers": {
        "django.request": {"filters": ["mask_personal_data"]},
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["mask_personal_data"],
            "level": "INFO",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

# Imports: the largest spreadsheet HR may upload.
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 20000)
# An .xlsx is a zip: its parts' uncompressed sizes are checked before parsing (openpyxl loads the
# shared-strings table whole). 20,000 rows of 8 columns take about 10 MB of sheet XML.
XLSX_MAX_UNCOMPRESSED_BYTES = envint("XLSX_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
XLSX_MAX_PART_BYTES = envint("XLSX_MAX_PART_BYTES", 40 * 1024 * 1024)

# Documents attached to the steps of deployment plans: the largest file, and the
# types accepted (extension → MIME type). Each is also checked by its content.
PLAN_UPLOAD_MAX_BYTES = envint("PLAN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
PLAN_UPLOAD_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
