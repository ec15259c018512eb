"""Settings for every sinmun install, driven by environment variables.

The default (no variables set) is the one-machine install: SQLite and media in
``SINMUN_DATA_DIR``, a local-memory cache and e-mail printed to the console.
Production sets ``DATABASE_URL``, ``REDIS_URL``, ``EMAIL_URL``, ``SINMUN_SECRET_KEY``
and ``SINMUN_ALLOWED_HOSTS`` (see README.md); nothing else changes.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from sinmun.core.env import email_settings_from_url, env_bool, env_list, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SINMUN_DATA_DIR", "data")).resolve()

DEBUG = env_bool("SINMUN_DEBUG", default=False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("SINMUN_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("SINMUN_CSRF_TRUSTED_ORIGINS", default=[])
# The public address of the site, used in feeds, e-mails and sitemaps. ``sinmun serve``
# sets it to the address it binds when it is not set (sinmun/ops/cli.py, served_base_url).
SINMUN_BASE_URL = os.environ.get("SINMUN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "sinmun.core",
    "sinmun.articles",
    "sinmun.newsroom",
    "sinmun.readers",
    "sinmun.sitesettings",
    "sinmun.transfer",
    "sinmun.syndication",
    "sinmun.search",
    "sinmun.delivery",
    "sinmun.website",
    "sinmun.ops",
    "sinmun.backup",
    "sinmun.security",
    "axes",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    # wagtail.users with the newsroom's user views (관리자 cannot grant superuser or
    # change its own role): sinmun/newsroom/users.py
    "sinmun.newsroom.apps_users.NewsroomUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy, frame protection: outside the page cache so hits carry them.
    "sinmun.security.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for text answers when no nginx compresses (SINMUN_GZIP; after WhiteNoise, which
    # serves its own compressed static files; before the page cache, so misses compress).
    "sinmun.delivery.compression.CompressionMiddleware",
    # Anonymous reader pages from the cache, before sessions and views (sinmun/delivery).
    "sinmun.delivery.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old addresses of imported articles: looked up only for 404s and /?p= (sinmun/transfer).
    "sinmun.website.legacy_redirects.LegacyRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Login lock-out (django-axes): answers a locked-out login with sinmun/security's page.
    "axes.middleware.AxesMiddleware",
    # The database down → 503 + Retry-After; the disk full on upload → 507 (Korean pages).
    "sinmun.core.middleware.UnavailableMiddleware",
]

ROOT_URLCONF = "sinmun.urls"
WSGI_APPLICATION = "sinmun.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sinmun.sitesettings.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'sinmun.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at
    # the start of a transaction so concurrent writers queue instead of failing midway.
    # Connections persist per worker thread (CONN_MAX_AGE above): opening one and running
    # the PRAGMAs was a quarter of an uncached article page's time. `sinmun restore`
    # replaces the file, so the server is stopped for it (docs/production.md).
    DATABASES["default"].pop("CONN_HEALTH_CHECKS", None)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sinmun",
            # A Redis outage must not take reader pages down: reads miss, writes are
            # dropped (IGNORE_EXCEPTIONS). What must not be skipped checks for it:
            # rate limits and the e-mail nonce treat a None answer as "store down" and
            # refuse (sinmun/readers/ratelimit.py, fail closed); view counting falls
            # back to the database (tests/faults/test_redis_down.py).
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    # One store for every process of the default install (gunicorn's workers, the
    # scheduler, an import, a shell): caches, rate limits and the e-mail send-once guard
    # must not be per process. diskcache keeps it in SQLite files in the data folder;
    # add() and incr() are atomic across processes (sinmun/readers/ratelimit.py relies
    # on both). A read is ~10 µs, so hot paths still keep a versioned copy in memory.
    CACHES = {
        "default": {
            "BACKEND": "diskcache.DjangoCache",
            "LOCATION": str(DATA_DIR / "cache" / "shared"),
            "TIMEOUT": 300,
            "SHARDS": 4,
            # How long a write waits for another process's lock before it gives up
            # (a give-up is a miss for reads and "store down" for rate limits).
            "DATABASE_TIMEOUT": 1.0,
            "OPTIONS": {"size_limit": 256 * 1024 * 1024},
        }
    }
# The application page cache (sinmun/delivery/pagecache.py) must be one store for every
# process, or a purge in one would leave stale pages in another: Redis in production,
# else files in the data folder. A Redis outage only turns it off (IGNORE_EXCEPTIONS).
if REDIS_URL:
    CACHES["pages"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "sinmun-pages",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "pages"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# Failed staff logins are counted per login name and, separately, per client address
# (the address sinmun/readers/visitor.py trusts); counts live in the database, shared by
# every process. See sinmun/security/logins.py and docs/reliability.md.
AUTHENTICATION_BACKENDS = [
    "sinmun.security.logins.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("SINMUN_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SINMUN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "sinmun.readers.visitor.client_ip"
AXES_LOCKOUT_CALLABLE = "sinmun.security.logins.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Korean first. User-facing strings are written in Korean in the source and wrapped in
# gettext, so a paper can add another language with a locale file (docs/decisions/0002).
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("SINMUN_STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SINMUN_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "sinmun.core.storage.StaticStorage",  # WhiteNoise's, URLs memoised
    },
}
# Without nginx in front, the app serves uploaded media itself.
SINMUN_SERVE_MEDIA = env_bool("SINMUN_SERVE_MEDIA", default=True)

vars().update(email_settings_from_url(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("SINMUN_FROM_EMAIL", "sinmun <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy and Permissions-Policy: sinmun/security/headers.py. Photos
# served from another origin (a CDN for /media/) are allowed with this list.
SINMUN_CSP_MEDIA_ORIGINS = env_list("SINMUN_CSP_MEDIA_ORIGINS", default=[])
if env_bool("SINMUN_HTTPS", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SINMUN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SINMUN_HSTS_SUBDOMAINS", default=True)
    # `preload` in the header only lets the domain be submitted to browsers' preload
    # lists; a paper that may still serve a subdomain over http turns both off.
    SECURE_HSTS_PRELOAD = env_bool("SINMUN_HSTS_PRELOAD", default=True)
    # nginx redirects too; this catches a request that reached the app another way.
    # nginx passes X-Forwarded-Proto, so proxied HTTPS requests are not redirected.
    SECURE_SSL_REDIRECT = env_bool("SINMUN_SSL_REDIRECT", default=True)

WAGTAIL_SITE_NAME = "sinmun"
WAGTAILADMIN_BASE_URL = SINMUN_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ko", "한국어"), ("en", "English")]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# A broken image file gets a clear form error, not a 500 (sinmun/newsroom/images.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "sinmun.newsroom.images.ImageForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: staff e-mail hashes stay here, and the admin's CSP allows
# images from this site only (sinmun/security/headers.py).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
LOGIN_URL = "/admin/login/"

# How long shared caches (nginx, a CDN) may keep a reader page, in seconds.
SINMUN_PAGE_MAX_AGE = int(os.environ.get("SINMUN_PAGE_MAX_AGE", "60"))
# The application page cache (sinmun/delivery): anonymous reader pages kept this long
# at most (and no longer than their max-age), purged on publish.
SINMUN_PAGE_CACHE = env_bool("SINMUN_PAGE_CACHE", default=True)
# Compress text answers in the app (sinmun/delivery/compression.py). Behind deploy/nginx
# the app is asked for nothing compressed either way; turn it off only to save the CPU
# when another proxy compresses.
SINMUN_GZIP = env_bool("SINMUN_GZIP", default=True)
SINMUN_PAGE_CACHE_SECONDS = int(os.environ.get("SINMUN_PAGE_CACHE_SECONDS", "300"))
# Each process also keeps the pages it serves most in memory, at most this long and
# never past a purge (sinmun/delivery/pagecache.py); 0 turns that tier off.
SINMUN_PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("SINMUN_PAGE_CACHE_LOCAL_SECONDS", "30"))
# Purge targets (wagtail.contrib.frontend_cache): the page cache always; nginx when
# SINMUN_NGINX_PURGE_URL names its loopback purge listener (deploy/nginx/sinmun.conf).
WAGTAILFRONTENDCACHE = {"app": {"BACKEND": "sinmun.delivery.backends.PageCacheBackend"}}
if os.environ.get("SINMUN_NGINX_PURGE_URL"):
    WAGTAILFRONTENDCACHE["nginx"] = {
        "BACKEND": "sinmun.delivery.backends.NginxRefreshBackend",
        "LOCATION": os.environ["SINMUN_NGINX_PURGE_URL"],
    }
# Purge again this many seconds later, for a page rendered from the old row just
# before the commit and stored just after the first purge (sinmun/delivery/purge.py).
SINMUN_PURGE_REPEAT_SECONDS = float(os.environ.get("SINMUN_PURGE_REPEAT_SECONDS", "2"))
# How long the most-viewed list is cached in the app, in seconds.
SINMUN_RANKING_CACHE_SECONDS = int(os.environ.get("SINMUN_RANKING_CACHE_SECONDS", "60"))
# Site-wide fragments (navigation, footer, banners, most-viewed box) are rendered once
# per process and version; the versions live in this cache, shared by every process,
# and each process rereads them at most this often (sinmun/delivery/fragments.py).
SINMUN_VERSION_CACHE = "pages"
SINMUN_FRAGMENT_VERSION_MEMO = float(os.environ.get("SINMUN_FRAGMENT_VERSION_MEMO", "0.25"))
# Behind nginx, the client address is what these proxies pass on (X-Real-IP or the
# right-most X-Forwarded-For entry); otherwise REMOTE_ADDR (sinmun/readers/visitor.py).
SINMUN_BEHIND_PROXY = env_bool("SINMUN_BEHIND_PROXY", default=False)
SINMUN_TRUSTED_PROXIES = (
    env_list("SINMUN_TRUSTED_PROXIES", default=["127.0.0.1", "::1"]) if SINMUN_BEHIND_PROXY else []
)
# One client address, however many user agents it sends, adds at most this many views to
# one article per 30-minute window and this many in all per hour; enough for an office or
# a classroom behind one NAT (sinmun/readers/README.md explains the numbers).
SINMUN_VIEWS_PER_ADDRESS = int(os.environ.get("SINMUN_VIEWS_PER_ADDRESS", "20"))
SINMUN_VIEWS_PER_ADDRESS_HOUR = int(os.environ.get("SINMUN_VIEWS_PER_ADDRESS_HOUR", "240"))
# The view log nginx writes when it answers the view beacon itself (deploy/nginx,
# render.py --view-log); counted by the minute job (sinmun/readers/viewlog.py).
SINMUN_VIEW_LOG = os.environ.get("SINMUN_VIEW_LOG", "")
# Feeds carry the whole article body (True) or only its excerpt (False, the default).
SINMUN_FEED_FULL_TEXT = env_bool("SINMUN_FEED_FULL_TEXT", default=False)
# Site-ownership tags for search tools, "name=content" pairs separated by commas, e.g.
# "naver-site-verification=abc,google-site-verification=xyz" (docs/portals.md).
SINMUN_SITE_VERIFICATION = env_list("SINMUN_SITE_VERIFICATION", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SINMUN_LOG_LEVEL", "WARNING")},
}
