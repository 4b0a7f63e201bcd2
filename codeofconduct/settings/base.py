"""Settings shared by every environment; each value that varies is read from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

from codeofconduct import release

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env (copied from .env.example) is read when present; the process environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default=None)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # hashed API tokens with an expiry (accounts.ApiToken)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files (no CDN, strict CSP)
    "simple_history",
    "django_celery_beat",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "codeofconduct",
    "accounts",
    "drafting",
    "notifications",
    "live",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy, Cross-Origin-Resource-Policy, and no caching of personal API answers.
    "codeofconduct.headers.SecureHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Text answers compressed, BREACH-padded: below WhiteNoise, which serves static files with its
    # own compressed copies, and above everything that writes a body.
    "codeofconduct.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The interface in the person's language: their saved choice, else the switcher's cookie, else
    # what their browser asks for (Accept-Language), else English (codeofconduct/languages.py).
    "codeofconduct.languages.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Over-large bodies (413) and control characters in paths, queries and forms (400), before any view.
    "codeofconduct.inputs.InputGuardMiddleware",
    # Administrators and moderators: a second factor before anything else, and an idle time-out.
    "accounts.twofactor.PrivilegedSessionMiddleware",
    # Pages show times in the signed-in person's own time zone (UTC when they chose none).
    "codeofconduct.timezones.TimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change (and lets services add a reason) on every history row.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Pages show a service's refusal (403, 404, 409, ...) with its message: one path for every view.
    "codeofconduct.pages.DomainErrorPageMiddleware",
]

ROOT_URLCONF = "codeofconduct.urls"
WSGI_APPLICATION = "codeofconduct.wsgi.application"
# The live stream (live/views.py) is an async view, served by uvicorn; every other page by gunicorn.
ASGI_APPLICATION = "codeofconduct.asgi.application"
# Whether pages open the live stream: a deployment that serves /live/ with no ASGI server says no,
# and its pages are as current as their last load.
LIVE_UPDATES = env.bool("DJANGO_LIVE_UPDATES", default=True)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_count",
                "accounts.context_processors.abilities",
                "live.context_processors.live_updates",
            ],
        },
    }
]

# PostgreSQL everywhere: DATABASE_URL (postgres://...) names the server. Without it, the local and
# test settings use the embedded default, a PostgreSQL server of the checkout's own under
# var/postgres/ found or started by every process that reads them (codeofconduct/embedded_database.py);
# production refuses to start.
DATABASE_URL = env("DATABASE_URL", default="")


def database(found: dict) -> dict:
    return {**found, "CONN_MAX_AGE": env.int("DJANGO_CONN_MAX_AGE", default=60), "CONN_HEALTH_CHECKS": True}


def databases_or_embedded() -> dict:
    """DATABASE_URL's server, else the checkout's embedded one (the local and test settings)."""
    if DATABASE_URL:
        return {"default": database(env.db("DATABASE_URL"))}
    from codeofconduct import embedded_database

    name = env("DJANGO_DATABASE_NAME", default=embedded_database.NAME)
    return {"default": database(embedded_database.database(name))}


DATABASES = {"default": database(env.db("DATABASE_URL"))} if DATABASE_URL else {}  # production: it or nothing
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Checks passwords with the log-in limits (accounts/backends.py) for every door.
AUTHENTICATION_BACKENDS = ["accounts.backends.GuardedModelBackend"]
# Administrators and moderators confirm an authenticator app (TOTP) or a recovery code after their
# password, and their sessions end after this many idle seconds (accounts/twofactor.py).
TWO_FACTOR_REQUIRED = env.bool("DJANGO_TWO_FACTOR_REQUIRED", default=True)
PRIVILEGED_IDLE_SECONDS = env.int("DJANGO_PRIVILEGED_IDLE_SECONDS", default=30 * 60)
# A sign-up's link confirms its address for this long; an unconfirmed name is free again after it.
SIGNUP_CONFIRM_SECONDS = env.int("DJANGO_SIGNUP_CONFIRM_SECONDS", default=3 * 24 * 3600)
# A password reset link works once and for this long (Django's token holds the password it changes).
PASSWORD_RESET_TIMEOUT = env.int("DJANGO_PASSWORD_RESET_SECONDS", default=60 * 60)
OTP_TOTP_ISSUER = "Code of Conduct drafting"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# The interface's languages: the six official languages of the United Nations. Each has its
# catalogues under locale/ (made with `manage.py makemessages`, compiled .mo files committed);
# tests/test_languages.py fails when a string is left untranslated or a catalogue is behind the code.
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
# Finished exports; web and worker must share it (a named volume in docker-compose.yml).
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Drafts with more clauses than this are exported by a worker, with progress shown on a page.
EXPORT_ASYNC_CLAUSES = env.int("EXPORT_ASYNC_CLAUSES", default=150)
# A rendered export is kept this long for the same text and format (the cache key is the text).
EXPORT_CACHE_SECONDS = env.int("EXPORT_CACHE_SECONDS", default=7 * 24 * 3600)
# Export jobs one person may have waiting or running at once; asking again for a file already
# being made gets that job, and a file already rendered is served at once (drafting/documents/jobs.py).
EXPORT_JOBS_PER_PERSON = env.int("DJANGO_EXPORT_JOBS_PER_PERSON", default=3)
# A worker stops rendering one export after this long (the 1,000-clause PDF takes about 25 s), so no
# file can hold the exports queue; the job fails saying so.
EXPORT_SECONDS_LIMIT = env.int("DJANGO_EXPORT_SECONDS_LIMIT", default=600)
# Amendments (suggestions included) one person may have waiting on one paragraph in a round.
AMENDMENTS_WAITING_PER_CLAUSE = env.int("DJANGO_AMENDMENTS_WAITING_PER_CLAUSE", default=10)
# An imported file larger than this is built by the worker (documents queue), its stage shown on a
# page; at most IMPORT_JOBS_PER_PERSON of a person's imports wait or run at once
# (drafting/documents/import_jobs.py).
IMPORT_IN_WORKER_BYTES = env.int("DJANGO_IMPORT_IN_WORKER_BYTES", default=100_000)
IMPORT_JOBS_PER_PERSON = env.int("DJANGO_IMPORT_JOBS_PER_PERSON", default=2)
# A draft's rendered text, kept per state of the text (drafting/views/drafts.py draft_text).
DRAFT_TEXT_CACHE_SECONDS = env.int("DRAFT_TEXT_CACHE_SECONDS", default=24 * 3600)
# Views of a draft closer together than this are one visit; "changes since your last visit" starts
# where the previous visit ended (drafting/services/visits.py).
VISIT_GAP = timedelta(seconds=env.int("VISIT_GAP_SECONDS", default=3600))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "codeofconduct.cache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from Redis on every signed-in request and written through to the database,
    # which stays the record (a flushed cache signs nobody out).
    SESSION_ENGINE = "accounts.sessions"
else:
    # The database, not each process's memory: rate-limit counters must be shared by every worker.
    # The table is made by migrate (codeofconduct.apps).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "platform_cache"}}

# What the platform renders (draft texts, exports, compilations) is cached under "renders", in the
# same store, with every key starting with the release: a new release never serves what an older one
# rendered, and no version constant is bumped by hand when a template or a renderer changes. Counters
# (rate limits, known log-in addresses) stay in "default", so a deploy lifts no lock-out.
# DJANGO_RELEASE names the release (a deployment may give its image tag); without it, a digest of
# the code, templates, static files and pinned requirements (codeofconduct/release.py).
RELEASE = env("DJANGO_RELEASE", default="") or release.digest(BASE_DIR)
RENDERS = "renders"
CACHES[RENDERS] = {**CACHES["default"], "KEY_PREFIX": RELEASE}

# Email: SMTP wherever EMAIL_HOST is given (Mailpit in compose), the console otherwise; the local
# settings keep it as files instead, for administrators to read (notifications/sent_mail.py).
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# Where the file-based backends (the local settings' Sent mail, Django's own) leave each message.
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Code of Conduct drafting <noreply@localhost>")
# Links in emails are absolute: the address people reach the platform at.
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")
EMAIL_MESSAGE_DOMAIN = env("DJANGO_EMAIL_MESSAGE_DOMAIN", default="codeofconduct.local")
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
EMAIL_RETRY_BASE_SECONDS = env.int("EMAIL_RETRY_BASE_SECONDS", default=30)
# What the sweep leaves to the normal path before it steps in.
SWEEP_GRACE_SECONDS = env.int("SWEEP_GRACE_SECONDS", default=30)
EMAIL_TIMEOUT = 10

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, which needs no
# server, so the embedded set-up still runs a real worker and beat.
BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(BASE_DIR / "var" / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
    }
    # kombu does not make its folders, and a publish into a missing one fails; web, worker and beat
    # all load these settings, so a fresh checkout works without dev.py.
    for folder in ("queue", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is delivered again
# Exports render whole documents and large imports build whole drafts (seconds to minutes each):
# they have a queue and a worker of their own, so a burst of them never holds up round moves,
# notifications or sign-up emails on "celery".
EXPORT_QUEUE = "exports"
CELERY_TASK_ROUTES = {
    "drafting.tasks.run_export": {"queue": EXPORT_QUEUE},
    "drafting.tasks.prepare_export": {"queue": EXPORT_QUEUE},
    "drafting.tasks.run_import": {"queue": EXPORT_QUEUE},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A publish to a down broker fails at once instead of holding the request; the sweep catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
if REDIS_URL:
    # max_retries 0: kombu would otherwise sleep and retry the connection inside the request.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "max_retries": 0}
HEARTBEAT_INTERVAL = timedelta(seconds=env.int("HEARTBEAT_INTERVAL_SECONDS", default=15))
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "codeofconduct.tasks.heartbeat",
        "schedule": HEARTBEAT_INTERVAL.total_seconds(),
    },
    "sweep-pending-notifications": {
        "task": "notifications.tasks.sweep_pending_notifications",
        "schedule": env.float("SWEEP_SECONDS", default=60.0),
    },
    # Export jobs a down broker lost or a dead worker left running go back in the queue.
    "retry-export-jobs": {
        "task": "drafting.tasks.retry_export_jobs",
        "schedule": env.float("SWEEP_SECONDS", default=60.0),
    },
    # Sign-up emails a lost message or a down broker left unsent.
    "sweep-signup-emails": {
        "task": "accounts.tasks.sweep_signup_emails",
        "schedule": env.float("SWEEP_SECONDS", default=60.0),
    },
    "purge-expired-api-tokens": {
        "task": "accounts.tasks.purge_expired_tokens",
        "schedule": crontab(hour=3, minute=30),
    },
    "forget-old-live-events": {
        "task": "live.tasks.forget_old_events",
        "schedule": crontab(minute=15),
    },
    "daily-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=env.int("DIGEST_HOUR_UTC", default=7), minute=0),
    },
    # Rounds move on time to within this many seconds.
    "advance-rounds": {
        "task": "drafting.tasks.advance_rounds",
        "schedule": env.float("ROUND_SCHEDULE_SECONDS", default=30.0),
    },
}

# API tokens (django-rest-knox, accounts.ApiToken): hashed at rest, each with a name and an expiry.
# Days a token lasts unless its owner asks for less; an administrator's or moderator's token lasts
# at most PRIVILEGED_TOKEN_HOURS, as their session ends after PRIVILEGED_IDLE_SECONDS idle.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model name, not a secret)
# knox's own migrations would create its default token table beside accounts.ApiToken, which
# replaces it; without them nothing of knox's is in the database (a swapped model is never created).
MIGRATION_MODULES = {"knox": None}
API_TOKEN_DAYS = env.int("DJANGO_API_TOKEN_DAYS", default=30)
API_TOKEN_MAX_DAYS = env.int("DJANGO_API_TOKEN_MAX_DAYS", default=365)
PRIVILEGED_TOKEN_HOURS = env.int("DJANGO_PRIVILEGED_TOKEN_HOURS", default=24)
# Live tokens one person may hold at once (a script per device, not one per request).
API_TOKENS_PER_PERSON = env.int("DJANGO_API_TOKENS_PER_PERSON", default=20)
REST_KNOX = {"TOKEN_TTL": timedelta(days=API_TOKEN_DAYS), "AUTH_HEADER_PREFIX": "Token"}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request to a protected endpoint gets 401, not 403.
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reading follows each draft's visibility (drafting/rules.py); writing needs a signed-in person
    # (else 401), whose rights the services then check against the same rules.
    "DEFAULT_PERMISSION_CLASSES": ["codeofconduct.access.ReadOrSignedIn"],
    "DEFAULT_PAGINATION_CLASS": "codeofconduct.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # drf-spectacular's, plus the error answers every operation shares (400, 401, 404, ...).
    "DEFAULT_SCHEMA_CLASS": "codeofconduct.schema.AutoSchema",
    "EXCEPTION_HANDLER": "codeofconduct.errors.api_exception_handler",
    # API.md gives ?format= to exports and reports (md, pdf, csv, ...), not to DRF's renderer choice.
    "URL_FORMAT_OVERRIDE": None,
    # Every API answer is JSON (API.md), whatever a client's Accept asks: no browsable HTML pages.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies must be objects, nested at most MAX_JSON_DEPTH deep, with no control characters.
    "DEFAULT_PARSER_CLASSES": [
        "codeofconduct.inputs.JSONParser",
        "rest_framework.parsers.FormParser",
        "codeofconduct.inputs.MultiPartParser",
    ],
}
# Rate limits (codeofconduct/limits.py), "N/period". Counters live in the default cache, so every
# web worker shares them. Failed log-ins count per address and per account, for every log-in door
# (page, API token, admin); an address the owner logged in from before is spared the account limit.
LOGIN_ADDRESS_RATE = env("DJANGO_LOGIN_ADDRESS_RATE", default="30/10min")
LOGIN_ACCOUNT_RATE = env("DJANGO_LOGIN_ACCOUNT_RATE", default="10/10min")
SIGNUP_ADDRESS_RATE = env("DJANGO_SIGNUP_ADDRESS_RATE", default="20/hour")
PASSWORD_RESET_ADDRESS_RATE = env("DJANGO_PASSWORD_RESET_ADDRESS_RATE", default="10/hour")
PASSWORD_RESET_EMAIL_RATE = env("DJANGO_PASSWORD_RESET_EMAIL_RATE", default="3/hour")
# Exports asked for without signing in (each renders a document).
HEAVY_ANONYMOUS_RATE = env("DJANGO_HEAVY_ANONYMOUS_RATE", default="10/min")
# Proxies (addresses or networks) whose X-Forwarded-For is believed; none by default, so a client
# cannot choose its own address. Behind a reverse proxy, list the proxy's address here.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])
SPECTACULAR_SETTINGS = {
    "TITLE": "Code of Conduct drafting API",
    "DESCRIPTION": "Drafting an international code of conduct for responsible behaviour in cyberspace.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ClauseStatusEnum": "drafting.models.ClauseStatus",
        "MembershipStatusEnum": "accounts.models.Membership.Status",
        "AmendmentStatusEnum": "drafting.models.AmendmentStatus",
        "StakeholderGroupEnum": "accounts.models.StakeholderGroup",
        "VoteChoiceEnum": "drafting.models.VoteChoice",
        "RoleEnum": "drafting.models.Role",
        "JoinRoleEnum": [("participant", "Participant"), ("observer", "Observer")],
        "SectionKindEnum": "drafting.models.SectionKind",
        "DistributionEnum": "drafting.models.Distribution",
        "AmendmentKindEnum": "drafting.models.AmendmentKind",
        "JobStatusEnum": "drafting.models.ExportJob.Status",  # export and import jobs
        "CosponsorshipStatusEnum": "drafting.models.Cosponsorship.Status",
        "CosponsorshipEnum": "drafting.models.CosponsorAdmission",
        "LanguageEnum": "drafting.models.Language",
        "TranslationStateEnum": "drafting.selectors.translations.STATES",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# A strict policy: no inline scripts, handlers or styles anywhere (DESIGN.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Django's defaults, named so that no upgrade or environment loosens them quietly (OWASP secure
# headers; the rest are sent by codeofconduct/headers.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Limits on user text, so nobody can fill the database or a page with one field.
MAX_CLAUSE_TEXT = 20_000
MAX_TITLE = 300
MAX_SUMMARY = 5_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a JSON body or a form's fields (2.5 MiB)
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=10 * 1024 * 1024)  # any request, uploads included
MAX_JSON_DEPTH = 32

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused suspicious request is one line, not a traceback (codeofconduct/logfilters.py).
    "filters": {"client_faults": {"()": "codeofconduct.logfilters.ClientFaults"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_faults"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
