"""Seva Portal settings: one module, driven by environment variables (django-environ).

Defaults are safe for `make run` on a laptop (SQLite, no Redis, DEBUG only when asked for).
Production secrets have no default: with DJANGO_DEBUG off, a missing DJANGO_SECRET_KEY stops
start-up with a clear message. Every variable is listed in the README's configuration table.
"""

import json
import os
import re
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from seva.base import spreadsheets

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# gunicorn has imported itself before it loads the app: that is how a production server is
# told from `manage.py runserver`, the test suite, or a shell.
SERVED_BY_GUNICORN = "gunicorn" in sys.modules
# A local `.env.local` (written by `make install`, never committed) holds DJANGO_DEBUG=on for a
# laptop; real environment variables win over it. A server never reads it, so a checkout
# where someone once ran `make` cannot put production in DEBUG.
if (BASE_DIR / ".env.local").is_file() and not SERVED_BY_GUNICORN:
    environ.Env.read_env(BASE_DIR / ".env.local")


def env_url(name: str, default: str) -> str:
    """An URL variable, where set but empty (``DATABASE_URL=`` in a compose file or ``.env``)
    means unset, as the README's table says, instead of a parse error at start-up."""
    return env.str(name, default="") or default


# pytest (8.2 and later) sets PYTEST_VERSION while it runs: the suite gets a throw-away key
# and no HTTPS redirect, but otherwise the production settings (DEBUG off).
TESTING = "PYTEST_VERSION" in os.environ

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG and SERVED_BY_GUNICORN:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is on under gunicorn. DEBUG shows settings and code to anyone who causes "
        "an error; use `manage.py runserver` (`make run`) for local work."
    )
PRODUCTION = not DEBUG and not TESTING

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=on for a local, non-production run."
        )
    SECRET_KEY = "insecure-local-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A refused form in the portal's layout and the user's language (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "seva.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "phonenumber_field",
    "seva",
    "seva.audit",
    "seva.geo",
    "seva.people",
    "seva.accounts",
    "tasks17",
    "helplines",
    "seva.monitoring",
    "seva.notify",
    "seva.reports",
    "seva.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before the gzip below, from files whitenoise compressed
    # at collectstatic (brotli and gzip).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON gzipped (a report form is ~30 KB of HTML, ~5 KB gzipped on a phone's
    # 400 kbit/s). BREACH: why this is acceptable is in docs/offline.md ("Compression").
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # An API body past DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, before anything reads it.
    "seva.base.middleware.ApiBodySizeMiddleware",
    # Before anything reads a parameter (after the locale, to answer in the user's language):
    # a NUL or other control character is a 400 here.
    "seva.base.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in (seva/accounts/mfa.py): who gave a code this session, and who still owes one.
    "django_otp.middleware.OTPMiddleware",
    "seva.accounts.mfa.SecondFactorMiddleware",
    "seva.base.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "seva.urls"
WSGI_APPLICATION = "seva.wsgi.application"

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
                "seva.people.context_processors.portal_role",
                "seva.navigation.menu",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
