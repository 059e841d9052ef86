"""Settings for the Platform Openness Registry.

Everything that differs between a laptop, CI and production comes from the environment through
the getters in ``config.env``; ``.env.example`` lists the variables with their defaults. A ``.env``
file in the project root (``make run`` writes one for development) fills in what the environment
does not set; with none, only the environment counts (production).
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_file, env_int, env_list, env_str, load_env_file

django_stubs_ext.monkeypatch()  # lets ModelAdmin[Resource] and the like be subscripted at run time

BASE_DIR = Path(__file__).resolve().parent.parent

# The file read (None: none): .env here, or the one REGISTRY_ENV_FILE names; empty for the tests.
ENV_FILE = env_file(BASE_DIR / ".env")
load_env_file(ENV_FILE)

DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A development key, generated once and kept beside the project (git ignores it) so that
    # sessions survive the development server's reloads.
    key_file = BASE_DIR / ".dev-secret-key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


# Browser pages on other origins (a provincial portal) may call the API: django-cors-headers, on
# /api/ only. CORS_ALLOWED_ORIGINS lists them (https://portal.example.cn,…), or is "*" for any;
# CORS_ALLOW_LOCALHOST=1 (make run) adds every http(s)://localhost, 127.0.0.1 and [::1] port.
# Credentials (cookies) never cross origins: a page authenticates with a bearer token, so a
# signed-in curator's session can never be used from another site.
def _cors_origins(names: list[str]) -> tuple[list[str], bool]:
    if names == ["*"]:
        return [], True
    for origin in names:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or origin == "*":
            raise ImproperlyConfigured(
                f"CORS_ALLOWED_ORIGINS takes origins such as https://portal.example.cn "
                f"(scheme and host, no path), or * alone; got {origin!r}"
            )
    return names, False


CORS_ALLOWED_ORIGINS, CORS_ALLOW_ALL_ORIGINS = _cors_origins(env_list("CORS_ALLOWED_ORIGINS"))
_LOCALHOST_ORIGIN = r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?$"
CORS_ALLOWED_ORIGIN_REGEXES = (
    [_LOCALHOST_ORIGIN] if env_bool("CORS_ALLOW_LOCALHOST", default=False) else []
)
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_CREDENTIALS = False
# What a page may send beyond the CORS-safelisted headers: conditional requests, JSON and merge
# patches, the bearer token.
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "if-match",
    "if-none-match",
]
# What a page may read beyond the safelisted response headers.
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "WWW-Authenticate",
    "X-Feed-Cursor",
]
CORS_PREFLIGHT_MAX_AGE = 86400  # a day: one preflight per page, method and header set

INSTALLED_APPS = [
    "config",  # first, so its templates override the libraries' (the Redoc page without web fonts)
    "config.apps.RegistryAdminConfig",  # django.contrib.admin on the curators' site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "config.apps.TasksConfig",  # django_tasks_db, named in the reader's language
    "core",
    "registry",
    "openness",
    "notifications",
    "pilots",
    "progress",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # before anything that may answer
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.caching.ApiCacheControlMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ApiProblemMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# The embedded default is an SQLite file beside the project; production sets DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a server database (several gunicorn workers and the db_worker write at once):
    # WAL lets readers go on beside the one writer; a transaction takes the write lock when it
    # begins (IMMEDIATE), so it waits for it, up to the busy timeout, instead of failing with
    # "database is locked" when a read inside it would have to be upgraded to a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CSRF_FAILURE_VIEW = "config.urls.csrf_failure"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS (docker-compose.yml turns these on; `manage.py check --deploy` wants them). HSTS tells
# browsers to use https only, for SECURE_HSTS_SECONDS; the redirect sends http requests to https,
# except the health checks, which the container's own probe makes over plain http.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("SECURE_HSTS_SECONDS must be 0 or more.")

# Rate limits (config.api.throttling). A rate is requests per s, min, hour or day: "120/min".
_RATE = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)")


def _rate(name: str, default: str) -> str:
    value = env_str(name, default).strip()
    if not _RATE.fullmatch(value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 120/min, got {value!r}")
    return value


THROTTLING_ENABLED = env_bool("THROTTLING_ENABLED", default=True)
# How many reverse proxies stand in front of the web processes; each appends to X-Forwarded-For.
# 0: the client is REMOTE_ADDR. Set it only behind proxies that do append, or clients can pose
# as any address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# Whether a request came over https: from the proxies' X-Forwarded-Proto only when there are
# proxies to trust; else any client could claim https and the secure-only redirect would not apply.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT > 0 else None


def _caches(url: str) -> dict[str, dict[str, object]]:
    """Django's cache (it holds the rate-limit counts): in-process, or Redis shared by all."""
    if not url or url.startswith("locmem://"):
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "registry",
                # A Redis that has gone away must not hold every request for long.
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
    raise ImproperlyConfigured(f"CACHE_URL must be empty, locmem:// or redis://…, got {url!r}")


