"""Django settings for the GetResolved API server.

Every deployment-specific value comes from the environment; the README lists
each variable. The defaults are safe for production except where DEBUG is on.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from getresolved.env import env_bool, env_float, env_int, env_list, env_str
from getresolved.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string, or set DEBUG=true for a local development server."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "getresolved.apps.GetResolvedConfig",
    "workspaces",
    "conversations",
    "issues",
    "releases",
]

MIDDLEWARE = [
    "getresolved.api.middleware.RequestIdMiddleware",
    "getresolved.api.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "getresolved.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "getresolved.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on SQLite otherwise fail at once with "database is
    # locked": IMMEDIATE takes the write lock when a transaction starts, so
    # writers queue for up to `timeout` seconds, and WAL lets reads go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }

AUTH_USER_MODEL = "workspaces.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_str("STATIC_ROOT") or BASE_DIR / "staticfiles"
# WhiteNoise serves the files that `collectstatic` wrote to STATIC_ROOT, with
# hashed names (cached forever by browsers) and precompressed copies.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. Production sits behind a TLS-terminating proxy; the README lists the
# values that make `manage.py check --deploy` pass. Cookies are Secure unless
# DEBUG is on, so they never travel over plain HTTP by default.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# Load balancers probe over plain HTTP and do not follow redirects.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Trust X-Forwarded-Proto only when the operator says a proxy sets it, because
# otherwise any client could claim its plain-HTTP request was HTTPS.
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Bodies larger than this are rejected before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BODY_BYTES", 1024 * 1024)

# Per-process memory unless CACHE_URL names a Redis server. With more than one
# application server, set CACHE_URL so counters kept in the cache (such as
# rate limits) are shared by every process instead of counted per worker.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"CACHE_URL={CACHE_URL!r} is not a Redis URL; use redis://host:6379/0, rediss://... or unix://..."
        )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Replies are emailed inside the request that posts them, so a mail server that
# stops responding must not hold the request open for long.
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT_SECONDS", 10.0)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "support@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["getresolved.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["getresolved.api.permissions.HasValidApiKey"],
    "DEFAULT_PARSER_CLASSES": ["getresolved.api.parsers.JsonObjectParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "getresolved.api.negotiation.SingleFormatNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["getresolved.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "getresolved.api.pagination.LimitOffsetPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "getresolved.api.schema.EnvelopeAutoSchema",
    "EXCEPTION_HANDLER": "getresolved.api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": False,
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%S.%fZ",
}

# Requests per API key, as "COUNT/second|minute|hour|day", or "off". Counted in
# the cache named here, which must be shared (e.g. Redis) when several server
# processes or machines serve the API; the default local-memory cache counts per process.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "1200/minute")
API_RATE_LIMIT_CACHE = "default"

SPECTACULAR_SETTINGS = {
    "TITLE": "GetResolved API",
    "DESCRIPTION": (
        "Customer-support API: conversations become issues, issues ship in releases. "
        "Every request except the discovery documents needs `Authorization: Bearer gr_...`."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ConversationStatusEnum": "conversations.models.Conversation.Status",
        "ConversationTypeEnum": "conversations.models.Conversation.Type",
        "IssueStatusEnum": "issues.models.IssueStatus",
        "IssueCreateStatusEnum": "issues.models.CREATE_STATUS_CHOICES",
        # Issues and conversations share these four priorities.
        "PriorityEnum": "issues.models.IssuePriority",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The deduplicating create uses Anthropic's API when a key is present and a
# local text matcher otherwise (docs/dedup.md). The timeout bounds each network
# phase (connect, each read, write) of one attempt, not the whole call, and a
# failed attempt is retried ANTHROPIC_MAX_RETRIES times with back-off.
ANTHROPIC_API_KEY = env_str("ANTHROPIC_API_KEY") or None
ANTHROPIC_MODEL = env_str("ANTHROPIC_MODEL", "claude-haiku-5-5")
ANTHROPIC_TIMEOUT_SECONDS = env_float("ANTHROPIC_TIMEOUT_SECONDS", 10.0)
ANTHROPIC_MAX_RETRIES = env_int("ANTHROPIC_MAX_RETRIES", 1)
DEDUP_MAX_CANDIDATES = env_int("DEDUP_MAX_CANDIDATES", 200)

LOG_LEVEL = (env_str("LOG_LEVEL", "INFO") or "INFO").upper()
LOG_FORMAT = (env_str("LOG_FORMAT", "plain") or "plain").lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not supported; use plain or json.")
LOGGING = logging_config(LOG_LEVEL, LOG_FORMAT)
