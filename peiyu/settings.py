"""Peiyu settings, read top to bottom. Everything that differs between machines comes from the
environment; the defaults are safe for development and refuse to run in production unsafely."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("PEIYU_VAR_DIR", BASE_DIR.parent / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-peiyu-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "peiyu.core.views.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "csp",
    "ninja",
    "huey.contrib.djhuey",
    "peiyu.core",
    "peiyu.enterprises",
    "peiyu.evaluation",
    "peiyu.carriers",
    "peiyu.targets",
    "peiyu.ledger",
    "peiyu.projects",
    "peiyu.support",
    "peiyu.services",
    "peiyu.party",
    "peiyu.bulletins",
    "peiyu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "peiyu.core.middleware.ActorMiddleware",
    "peiyu.core.requestlog.RequestLogMiddleware",
]

ROOT_URLCONF = "peiyu.urls"
WSGI_APPLICATION = "peiyu.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peiyu.core.context_processors.shell",
            ],
        },
    }
]

# SQLite under var/ by default (WAL is switched on per connection, see core.apps);
# PostgreSQL or another server through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'peiyu.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared across worker processes so login throttling holds under gunicorn.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    # Sessions read from Redis, written through to the database (they survive a Redis restart).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins per account and address before a lock-out, and how long it lasts (seconds).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
# The request header a trusted reverse proxy puts the client address in, e.g. HTTP_X_REAL_IP.
PEIYU_CLIENT_IP_HEADER = os.environ.get("PEIYU_CLIENT_IP_HEADER", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Attachments live in private storage and are served only through the scope-checking download view:
# a directory under PEIYU_VAR_DIR, or an S3-compatible bucket (MinIO …) when PEIYU_S3_BUCKET is set
# (needs the `s3` extra; keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
STORAGES["attachments"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(VAR_DIR / "attachments"), "base_url": None},
}
if os.environ.get("PEIYU_S3_BUCKET"):
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["PEIYU_S3_BUCKET"],
            "endpoint_url": os.environ.get("PEIYU_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PEIYU_S3_REGION") or None,
            "location": "attachments",
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
PEIYU_ATTACHMENT_MAX_BYTES = int(os.environ.get("PEIYU_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))

# Uploads (spreadsheets) are bounded; larger files are refused before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PEIYU_UPLOAD_MAX_BYTES = int(os.environ.get("PEIYU_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

# Background work. The "jobs" settings (Redis when REDIS_URL is set, the scheduler) build on this;
# the embedded default keeps its queue in SQLite under PEIYU_VAR_DIR. Tests run tasks immediately.
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "peiyu",
    "filename": str(VAR_DIR / "huey.sqlite3"),
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "utc": False,  # crontab times are TIME_ZONE (Beijing) times
}

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "peiyu@localhost")
EMAIL_SUBJECT_PREFIX = "[培育] "
# The address users reach the platform at, for links in e-mail (e.g. https://peiyu.example.gov.cn).
PEIYU_SITE_URL = os.environ.get("PEIYU_SITE_URL", "").rstrip("/")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files, plus inline blocks carrying the per-response nonce
# (`<script nonce="{{ request.csp_nonce }}">`); no inline event handlers (core/peiyu.js gives them as
# data attributes). Styles allow inline because ECharts' tooltips and HTMX's indicator set style text.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# PEIYU_INSECURE_HTTP=1 serves production settings over plain HTTP (make run on one's own machine,
# the CI smoke run): no HTTPS redirect, no HSTS, cookies sent without TLS. Never behind a public address.
INSECURE_HTTP = env_bool("PEIYU_INSECURE_HTTP", False)
if not DEBUG and not INSECURE_HTTP:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Text logs by default; PEIYU_LOG_FORMAT=json writes one JSON object per line, including one line per
# request (peiyu.request) and per job (peiyu.jobs), for a log collector on a multi-host setup.
LOG_FORMAT = os.environ.get("PEIYU_LOG_FORMAT", "text")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        **{name: {"level": "INFO" if LOG_FORMAT == "json" else LOG_LEVEL} for name in ("peiyu.request", "peiyu.jobs")},
        # A worker says which task it runs; a handler of its own keeps Huey from adding a second one.
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# The job queue (Huey): SQLite under PEIYU_VAR_DIR on one machine, Redis (the same server as the
# cache) when REDIS_URL is set, so any number of workers on any number of hosts share it. `peiyu
# worker` runs a consumer. Schedules are in Beijing time (utc off: Django sets the process time zone).
HUEY = {
    "name": os.environ.get("PEIYU_QUEUE_NAME", "peiyu"),
    "immediate": env_bool("PEIYU_JOBS_IMMEDIATE", False),
    "utc": False,
    "results": False,
    "consumer": {"workers": int(os.environ.get("PEIYU_WORKER_THREADS", "2")), "worker_type": "thread",
                 "max_delay": 1.0, "periodic": True},
}
if os.environ.get("REDIS_URL"):
    HUEY |= {"huey_class": "huey.RedisHuey", "url": os.environ["REDIS_URL"]}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "queue.sqlite3")}
# A running job whose worker has not renewed its lease for this long is marked failed.
PEIYU_JOB_STALE_SECONDS = int(os.environ.get("PEIYU_JOB_STALE_SECONDS", "60"))
# Finished jobs' result files (exports) are kept this many days.
PEIYU_JOB_FILE_DAYS = int(os.environ.get("PEIYU_JOB_FILE_DAYS", "7"))

PAGE_SIZE = 50
