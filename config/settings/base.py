"""Settings shared by every environment, read from environment variables."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.redis_urls import cache_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "accounts",
    "audit",
    "remittance",
    "claims",
    "denials",
    "worklist",
    "appeals",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Content Security Policy (django-csp): scripts, styles and everything else only from this
# site, no inline script or style, no framing. Templates keep their scripts in static/js and
# their styles in static/css; the API docs page (Swagger UI) loads its own from the same
# static files (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

# The embedded default is a SQLite file; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so concurrent bookings queue up
    # instead of failing half-way, and wait for it rather than erroring at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30}
    )
    # The analytics rollups' covering indexes carry INCLUDE columns, a PostgreSQL feature;
    # SQLite indexes their key columns alone, which is all a demo's few thousand rows need.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # Parameters travel apart from the SQL (server-side binding), so a query a connection
    # has run twice is kept prepared: PostgreSQL parses and plans it once, not on every
    # request. Set DATABASE_PREPARED_STATEMENTS=false behind a transaction-pooling proxy
    # (PgBouncer in transaction mode), which cannot keep a statement on one connection.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Dates belong to the business: the site's time zone decides which day a timestamp falls on
# (deadlines, "today", the nightly run), for pages, tasks and Celery beat alike.
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Django's model backend, loading the user's roles with the user (one query, not two).
AUTHENTICATION_BACKENDS = ["accounts.backends.RolesBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "worklist:my_queue"
LOGOUT_REDIRECT_URL = "login"

# Remittance uploads: bodies are streamed to disk, never held whole in memory.
REMITTANCE_MAX_UPLOAD_BYTES = env.int("REMITTANCE_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads spool to a temporary file
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR", default=None)
# Appeal evidence (PDF, PNG, JPEG, TIFF): the largest file taken.
APPEALS_EVIDENCE_MAX_BYTES = env.int("APPEALS_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Tokens first: the first class names the WWW-Authenticate challenge, so a bad,
        # expired or revoked token is answered 401 rather than 403.
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
}
# API tokens (django-rest-knox): only a hash of each token is stored; every token expires,
# API_TOKEN_TTL_DAYS after it was made unless its owner chose fewer days. Clients keep
# sending "Authorization: Token <key>".
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
if not 1 <= API_TOKEN_TTL_DAYS <= 365:
    raise ImproperlyConfigured("API_TOKEN_TTL_DAYS must be between 1 and 365.")
KNOX_TOKEN_MODEL = "knox.AuthToken"  # named, so accounts.TokenLabel can refer to it
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Denials API",
    "DESCRIPTION": (
        "Post X12 835 remittances; read remittances, claims and denials; work the "
        "prioritized worklist; manage teams, routing rules and payer rules."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RemittanceStatusEnum": "remittance.choices.RemittanceStatus",
        "ItemStatusEnum": "worklist.choices.ItemStatus",
        "ItemKindEnum": "worklist.choices.ItemKind",
        "RejectionSourceEnum": "claims.choices.RejectionSource",
        "SourceEnum": "remittance.choices.RemittanceSource",  # its name before rejections
        "NextActionEnum": "denials.choices.NextAction",
        "PostingExceptionLevelEnum": "remittance.choices.PostingExceptionLevel",
        "PostingExceptionStatusEnum": "remittance.choices.PostingExceptionStatus",
        "SubmittedClaimStatusEnum": "claims.choices.SubmittedStatus",
        "SubmittedClaimSourceEnum": "claims.choices.ClaimSource",
        "SubmittedClaimKindEnum": "claims.choices.ClaimKind",
        "ClaimEventKindEnum": "claims.choices.EventKind",
        "AppealKindEnum": "appeals.choices.AppealKind",
        "AppealLevelEnum": "appeals.choices.AppealLevel",
        "AppealStatusEnum": "appeals.choices.AppealStatus",
        "AppealEventKindEnum": "appeals.choices.EventKind",
    },
}

# Celery: with no broker URL, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=None))
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE  # beat's crontab hours are the site's
CELERY_ENABLE_UTC = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
CELERY_TASK_DEFAULT_QUEUE = "default"
# Rescores (rule changes, outcomes, the nightly run) have their own queue: booking and
# intake never wait behind them. Workers consume both (see docker-compose.yml).
WORKLIST_RESCORE_QUEUE = "rescore"
# The analytics rollups' refresh, likewise: a 20,000-claim file's refresh takes seconds.
ANALYTICS_QUEUE = "analytics"
# Refresh the rollups after each change (a coalesced task on its own queue). With tasks
# in-process (no broker) a refresh would run inline after every save, so there it is off
# by default: `demo_setup` rebuilds them, and `manage.py analytics_rebuild` does it again.
ANALYTICS_REFRESH_ON_CHANGE = env.bool(
    "ANALYTICS_REFRESH_ON_CHANGE", default=not CELERY_TASK_ALWAYS_EAGER
)
CELERY_TASK_ROUTES = {
    "worklist.tasks.worklist_rescore_task": {"queue": WORKLIST_RESCORE_QUEUE},
    "worklist.tasks.worklist_nightly_task": {"queue": WORKLIST_RESCORE_QUEUE},
    "analytics.tasks.analytics_refresh_task": {"queue": ANALYTICS_QUEUE},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task a worker took but never acknowledged (the worker was killed) is delivered again
# after the visibility timeout; booking is idempotent and skips a file another worker
# holds, so a redelivery is harmless. The sweep below takes up such files sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60),
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
# With the broker down, publishing gives up within about a second, so an upload is
# answered (503, stored) instead of hanging; the sweep queues it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.3,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    # Nothing lost: queue again files nobody is booking, follow-ups that never completed
    # and denials still waiting for an item.
    "remittance-sweep": {
        "task": "remittance.tasks.remittance_sweep_task",
        "schedule": env.int("PIPELINE_SWEEP_SECONDS", default=5 * 60),
    },
    "claim-file-sweep": {
        "task": "claims.tasks.claim_file_sweep_task",
        "schedule": env.int("PIPELINE_SWEEP_SECONDS", default=5 * 60),
    },
    "worklist-sweep": {
        "task": "worklist.tasks.worklist_sweep_task",
        "schedule": env.int("PIPELINE_SWEEP_SECONDS", default=5 * 60),
    },
    # The rollups catch up with changes no signal announced (bulk updates of items).
    "analytics-refresh": {
        "task": "analytics.tasks.analytics_refresh_task",
        "schedule": env.int("PIPELINE_SWEEP_SECONDS", default=5 * 60),
    },
    # Urgency changes every day: rescore open items and sweep deadlines each night.
    "worklist-nightly": {
        "task": "worklist.tasks.worklist_nightly_task",
        "schedule": crontab(hour=2, minute=0),
    },
    # Managers' weekly digest (payer behaviour alerts, top preventable causes), Mondays.
    "analytics-weekly-digest": {
        "task": "analytics.tasks.analytics_weekly_digest_task",
        "schedule": crontab(hour=6, minute=30, day_of_week=1),
    },
}

# Analytics: a refresh re-reads changes from this long before the previous run started,
# so rows written by transactions still open then (a large file's booking) are not
# missed. Longer is safer and costs a second refresh of what changed in the overlap.
ANALYTICS_REFRESH_OVERLAP_SECONDS = env.int("ANALYTICS_REFRESH_OVERLAP_SECONDS", default=3 * 60)

# Worklist: items whose deadline is this close are flagged at risk.
WORKLIST_WARNING_DAYS = env.int("WORKLIST_WARNING_DAYS", default=14)
WORKLIST_INTAKE_BATCH = env.int("WORKLIST_INTAKE_BATCH", default=2000)
# Write-offs above this need a manager's approval.
WORKLIST_WRITE_OFF_APPROVAL_ABOVE = Decimal(env("WORKLIST_WRITE_OFF_APPROVAL_ABOVE", default="500"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Sign-in and sessions (accounts/) ------------------------------------------------------
# A session ends after SESSION_IDLE_SECONDS without a request and when the browser closes.
# Requests renew it, at most once every SESSION_RENEW_SECONDS
# (accounts.middleware.SessionRenewalMiddleware), so a page view does not write to the database.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The cache holds the failed sign-in counters (accounts/throttle.py), which every web process
# must share: Redis when one is configured, else this process's memory (one-process setups).
# It never shares the broker's Redis database: REDIS_CACHE_URL, or by default the broker's
# URL with the next database number (redis://redis:6379/0 -> redis://redis:6379/1).
try:
    REDIS_CACHE_URL = cache_url(
        broker_url=CELERY_BROKER_URL, configured=env("REDIS_CACHE_URL", default=None)
    )
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from error
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "denials",
            # Redis down: the sign-in throttle gives up within a second and lets people in.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# After LOGIN_THROTTLE_FAILURES failed sign-ins for one username from one client address
# within LOGIN_THROTTLE_WINDOW seconds, that username is refused from that address for
# LOGIN_THROTTLE_LOCKOUT seconds. After LOGIN_THROTTLE_ADDRESS_FAILURES failures from one
# address, whatever the usernames, the address is refused (password spraying); an office
# behind one address does not mistype that often in a quarter of an hour.
LOGIN_THROTTLE_FAILURES = 5
LOGIN_THROTTLE_ADDRESS_FAILURES = 100
LOGIN_THROTTLE_WINDOW = 15 * 60
LOGIN_THROTTLE_LOCKOUT = 15 * 60
# Reverse proxies in front of the app that append to X-Forwarded-For. 0: the client IP is
# REMOTE_ADDR; n: it is the n-th address from the right in X-Forwarded-For.
LOGIN_THROTTLE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Email (the analytics weekly digest) ------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_URL = env.email_url("EMAIL_URL", default="smtp://localhost:25")
EMAIL_HOST, EMAIL_PORT = EMAIL_URL["EMAIL_HOST"], EMAIL_URL["EMAIL_PORT"]
EMAIL_HOST_USER = EMAIL_URL["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = EMAIL_URL["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = EMAIL_URL.get("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="denials@localhost")