CACHES = _caches(env_str("CACHE_URL").strip())
# How long anyone may keep an anonymous read of the API (Cache-Control max-age; config.caching).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 30)

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "config.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.api.negotiation.ContentNegotiation",
    # Bearer first: its challenge is the WWW-Authenticate of every 401. Sessions (with CSRF) serve
    # the admin and the browsable API.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every view declares a permission_policy; an action without a rule is refused.
    "DEFAULT_PERMISSION_CLASSES": ["config.api.permissions.PolicyPermission"],
    "DEFAULT_THROTTLE_CLASSES": [
        "config.api.throttling.AnonRateThrottle",
        "config.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _rate("THROTTLE_ANON", "120/min"),
        "user": _rate("THROTTLE_USER", "600/min"),
        "auth": _rate("THROTTLE_AUTH", "10/min"),  # registration and token requests, per address
        "ping": _rate("THROTTLE_PING", "5/min"),  # webhook pings, per user
        "redeliver": _rate("THROTTLE_REDELIVER", "10/min"),  # webhook redeliveries, per user
    },
    "DEFAULT_FILTER_BACKENDS": ["config.api.filtersets.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.RegistryAutoSchema",
    "EXCEPTION_HANDLER": "config.api.errors.problem_exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Platform Openness Registry API",
    "DESCRIPTION": (
        "The system of record for the platform openness lists of the 2026–2028 Action Plan: "
        "platforms publish the resources they open to SMEs, curators publish numbered batches, "
        "SMEs search and subscribe. Errors are RFC 9457 problem details; lists are "
        "cursor-paginated; detail responses carry an ETag."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "LICENSE": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
    # Relative: the registry that serves the document (the committed copy names no deployment).
    "SERVERS": [{"url": "/", "description": "The registry serving this document."}],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ResourceTypeEnum": "registry.choices.ResourceType",
        "AccessModelEnum": "registry.choices.AccessModel",
        "ResourceStatusEnum": "registry.choices.ResourceStatus",
        "EnterpriseSizeEnum": "registry.choices.EnterpriseSize",
        "BatchStatusEnum": "openness.choices.BatchStatus",
        "EntryStatusEnum": "openness.choices.EntryStatus",
        "EventTypeEnum": "core.choices.EventType",
        "DeliveryStatusEnum": "notifications.choices.DeliveryStatus",
        "PilotStatusEnum": "pilots.choices.PilotStatus",
        "ScenarioMaturityEnum": "pilots.choices.ScenarioMaturity",
        "AICapabilityEnum": "pilots.choices.AICapability",
        "LeadKindEnum": "pilots.choices.LeadKind",
        # The code lists (registry.api.code_fields): one enum each, whatever the field's name.
        "RegionsEnum": "registry.vocabularies.region_codes",
        "IndustriesEnum": "registry.vocabularies.industry_codes",
    },
    # What a subscription's receiver gets (OpenAPI 3.1's webhooks section).
    "WEBHOOKS": ["notifications.api.webhooks.event"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.add_shared_components",
        "config.api.schema.drop_base_class_docstrings",
        "config.api.schema.reference_shared_enums",
        "config.api.schema.require_polymorphic_request_bodies",
        "config.api.schema.declare_webhooks_unauthenticated",
        "config.api.schema.copy_filters",
    ],
    "TAGS": [
        {"name": "meta", "description": "The API root, vocabularies and resource types."},
        {"name": "platforms", "description": "Enterprises that open resources to SMEs."},
        {"name": "resources", "description": "What platforms open: search, filter and read."},
        {
            "name": "openness lists",
            "description": "Numbered batches, their entries, review and publication; the change "
            "feed.",
        },
        {
            "name": "subscriptions",
            "description": "Standing searches delivered as signed webhooks or a pull feed, and "
            "their deliveries (docs/webhooks.md).",
        },
        {
            "name": "pilots",
            "description": "Pilot projects, application scenarios and service platforms "
            "(docs/pilots.md).",
        },
        {"name": "auth", "description": "Registration and API tokens."},
    ],
}

# Background work (webhook delivery, matching) on django.tasks; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Search (docs/search.md): the Tantivy index's directory, written by one follower process
# (`manage.py follow_search_index`) and read by every web and worker process on the machine. Empty
# keeps an index in memory that each process follows itself (the tests).
SEARCH_INDEX_DIR = env_str("SEARCH_INDEX_DIR", str(BASE_DIR / "var" / "search-index"))
# Days the change log keeps its lines (a follower stopped for longer must rebuild its index).
SEARCH_CHANGES_KEEP_DAYS = env_int("SEARCH_CHANGES_KEEP_DAYS", 7)
# Seconds subscription matching waits for the index to take in the events it matches.
SEARCH_MATCH_WAIT_SECONDS = float(env_str("SEARCH_MATCH_WAIT_SECONDS", "5"))

# Secrets kept encrypted at rest (webhook signing secrets): Fernet keys, newest first, so a key can
# be rotated in. Empty: one key derived from SECRET_KEY (rotating SECRET_KEY then needs the old
# derived key listed here).
ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS")

# Webhooks (docs/webhooks.md). The public address of this registry, for the URLs in payloads.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Private networks webhook receivers may be on (CIDRs; nothing by default): local development and
# tests. Everything else must be globally routable, and reached over https unless DEBUG is on.
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS")
WEBHOOK_CONNECT_TIMEOUT = float(env_str("WEBHOOK_CONNECT_TIMEOUT", "5"))
WEBHOOK_TIMEOUT = float(env_str("WEBHOOK_TIMEOUT", "15"))
# A delivery task starts no new attempt after this many seconds (nor after a failed one): the rest
# waits for a fresh task at the back of the queue, so one subscription cannot hold a worker.
WEBHOOK_TASK_SECONDS = float(env_str("WEBHOOK_TASK_SECONDS", "10"))
# A background task still RUNNING after this many seconds lost its worker (SIGKILL): marked failed.
TASKS_STALE_AFTER = float(env_str("TASKS_STALE_AFTER", "3600"))
WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024
WEBHOOK_STORED_RESPONSE_BYTES = 1024
SUBSCRIPTIONS_PER_USER = env_int("SUBSCRIPTIONS_PER_USER", 50)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Credentials in URLs (a token sent as ?access_token=…) are written as [REDACTED].
    "filters": {"redact_secrets": {"()": "config.gunicorn.SecretsRedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
