"""Parley settings. Every value that differs between machines comes from the environment.

Development defaults are safe: DEBUG on, a throw-away secret, SQLite in the project folder.
With DEBUG off, SECRET_KEY must be set and ALLOWED_HOSTS must be given.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from project.env import env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "parley-development-only-not-secret"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    "positions.apps.ParleyAdminConfig",  # Django's admin, with Parley's review queue
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, not a CDN
    "simple_history",
    "csp",
    "axes",
    "positions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # the read API, from any origin (CORS_* below)
    "positions.site.middleware.PublicRoutes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "positions.site.compression.PublicGZip",  # compresses last what every layer below made
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "positions.site.http_cache.PublicCaching",  # ETag, 304, Cache-Control on public GETs
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "project.urls"

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
                "positions.site.context_processors.codebook",
            ]
        },
    }
]

WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:  # an unknown scheme or a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not usable: {exc}") from None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache (Redis) when several processes serve the site; otherwise one per process.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r} is not a redis:// URL")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a public response made once per dataset version is kept (positions/site/http_cache.py:
# the comparison, the issue pages, the downloads, the API's JSON); 0 makes each one every time.
RESPONSE_CACHE_SECONDS = env_int("RESPONSE_CACHE_SECONDS", 24 * 3600)

# ---------------------------------------------------------------------------- security
# Production (DEBUG off) gets HTTPS-only cookies, HSTS and a redirect to HTTPS by default; each
# can be switched off from the environment (a loopback load test has no TLS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies stand before the site (0: none). Who a client is, for the login
# lockout and the API throttle, follows from it: project/clients.py.
PROXY_COUNT = env_int("PROXY_COUNT", 1) if env_bool("BEHIND_PROXY", False) else 0
if PROXY_COUNT:
    # The reverse proxy terminates TLS and says so; it must strip this header from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Admin logins: after AXES_FAILURE_LIMIT failures for one username from one address, that pair is
# locked out for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "project.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# ---------------------------------------------------------------------------- the API (/api/v1/)
# Read-only, anonymous, published data only (positions/api/). Each client (by address; behind a
# proxy, by X-Forwarded-For as PROXY_COUNT says) gets API_THROTTLE_RATE requests, counted in the
# cache: set CACHE_URL so that every worker counts together.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON only: the browsable documentation is Swagger UI at /api/v1/docs/, which keeps to the
    # site's Content-Security-Policy; DRF's own HTML renderer has inline styles that it refuses.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # ?format= is the rounds' filter (a round's format), never a choice of output.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "positions.api.paging.Ordering",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["positions.api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_rate("API_THROTTLE_RATE", "120/min")},
    "NUM_PROXIES": PROXY_COUNT,  # DRF's own reading of the address agrees with project/clients.py
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Parley API",
    "DESCRIPTION": "The published positions, demands and responses of the January 2022 "
    "Russia-US/NATO/OSCE security talks, each with the verbatim passages it cites. Read-only.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "positions.api.schema.error_responses",
        "positions.api.schema.filter_values",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "positions.models.ActorKind",
        "ResponseKindEnum": "positions.models.ResponseKind",
        "SourceKindEnum": "positions.models.SourceKind",
    },
}

# Where the curated dataset lives: the verbatim articles and the fixtures that cite them.
PARLEY_SEEDS_DIR = Path(env_str("PARLEY_SEEDS_DIR", str(BASE_DIR / "seeds")))
PARLEY_FIXTURES_DIR = Path(env_str("PARLEY_FIXTURES_DIR", str(BASE_DIR / "fixtures")))

# CORS (django-cors-headers): a browser app on any site may read the API, and only the API.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]
