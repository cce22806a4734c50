"""Glasshouse settings: one file, read from the environment.

With no environment set, the embedded default runs: SQLite, local media, in-process tasks,
console mail. DATABASE_URL, CELERY_BROKER_URL, REDIS_URL and USE_S3 switch on the production parts.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from kombu import Exchange
from kombu import Queue as KombuQueue

from portal.env import env_bool, env_choice, env_client_ip_source, env_int, env_list, env_required_when, env_str
from portal.logs import logging_config
from portal.queues import DEFAULT as DEFAULT_QUEUE
from portal.queues import LONGEST_TASK_SECONDS, QUEUES
from portal.sentry import init_sentry

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# The fallback key is only for the embedded default; `check --deploy` flags it, so production must set one.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-embedded-default-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "core",
    "portal",
    "programs",
    "submissions",
    "transparency",
    "studio",
    "calls",
    "accounts",
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.request_id.RequestIdMiddleware",  # before anything that logs, so every line carries the request's id
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # after sessions, before common (Django's order)
    "django.middleware.common.CommonMiddleware",
    "core.request_limits.RequestBodyLimitMiddleware",  # before anything reads a body (CSRF does)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.locale.UserLocaleMiddleware",  # a signed-in person's saved language and time zone
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.second_factor.StaffSecondFactorMiddleware",
    "portal.cache_headers.PrivateCacheMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process task runner write while a request reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not shared-cache memory: the browser tests' live server answers requests in parallel
    # threads, which an in-memory database refuses with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
else:
    # A database that is away or hung answers a 503 within seconds instead of holding every web worker: give up
    # connecting after DB_CONNECT_TIMEOUT, cancel any statement after DB_STATEMENT_TIMEOUT_MS (0: never), and
    # notice a silent network partition on an open connection through TCP keepalives and the unacknowledged-data
    # timeout. `migrate` on a large database may need DB_STATEMENT_TIMEOUT_MS=0.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 3),
        "options": f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 30_000)}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 3,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits live here; production needs a shared one) ---------------
# With Redis away, reads miss and writes are dropped (pure caches compute, the API limit lets requests through,
# both logged), while the claims that guard sign-in (allauth's rate limits, one-time TOTP codes) refuse with a
# 503: see core/cache.py and the README. REDIS_TIMEOUT_MS bounds each call, so a hung Redis costs that
# long once, then the cache is skipped for a few seconds.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    _redis_timeout = env_int("REDIS_TIMEOUT_MS", 500) / 1000
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": _redis_timeout, "socket_timeout": _redis_timeout},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Users and login ------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # client address, sign-in limits, mail through the queue
ACCOUNT_FORMS = {"signup": "accounts.adapter.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    # Failed passwords and second-factor codes: per client across accounts, per account and client, and a higher
    # ceiling per account that a one-time code by email gets around (accounts/adapter.py explains).
    "login_failed": "10/m/ip",
    "login_failed_client": "5/5m/key",
    "login_failed_account": "100/h/key",
    "signup": "10/m/ip",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Glasshouse] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
MFA_FORMS = {
    "authenticate": "accounts.adapter.MfaAuthenticateForm",
    "reauthenticate": "accounts.adapter.MfaReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Glasshouse"
MFA_TOTP_TOLERANCE = 1  # accept the neighbouring 30 s window: phones' clocks drift
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = SITE_URL.startswith("http://")  # localhost development only
USERSESSIONS_TRACK_ACTIVITY = True

# --- Mail (Django 6.1 MAILERS; console by default) ------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Glasshouse <noreply@glasshouse.localhost>")
SMTP_HOST = env_str("SMTP_HOST")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER"),
                "password": env_str("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 10,  # a hung server fails the send (which is retried) instead of holding a worker
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Enrolment --------------------------------------------------------------------------------
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
# Requests per program API key, as "<count>/<s|min|hour|day>"; counted in the cache (shared with REDIS_URL).
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/min")

# --- Storage: local media folder, or private S3 through django-storages --------------------
USE_S3 = env_bool("USE_S3", default=False)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served-publicly/"  # files are only served through access-checking views
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
if USE_S3:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_required_when(True, "S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION", "us-east-1"),
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "querystring_auth": True,
            "querystring_expire": env_int("S3_URL_EXPIRY_SECONDS", 300),
            "default_acl": None,
            "file_overwrite": False,
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }
else:
    _media_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        # Production runs collectstatic and sets STATIC_MANIFEST=1 for hashed, compressed files.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", default=False)

# Uploads larger than this go to a temporary file instead of memory, in FILE_UPLOAD_TEMP_DIR (default: the
# system's). The hourly sweep deletes upload files there older than UPLOAD_TEMP_MAX_AGE_HOURS (a killed worker's).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR") or None
UPLOAD_TEMP_MAX_AGE_HOURS = env_int("UPLOAD_TEMP_MAX_AGE_HOURS", 6)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest upload the proxy lets through to a video upload, the API or /verify/ (deploy/nginx.conf.template); keep
# it at or above every program's media limit, which Django's streaming handler applies below it.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 1024 * 1024 * 1024)
# Direct uploads (S3 only): the browser sends masters to the bucket in parts of this size (at least S3's 5 MiB), and
# an upload left unfinished this long is aborted and its parts removed by the hourly job. S3_UPLOAD_PROXY_PATH (e.g.
# /_bucket) makes the browser send them to that path on the portal's own origin, where nginx passes them on to the
# bucket (no CORS on the bucket needed); unset, the browser talks to S3_ENDPOINT_URL itself (which must allow the
# portal's origin by CORS, and expose the ETag header).
DIRECT_UPLOAD_PART_BYTES = max(env_int("DIRECT_UPLOAD_PART_BYTES", 16 * 1024 * 1024), 5 * 1024 * 1024)
DIRECT_UPLOAD_MAX_AGE_HOURS = env_int("DIRECT_UPLOAD_MAX_AGE_HOURS", 24)
S3_UPLOAD_PROXY_PATH = env_str("S3_UPLOAD_PROXY_PATH").rstrip("/")
# Behind nginx with local media: private files are handed to nginx by X-Accel-Redirect under this internal prefix.
PRIVATE_MEDIA_ACCEL_PREFIX = env_str("PRIVATE_MEDIA_ACCEL_PREFIX")
# The largest request body a page takes, in bytes, unless it declares otherwise (core/request_limits.py): the
# report forms add their screenshots to it; video uploads, /verify/ and the API bound their bodies themselves.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 2 * 1024 * 1024)
# Anonymous work: /verify/ requests per client address (core.client_ip), as "<count>/<s|min|hour|day>".
VERIFY_RATE_LIMIT = env_str("VERIFY_RATE_LIMIT", "10/min")

# --- Content Credentials (C2PA) ----------------------------------------------------------------
# The signer's private key (PKCS#8 PEM), its certificate chain (signer first) and the CA certificate published as
# the trust anchor. All three or none: with none, a demo CA and signer are made under MEDIA_ROOT on first use.
C2PA_SIGNER_KEY = env_str("C2PA_SIGNER_KEY")
C2PA_SIGNER_CERTS = env_required_when(bool(C2PA_SIGNER_KEY), "C2PA_SIGNER_CERTS")
C2PA_TRUST_ANCHOR = env_required_when(bool(C2PA_SIGNER_KEY), "C2PA_TRUST_ANCHOR")

# --- Celery ----------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
# Nothing reads task results (no .get(), no AsyncResult), so none are stored.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Without a broker, tasks run in-process right after the transaction commits.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it ends, and given back to the queue when its pool process dies (OOM, SIGKILL), so
# a killed worker never loses one; each process takes one task at a time, so none wait behind a long one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One queue per workload (portal/queues.py routes each task by name, and gives a task without time limits of its
# own its queue's, so there is no global limit here). A worker started without -Q consumes every queue;
# production's workers each name theirs (Procfile).
CELERY_TASK_QUEUES = [KombuQueue(q.name, Exchange(q.name), routing_key=q.name) for q in QUEUES]
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE.name
CELERY_TASK_ROUTES = ["portal.queues.route_task"]
CELERY_TASK_ANNOTATIONS = ["portal.queues.QueueTimeLimits"]
# A broker that is away must not hold a web request: publishing gives up at once when refused, within about 2 s
# when the broker hangs (callers keep the work in the database, and the sweepers send it again). The visibility
# timeout gives a whole dead worker's unacknowledged tasks back: longer than the longest a task may run on any queue
# (the default queue's 20 minutes, for the data export's 16) and any retry's countdown (at most 10 minutes), far
# below Redis's default hour.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": LONGEST_TASK_SECONDS + 5 * 60,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "retry_on_timeout": False,
}
CELERY_TIMEZONE = "UTC"
# The studio (studio/): how often queued jobs are sent and running ones polled, and how long the built-in
# stand-in renderer pretends to take (0: finished at the first poll).
STUDIO_POLL_SECONDS = env_int("STUDIO_POLL_SECONDS", 10)
# How many providers' answers the poller waits for at once (each is a round trip to the provider).
STUDIO_POLL_THREADS = env_int("STUDIO_POLL_THREADS", 16)
STUDIO_LOCAL_RENDER_SECONDS = env_int("STUDIO_LOCAL_RENDER_SECONDS", 0)
# Fixed jobs (django-celery-beat does not support Django 6.1). Each app adds its entries here.
CELERY_BEAT_SCHEDULE: dict = {
    "clear-expired-sessions": {"task": "portal.tasks.clear_expired_sessions", "schedule": 24 * 60 * 60},
    "accrue-stipends": {"task": "programs.tasks.compensation.accrue_stipends", "schedule": 6 * 60 * 60},
    "retry-pending-credits": {"task": "programs.tasks.compensation.retry_pending_credits", "schedule": 15 * 60},
    "requeue-stalled-videos": {"task": "submissions.tasks.videos.requeue_stalled_videos", "schedule": 5 * 60},
    "approve-overdue-reviews": {"task": "submissions.tasks.approvals.approve_overdue_reviews", "schedule": 5 * 60},
    "send-review-reminders": {"task": "submissions.tasks.approvals.send_review_reminders", "schedule": 15 * 60},
    # Mail that never left (the broker was away when it was queued, or its worker died) is queued again.
    "sweep-mail": {"task": "core.tasks.sweep_mail", "schedule": 5 * 60},
    # Public reports recomputed within their one-minute freshness, so visitors never wait for the aggregates.
    "refresh-transparency-reports": {
        "task": "transparency.tasks.refresh_transparency_reports",
        "schedule": 30,
    },
    "tidy-data-exports": {"task": "accounts.tasks.tidy_data_exports", "schedule": 15 * 60},
    "sweep-upload-temp-files": {"task": "submissions.tasks.videos.sweep_upload_temp_files", "schedule": 60 * 60},
    # Direct uploads: unfinished ones past their age aborted (their parts removed), lost processing sent again.
    "sweep-direct-uploads": {"task": "submissions.tasks.videos.sweep_direct_uploads", "schedule": 15 * 60},
    # The studio's dispatcher and poller: on its own queue, so generation never waits behind the other jobs.
    "studio-poll-generation": {
        "task": "studio.tasks.poll_generation",
        "schedule": STUDIO_POLL_SECONDS,
        "options": {"queue": "generation"},
    },
    # Published copies whose Content Credentials no longer match the consent ledger or the public credit.
    "resign-content-credentials": {"task": "submissions.tasks.credentials.resign_due_credentials", "schedule": 5 * 60},
}

# --- Security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Production behind TLS sets SECURE_COOKIES=1, SECURE_SSL_REDIRECT=1 and SECURE_HSTS_SECONDS (see README).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Who the client is, behind how many proxies of our own (portal/env.py explains). core.client_ip derives the
# address from these two for everything: consent records, allauth's login limits and sessions, the API's limits.
CLIENT_IP_HEADER, TRUSTED_PROXY_COUNT = env_client_ip_source()

_media_origin = env_str("S3_PUBLIC_ORIGIN")  # the bucket's origin, where presigned media URLs point
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_media_origin] if _media_origin else [])],
    "media-src": [CSP.SELF, *([_media_origin] if _media_origin else [])],
    # Direct uploads talk to the bucket, through the proxy path (same origin) or at its own origin.
    "connect-src": [CSP.SELF, *([_media_origin] if _media_origin and USE_S3 and not S3_UPLOAD_PROXY_PATH else [])],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
# The portal's languages; locale/ holds their catalogues (`make messages` refreshes them; README "Adding a language").
LANGUAGES = [("en-gb", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Logs and errors ---------------------------------------------------------------------------
# LOG_FORMAT=json writes one JSON object a line (for a log pipeline); each line carries the request id.
LOG_FORMAT = env_choice("LOG_FORMAT", ["text", "json"], "text")
LOGGING = logging_config(level=env_str("LOG_LEVEL", "INFO"), json_lines=LOG_FORMAT == "json")
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    init_sentry(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE"),
        traces_sample_rate=env_int("SENTRY_TRACES_PERCENT", 0) / 100,
    )

# --- Studio: model providers -------------------------------------------------------------------
# Each provider is offered only when its credentials are set here (never in the database or a page); a base URL
# left empty means the provider's public API. Calls give up after PROVIDER_TIMEOUT_SECONDS and are not retried by
# the SDKs: the studio's queue retries them itself.
PROVIDER_TIMEOUT_SECONDS = env_int("PROVIDER_TIMEOUT_SECONDS", 30)
OPENAI_API_KEY = env_str("OPENAI_API_KEY")
OPENAI_BASE_URL = env_str("OPENAI_BASE_URL")
OPENAI_WEBHOOK_SECRET = env_str("OPENAI_WEBHOOK_SECRET")
RUNWAYML_API_SECRET = env_str("RUNWAYML_API_SECRET")
RUNWAY_BASE_URL = env_str("RUNWAY_BASE_URL")
GEMINI_API_KEY = env_str("GEMINI_API_KEY")
GEMINI_BASE_URL = env_str("GEMINI_BASE_URL")
COMFYUI_URL = env_str("COMFYUI_URL")
COMFYUI_TOKEN = env_str("COMFYUI_TOKEN")
# ComfyUI's models: a JSON file of workflows (API format) with their capabilities (studio/providers/comfyui.py);
# default: the bundled studio/providers/comfyui_workflows.json.
COMFYUI_WORKFLOWS_PATH = env_str("COMFYUI_WORKFLOWS_PATH")