# SQLite file in the checkout unless DATABASE_URL says otherwise (postgres://user@host/name).
DATABASES = {
    "default": env.db_url_config(env_url("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` has three processes on one SQLite file (web, Celery worker, beat): WAL lets
    # readers and a writer work at once, a write transaction takes its lock when it begins
    # (IMMEDIATE: no upgrade deadlock between two readers turning writers), and a process
    # waits up to 20 s for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A statement that runs longer is cancelled: set for the web processes (compose does), so
    # one slow page cannot hold a connection and a core; 0 (the default) means no limit, for
    # the Celery worker, beat and management commands.
    _statement_timeout = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=0)
    if _statement_timeout > 0:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c statement_timeout={_statement_timeout}"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A read replica (optional): exports, report building and dashboards read from it
# (seva/base/dbrouters.py); everything else, and every write, goes to the primary. Tests point
# it at the default database (TEST MIRROR), so the routing can be proved with one database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
SEVA_REPLICA_READS = bool(DATABASE_REPLICA_URL)
if DATABASE_REPLICA_URL or TESTING:
    # The primary's options (connection age, statement timeout), the replica's address.
    DATABASES["replica"] = {
        **DATABASES["default"],
        **(env.db_url_config(DATABASE_REPLICA_URL) if DATABASE_REPLICA_URL else {}),
    }
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["seva.base.dbrouters.ReplicaRouter"]

# --- Cache and Celery ------------------------------------------------------------------------
# Redis is optional. Without it the cache is local memory; `make run` runs a Celery worker with
# beat over a folder (CELERY_BROKER_URL=filesystem://, below), so reminders still fire; the
# test suite runs tasks in-process (eagerly).
REDIS_URL = env.str("REDIS_URL", default="")


def redis_cache(url: str) -> dict:
    """The cache on Redis at ``url``; a Redis outage must not take the portal down: with
    IGNORE_EXCEPTIONS a read misses, a write is lost, throttles let requests through, and
    /healthz says "degraded" (tests/test_security_redis_outage.py)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="seva"),
        "TIMEOUT": 300,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True},
    }


def _test_worker_cache_url(url: str) -> str:
    """Under pytest-xdist each test process gets a Redis database of its own for the cache
    (the one of ``url`` plus 1 + the worker's number): a test's ``cache.clear()`` empties the
    whole database, and must not empty the cache another process's test is reading."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not (TESTING and worker.startswith("gw")):
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + 1 + int(worker[2:])) % 16}"))


if REDIS_URL:
    CACHES = {"default": redis_cache(_test_worker_cache_url(REDIS_URL))}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Celery (seva/celery.py reads every CELERY_* setting). Without REDIS_URL: tests run tasks
# in-process (eager); `make run` sets CELERY_BROKER_URL=filesystem:// and runs a real worker
# with beat beside the web server, over files in .celery/ (README: "What differs").
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None  # the outbox rows are the results
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL and CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Every task has limits (a task may lower them): soft raises inside the task, hard kills it.
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# A task is acknowledged after it ran, and given back if its worker dies: a send is never
# lost with a worker (the outbox's claim makes sure it is not sent twice either).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time per process: a slow SMS gateway must not hold tasks others could run.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# When the broker connection drops, a send under way finishes (its rows are marked in the
# database, which did not drop) rather than being killed half-way and left "sending".
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis gives an unacknowledged task to another worker after the visibility timeout: longer
# than the longest task (the nightly rebuild, 30 min) so a running task is never run twice.
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_folder = BASE_DIR / ".celery" / "queue"
    _control_folder = BASE_DIR / ".celery" / "control"
    for _folder in (_queue_folder, _control_folder):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_folder),
        "data_folder_out": str(_queue_folder),
        "control_folder": str(_control_folder),
    }
CELERY_TIMEZONE = "Asia/Kolkata"
# The schedule lives in the database (django-celery-beat), made once by the migration
# seva/notify/migrations/0002_beat_schedule.py and the state admin's from then on (pause or
# retime a rule in the admin's "Periodic tasks"). Nothing here overwrites it.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}

