"""Django settings for kaohe: one module, configured by environment variables.

KAOHE_HOME     directory for the SQLite database, uploads and data (default ./var)
DATABASE_URL   a PostgreSQL URL; SQLite under KAOHE_HOME when unset
SECRET_KEY     when unset, a random key is made once and kept in KAOHE_HOME/secret_key
DEBUG          true/false (default false)
ALLOWED_HOSTS  comma-separated (default localhost,127.0.0.1,[::1])
TIME_ZONE      default Asia/Shanghai
LANGUAGE_CODE  default zh-hans
KAOHE_HTTPS    true when served over HTTPS: secure cookies, HSTS (default: not DEBUG)
KAOHE_BEHIND_PROXY  true behind a reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For
KAOHE_SIGNIN_FAILURES_PER_ACCOUNT, KAOHE_SIGNIN_FAILURES_PER_ADDRESS  lock-out limits (5, 30)
KAOHE_SITE_URL the address people open kaohe at, for links in mails
KAOHE_SENTIMENT_THRESHOLD  a call turn scoring below this P(positive) is negative (0.5)
KAOHE_SENTIMENT_MODEL  the sentiment model file (default: the one `make setup` builds)
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if not raw.strip().isdigit() or int(raw) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number from {minimum}, not {raw!r}")
    return int(raw)


def env_fraction(name: str, default: float) -> float:
    """A number strictly between 0 and 1, such as a probability threshold."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value < 1:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be a number between 0 and 1, not {raw!r}")
    return value


def _secret_key(home: Path) -> str:
    """The configured key, or one made once for this installation and kept beside its data."""
    configured = os.environ.get("SECRET_KEY")
    if configured:
        return configured
    path = home / "secret_key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


HOME = Path(os.environ.get("KAOHE_HOME") or "var").resolve()
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key(HOME)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API documentation's files locally
    "axes",
    "kaohe.web",
    "kaohe.accounts",
    "kaohe.tokens",
    "kaohe.org",
    "kaohe.audit",
    "kaohe.data",
    "kaohe.schemes",
    "kaohe.appraisals",
    "kaohe.calibration",
    "kaohe.pay",
    "kaohe.development",
    "kaohe.incidents",
    "kaohe.goals",
    "kaohe.reviews",
    "kaohe.reports",
    "kaohe.points",
    "kaohe.recognition",
    "kaohe.insights",
    "kaohe.api",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Inside the language, outside the rest: every failure under /api/ answers a problem.
    "kaohe.api.middleware.ApiProblemsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After authentication, messages and htmx: a temporary password must be changed first.
    "kaohe.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Last, as django-axes asks: it turns lock-outs into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kaohe.urls"
WSGI_APPLICATION = "kaohe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaohe.web.context.navigation",
            ],
        },
    },
]

# --- database ------------------------------------------------------------------------------

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "kaohe.sqlite3",
            "OPTIONS": {
                # WAL lets pages read while an import writes; IMMEDIATE avoids
                # "database is locked" on upgrades from read to write transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (launching a cycle, checking and importing a file): a queue in the
# database that `kaohe serve` runs a worker for; "celery" to send it through Redis to
# `kaohe worker` processes on any server (kaohe/celery_queue.py); or "immediate" to run
# each task inside the request (the tests do).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "celery": "kaohe.celery_queue.CeleryBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_KIND = os.environ.get("KAOHE_TASKS", "database")
if TASKS_KIND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"KAOHE_TASKS={TASKS_KIND!r}: use database, celery or immediate")
REDIS_URL = os.environ.get("KAOHE_REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_KIND]}}

# --- sign-in and security ------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out (django-axes): wrong passwords for one sign-in name from one address, and from one
# address across all names, within the cool-off. kaohe/accounts/lockout.py explains the design.
BEHIND_PROXY = env_bool("KAOHE_BEHIND_PROXY", False)
SIGNIN_FAILURES_PER_ACCOUNT = env_int("KAOHE_SIGNIN_FAILURES_PER_ACCOUNT", 5)
SIGNIN_FAILURES_PER_ADDRESS = env_int("KAOHE_SIGNIN_FAILURES_PER_ADDRESS", 30)
AXES_HANDLER = "kaohe.accounts.lockout.SignInLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "kaohe.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "kaohe.accounts.lockout.lockout_response"
AXES_FAILURE_LIMIT = SIGNIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out are refused, not counted: a lock ends a cool-off after it began.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

HTTPS = env_bool("KAOHE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# No inline scripts or styles anywhere: every asset is a file served from this site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- languages and time --------------------------------------------------------------------

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- static files and uploads --------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
# Served (`kaohe serve`, `kaohe demo`), static files are collected with hashed names and long
# cache lifetimes; elsewhere (tests, development) they are served straight from the apps.
_COLLECTED = env_bool("KAOHE_COLLECTED_STATIC", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not _COLLECTED
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
MEDIA_ROOT = HOME / "media"
UPLOADS_DIR = HOME / "uploads"
UPLOAD_RETENTION_HOURS = int(os.environ.get("KAOHE_UPLOAD_RETENTION_HOURS", "24"))
# Requests an API token may make in a minute; more are answered 429 with Retry-After.
API_REQUESTS_PER_MINUTE = int(os.environ.get("KAOHE_API_REQUESTS_PER_MINUTE", "600"))
DUCKDB_MEMORY = os.environ.get("KAOHE_DUCKDB_MEMORY", "1GB")
# Sentiment (docs/insights.md): a customer's turn scoring below the threshold is negative,
# for the calls' metrics and the QA page; the model file scores texts as they are imported.
SENTIMENT_THRESHOLD = env_fraction("KAOHE_SENTIMENT_THRESHOLD", 0.5)
SENTIMENT_MODEL_FILE = Path(
    os.environ.get("KAOHE_SENTIMENT_MODEL") or PACKAGE_DIR / "ml" / "data" / "sentiment.npz"
).resolve()
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Mail goes to the console until an operator configures a real backend (SMTP, say).
# The address of this site as people reach it, for links in notification mails.
# Unset, mails link to the loopback address and `kaohe manage check` warns.
SITE_URL = os.environ.get("KAOHE_SITE_URL") or "http://localhost:8000"
SITE_URL_CONFIGURED = bool(os.environ.get("KAOHE_SITE_URL"))

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "KAOHE_MAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kaohe@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