# --- Messages (seva/notify, docs/notify.md) --------------------------------------------------
# SMS backend, like EMAIL_BACKEND: console for `make run`, locmem in tests, the HTTP gateway in
# production (seva/notify/sms/backends.py).
SMS_BACKEND = env.str(
    "SMS_BACKEND",
    default="seva.notify.sms.backends.LocmemBackend"
    if TESTING
    else "seva.notify.sms.backends.ConsoleBackend",
)
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(BASE_DIR / ".celery" / "sms.jsonl"))
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_KEY = env.str("SMS_GATEWAY_KEY", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
SMS_GATEWAY_IDEMPOTENT = env.bool("SMS_GATEWAY_IDEMPOTENT", default=False)
SMS_SENDER_ID = env.str("SMS_SENDER_ID", default="SEVAPR")
# SMS in (POST /api/v1/sms/inbound/): the secret the gateway sends in X-Seva-Sms-Secret (or a
# "secret" form field). Empty: the endpoint refuses everything.
SMS_INBOUND_SECRET = env.str("SMS_INBOUND_SECRET", default="")
# The webhook keeps each SMS and a Celery worker reads it (the gateway gets "accepted" after
# one insert): on wherever a worker runs. Off (read within the request, the reply in the
# answer) for the tests and for `make run`'s single process if wanted.
SMS_INBOUND_ASYNC = env.bool("SMS_INBOUND_ASYNC", default=not TESTING)
# India's DLT: the principal entity id and a template id per kind of message (JSON:
# {"evening_report_reminder": "1107…", "default": "1107…"}).
SMS_DLT_ENTITY_ID = env.str("SMS_DLT_ENTITY_ID", default="")
# (Empty means none, as compose passes an unset variable.)
SMS_DLT_TEMPLATES: dict[str, str] = json.loads(env.str("SMS_DLT_TEMPLATES", default="") or "{}")
# No SMS from 22:00 to 07:00 (local) except urgent escalations: they wait for the morning.
SEVA_QUIET_HOURS = (env.int("SEVA_QUIET_HOURS_START", default=22), env.int("SEVA_QUIET_HOURS_END", default=7))
# At most this many non-urgent messages a day to one number or address; more are not sent.
SEVA_DAILY_MESSAGE_CAP = env.int("SEVA_DAILY_MESSAGE_CAP", default=8)
# Rows per delivery task (a fan-out to 50,000 is 100 tasks, not 50,000).
SEVA_NOTIFY_BATCH = env.int("SEVA_NOTIFY_BATCH", default=500)
# Broadcasts: the longest, in SMS parts (Hindi: 70 characters a part); up to how many
# recipients one is written within the request (beyond, by a Celery task).
SEVA_BROADCAST_MAX_SMS_PARTS = env.int("SEVA_BROADCAST_MAX_SMS_PARTS", default=3)
SEVA_BROADCAST_INLINE_MAX = env.int("SEVA_BROADCAST_INLINE_MAX", default=500)
# Rows written (and committed, and handed over) at a time by one rule run.
SEVA_NOTIFY_WRITE_CHUNK = env.int("SEVA_NOTIFY_WRITE_CHUNK", default=5000)
# A queued row not handed over for this long is handed over again (broker outage).
SEVA_NOTIFY_REQUEUE_AFTER_SECONDS = env.int("SEVA_NOTIFY_REQUEUE_AFTER_SECONDS", default=120)
# A row "sending" for longer than a delivery task may run: its worker died.
SEVA_NOTIFY_STALE_SENDING_SECONDS = env.int("SEVA_NOTIFY_STALE_SENDING_SECONDS", default=600)
SEVA_NOTIFY_MAX_ATTEMPTS = env.int("SEVA_NOTIFY_MAX_ATTEMPTS", default=5)
SEVA_NOTIFY_RETRY_BASE_SECONDS = env.float("SEVA_NOTIFY_RETRY_BASE_SECONDS", default=30.0)
SEVA_NOTIFY_RETRY_MAX_SECONDS = env.float("SEVA_NOTIFY_RETRY_MAX_SECONDS", default=1800.0)
# The portal's address as its users reach it, for links in messages (the morning digest).
SEVA_PORTAL_URL = env.str("SEVA_PORTAL_URL", default="http://127.0.0.1:8000")
# Event rules look this far behind their last run (a late commit is still seen).
SEVA_RULE_OVERLAP_SECONDS = env.int("SEVA_RULE_OVERLAP_SECONDS", default=300)
SEVA_SHIFT_REMINDER_MINUTES = env.int("SEVA_SHIFT_REMINDER_MINUTES", default=30)
# An untouched help request is escalated at 1×, 2× … this many times its time limit.
SEVA_ESCALATION_STEPS = env.int("SEVA_ESCALATION_STEPS", default=3)

# --- Auth ------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("SEVA_PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # A real hash costs ~0.5 s a persona; the suite signs in hundreds of them. Tests of the
    # hashing itself are Django's business, not ours.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Two-factor sign-in for state admins and staff (seva/accounts/mfa.py): on in production;
# `make run`, the demo and the tests of other features run without it.
SEVA_MFA_REQUIRED = env.bool("SEVA_MFA_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = "Seva Portal"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# How many proxies of ours stand in front of the portal (the TLS proxy: 1). X-Forwarded-For
# is trusted that far and no further; 0 ignores it (anyone can write it). One setting for
# django-axes and for DRF's throttles (NUM_PROXIES). AXES_PROXY_COUNT is its old name.
SEVA_PROXY_COUNT = env.int("SEVA_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))

# django-axes: lock a user name on one address out after repeated failures. Only the pair:
# nobody can lock a user out from elsewhere. The sign-in throttles below add a limit per
# address across names and a slow-down of one name tried from many addresses.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "seva.base.net.client_ip"

# API tokens (django-rest-knox, the model in seva.accounts): hashed, one per device, with a
# lifetime; a password change revokes them all.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 - a model name, not a secret
# knox's own migrations create its token table even when the model is swapped (they do not
# mark it swappable): a second table, unused, whose foreign key to users stops the test
# database's flush on PostgreSQL. Ours (accounts 0001) is the only token table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
}
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=10)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True
# One date format per language ("27 Nov 2026" / "27 नवं॰ 2026") and Indian digit grouping
# (NUMBER_GROUPING (3, 2, 0): 12,34,567): seva/formats/<lang>/formats.py. USE_THOUSAND_SEPARATOR
# stays off, so ids in URLs, form values, JSON and CSV are never grouped; templates group a
# figure explicitly with the `indian` filter (seva/templatetags/humanize_seva.py). See
# docs/i18n.md.
FORMAT_MODULE_PATH = ["seva.formats"]
# A filter's empty choice reads "All" (सभी), not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")
PHONENUMBER_DEFAULT_REGION = "IN"

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic writes (the image: /app/staticfiles); another folder for a trial build.
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and built files (the report centre's): a folder on disk shared by the web and the
# Celery worker (compose: the "media" volume), or S3-compatible storage through
# django-storages when SEVA_S3_BUCKET is set (docs/reports.md). Never served as static files:
# a report is downloaded through its view, which checks who asks.
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
SEVA_S3_BUCKET = env.str("SEVA_S3_BUCKET", default="")
_default_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if SEVA_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": SEVA_S3_BUCKET,
            "endpoint_url": env.str("SEVA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("SEVA_S3_REGION", default="") or None,
            "access_key": env.str("SEVA_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("SEVA_S3_SECRET_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _default_storage,
    # Production: hashed names (css/seva.3f2a….css), which whitenoise serves with a year's
    # cache (immutable), brotli and gzip made at collectstatic; a repeat visit fetches only
    # the HTML. Tests and `make run` keep plain names served straight from the source folders,
    # so they need no collectstatic.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# Tests and `make run` serve straight from the app and project folders (no collectstatic).
# Production serves what collectstatic wrote (the Dockerfile runs it): the hashed names exist
# only there.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

# --- E-mail ----------------------------------------------------------------------------------
# Console by default (password-reset mails show in the terminal); smtp://user:pass@host:587
# in production.
EMAIL_CONFIG = env.email_url_config(env_url("EMAIL_URL", "consolemail://"))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Seva Portal <seva@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security --------------------------------------------------------------------------------
# On by default in production; behind a proxy that terminates TLS, the proxy must set
# X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
# The health check answers on plain HTTP too, for load balancers and the compose healthcheck.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A session ends this many hours after sign-in (a shared office computer forgets its user).
SESSION_COOKIE_AGE = 60 * 60 * env.int("SEVA_SESSION_HOURS", default=12)
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): our pages load scripts, styles and fonts only from our
# own origin (no inline scripts, no CDN); htmx's own indicator styles are turned off in
# base.html so 'self' suffices. The Django admin and the third-party admin screens
# (import/export, history) are left out: they are not ours to keep free of inline script.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- REST framework and OpenAPI ----------------------------------------------------------------
RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name: str, default: str) -> str:
    """A throttle rate such as ``600/min`` (DRF's ``number/period``); anything else fails at
    start, where DRF would fail on the first request."""
    value = env.str(name, default=default).strip()
    if not RATE.match(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate: write it as 600/min (s, min, hour, day)."
        )
    return value


# Bodies: Django's limit for pages' form fields (a 400 past it); for the API, the whole body
# (a 413, seva.base.middleware.ApiBodySizeMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# The most rows one API page gives, whatever ?page_size= asks (seva.base.pagination).
SEVA_API_MAX_PAGE_SIZE = env.int("SEVA_API_MAX_PAGE_SIZE", default=200)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "seva.accounts.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "seva.base.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,  # ?page_size= up to SEVA_API_MAX_PAGE_SIZE (seva.base.pagination)
    # JSON only: the browsable API needs inline scripts, which the CSP forbids; people
    # explore the API at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON that refuses non-finite numbers and deep nesting with a 400 (seva.base.parsers);
    # bodies past DATA_UPLOAD_MAX_MEMORY_SIZE are a 413 before that (ApiBodySizeMiddleware).
    "DEFAULT_PARSER_CLASSES": [
        "seva.base.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Error answers and nullable read-only fields documented (seva.base.schema).
    "DEFAULT_SCHEMA_CLASS": "seva.base.schema.AutoSchema",
    # Every API request counts against one limit: per user when signed in, per client address
    # when not (seva.base.throttles; a 429 with Retry-After). The SMS webhook has its own
    # limit instead (seva/notify/api.py); sign-ins add theirs (seva.accounts.throttles).
    "DEFAULT_THROTTLE_CLASSES": [
        "seva.base.throttles.UserRateThrottle",
        "seva.base.throttles.AnonRateThrottle",
    ],
    # Sign-ins (the page and POST /api/v1/auth/token/ share them) and password resets, per
    # client address and per user name / e-mail (seva.accounts.throttles).
    "DEFAULT_THROTTLE_RATES": {
        # Generous: a phone's queue resending a day of reports, a script paging a list.
        "user": env_rate("THROTTLE_USER", "600/min"),
        "anon": env_rate("THROTTLE_ANON", "120/min"),
        "sign_in_address": env_rate("THROTTLE_SIGN_IN_ADDRESS", "60/hour"),
        "sign_in_username": env_rate("THROTTLE_SIGN_IN_USERNAME", "20/hour"),
        "password_reset_address": env_rate("THROTTLE_PASSWORD_RESET_ADDRESS", "10/hour"),
        "password_reset_email": env_rate("THROTTLE_PASSWORD_RESET_EMAIL", "3/hour"),
        # The SMS gateway's posts, per gateway address (seva/notify/api.py).
        "sms_inbound": env_rate("THROTTLE_SMS_INBOUND", "12000/min"),
    },
    "NUM_PROXIES": SEVA_PROXY_COUNT,
    # A service's ValidationError / PermissionDenied become DRF's 400 / 403 here, once.
    "EXCEPTION_HANDLER": "seva.base.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Seva Portal API",
    "DESCRIPTION": "Seva Hi Sangathan – Abhiyan 2: geography, workers, tasks, helplines.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field names collide across components get a name of their own.
    "ENUM_NAME_OVERRIDES": {"BroadcastStatusEnum": "seva.notify.choices.BroadcastStatus"},
}

# --- Spreadsheets (django-import-export) -------------------------------------------------------
# CSV and XLSX only, in and out: the other formats tablib reads (HTML, JSON, YAML, ODS…) are
# nothing our offices send, and HTML fails inside tablib with a 500. Both escape formula-like
# cells by one rule (seva/base/spreadsheets.py). The library wants the classes themselves.
IMPORT_EXPORT_FORMATS = spreadsheets.FORMATS
# The largest file an admin import takes (seva.base.admin.ImportLimitsMixin): a file is checked
# and written within the request, at about 145 rows a second, so 5,000 rows finish well inside
# the web server's 60-second timeout; a bigger file gets a message, never a 500.
SEVA_IMPORT_MAX_ROWS = env.int("SEVA_IMPORT_MAX_ROWS", default=5000)
# The largest file any import takes (50 MB, issue 14: the state's 1,00,000 booths or workers
# fit; the bulk pages run them in the background, seva/reports/bulk.py).
SEVA_IMPORT_MAX_BYTES = env.int("SEVA_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
# The longest date range one export (the activity register) may cover.
SEVA_EXPORT_MAX_DAYS = env.int("SEVA_EXPORT_MAX_DAYS", default=400)
# Days the access log (seva/audit, docs/audit.md) keeps an event: sign-ins, tokens, views of
# personal details. At least a year (issue 15): less is refused by ``manage.py check``.
SEVA_ACCESS_LOG_DAYS = env.int("SEVA_ACCESS_LOG_DAYS", default=400)
if SEVA_ACCESS_LOG_DAYS < 365:
    raise ImproperlyConfigured(
        f"SEVA_ACCESS_LOG_DAYS is {SEVA_ACCESS_LOG_DAYS}: the access log is kept at least 365 days."
    )
# Days a report file built in the report centre is kept before the nightly job deletes it.
SEVA_REPORT_KEEP_DAYS = env.int("SEVA_REPORT_KEEP_DAYS", default=7)

# --- Campaign rules (tasks17) ----------------------------------------------------------------
# How far back a district user may date a report; state users may go further.
SEVA_BACKDATE_DAYS = env.int("SEVA_BACKDATE_DAYS", default=30)
# How long a list's total count is reused (seva/base/pagination.py); the rows are always fresh.
SEVA_LIST_COUNT_SECONDS = env.int("SEVA_LIST_COUNT_SECONDS", default=0 if TESTING else 60)
# A target is "behind" when its achievement is below the share of its period gone, less this.
SEVA_BEHIND_TOLERANCE = env.float("SEVA_BEHIND_TOLERANCE", default=0.10)
# How long a cached state or district figure may lag the reports arriving (seconds). Tests read
# their own writes at once.
SEVA_FIGURES_STALE_SECONDS = env.float("SEVA_FIGURES_STALE_SECONDS", default=0 if TESTING else 5)
# Donor eligibility (tasks17.records.donor_eligibility): days a blood donor waits between
# donations (NBTC: 90 days for whole blood), days a plasma donor waits between donations, and
# the window after recovery from Covid in which convalescent plasma may be given (ICMR 2020:
# from 28 days after recovery, within about four months).
SEVA_BLOOD_DONATION_INTERVAL_DAYS = env.int("SEVA_BLOOD_DONATION_INTERVAL_DAYS", default=90)
SEVA_PLASMA_DONATION_INTERVAL_DAYS = env.int("SEVA_PLASMA_DONATION_INTERVAL_DAYS", default=14)
SEVA_PLASMA_MIN_DAYS_AFTER_RECOVERY = env.int("SEVA_PLASMA_MIN_DAYS_AFTER_RECOVERY", default=28)
SEVA_PLASMA_MAX_DAYS_AFTER_RECOVERY = env.int("SEVA_PLASMA_MAX_DAYS_AFTER_RECOVERY", default=120)

# Helplines: minutes within which a request must get its first action, per urgency; hours
# after which an availability report is stale (shown last, marked); the public board's cache.
SEVA_HELPLINE_SLA_MINUTES = {
    "critical": env.int("SEVA_SLA_CRITICAL_MINUTES", default=15),
    "high": env.int("SEVA_SLA_HIGH_MINUTES", default=60),
    "normal": env.int("SEVA_SLA_NORMAL_MINUTES", default=240),
}
SEVA_AVAILABILITY_STALE_HOURS = env.int("SEVA_AVAILABILITY_STALE_HOURS", default=6)

# Personal data (docs/privacy.md): days after a help request closed when its caller's and
# patient's details are anonymised (the nightly job), rows per transaction of that job, and
# the grievance officer the privacy notice names (DPDP Act 2023, s. 8(10) and 13).
SEVA_HELP_REQUEST_RETENTION_DAYS = env.int("SEVA_HELP_REQUEST_RETENTION_DAYS", default=180)
SEVA_PRIVACY_BATCH = env.int("SEVA_PRIVACY_BATCH", default=500)
# Empty: the notice says "the grievance officer, state office" in the reader's language.
SEVA_GRIEVANCE_OFFICER = env.str("SEVA_GRIEVANCE_OFFICER", default="")
SEVA_GRIEVANCE_EMAIL = env.str("SEVA_GRIEVANCE_EMAIL", default="privacy@seva.example.org")
SEVA_GRIEVANCE_PHONE = env.str("SEVA_GRIEVANCE_PHONE", default="")

# When the database does not answer, pages and the API answer 503 with this Retry-After.
SEVA_RETRY_AFTER_SECONDS = env.int("SEVA_RETRY_AFTER_SECONDS", default=10)

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django_redis logs each ignored error (Redis down) as an error: one line a request, but
    # that is how the outage shows in the logs.
    "loggers": {"axes": {"level": "WARNING"}, "django_redis": {"level": "ERROR"}},
}
