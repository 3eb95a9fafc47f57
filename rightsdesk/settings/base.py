"""Settings shared by every environment.

Everything that differs between machines comes from environment variables (see README.md,
"Configuration"). Dev defaults are safe; production.py refuses to start without a secret key.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from rightsdesk.accounts import policy as csp_policy

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_number(name, default, kind=int):
    """A positive number from the environment; a malformed one is a one-line error."""
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise ImproperlyConfigured(f"{name}={value!r} is not a positive number: set it to e.g. {default}, or unset it")
    return number


def secret_key_weakness(key):
    """Why `key` cannot sign sessions and password-reset links in production, or None.

    The key must be long (50 characters), varied (at least 10 different characters) and carry at
    least 128 bits by the count of its own characters (length times the Shannon entropy of their
    frequencies), and not repeat itself (zlib shrinks it by a fifth or more): a key of one
    repeated letter, a short word repeated, or Django's own
    "django-insecure-" placeholder is refused. `secrets.token_urlsafe(64)` (86 characters, about
    5.5 bits each) and `openssl rand -hex 32` (64 characters, about 3.9 bits each) pass.
    """
    import math
    import zlib
    from collections import Counter

    if not key:
        return "is missing"
    if len(key) < 50:
        return f"is too short ({len(key)} characters; at least 50)"
    if key.startswith("django-insecure-") or key.startswith("dev-only-insecure"):
        return "is a placeholder, not a secret"
    counts = Counter(key)
    if len(counts) < 10:
        return f"is too uniform ({len(counts)} different characters; a random key has dozens)"
    if len(zlib.compress(key.encode("utf-8"), 9)) < 0.8 * len(key.encode("utf-8")):
        return "repeats itself (it compresses well; a random key does not)"
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if bits < 128:
        return f"is too predictable (about {bits:.0f} bits; at least 128)"
    return None


# The data folder holds the SQLite database, uploaded media and collected static files.
DATA_DIR = Path(os.environ.get("RIGHTSDESK_DATA_DIR") or BASE_DIR / "var").resolve()


def database_from_env(default_url):
    """Parse DATABASE_URL (sqlite:///PATH or postgres://...) into Django's DATABASES entry."""
    url = os.environ.get("DATABASE_URL") or default_url
    if not url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ImproperlyConfigured(
            f"DATABASE_URL {url!r} is not understood: use sqlite:///PATH/TO/db.sqlite3 "
            "or postgres://USER:PASSWORD@HOST:PORT/NAME"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("RIGHTSDESK_DB_CONN_MAX_AGE", "0")))
    except Exception as exc:  # dj_database_url raises ValueError and friends
        raise ImproperlyConfigured(
            f"DATABASE_URL {url!r} is malformed ({exc}): use sqlite:///PATH/TO/db.sqlite3 "
            "or postgres://USER:PASSWORD@HOST:PORT/NAME"
        ) from exc
    if config["ENGINE"].endswith("sqlite3"):
        if not config.get("NAME"):
            raise ImproperlyConfigured(
                f"DATABASE_URL {url!r} names no file: use sqlite:///PATH/TO/db.sqlite3"
            )
        # WAL lets readers and one writer work at once (gunicorn workers, the CLI).
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
        config["OPTIONS"].setdefault(
            "init_command",
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        )
    elif not config.get("NAME"):
        raise ImproperlyConfigured(
            f"DATABASE_URL {url!r} names no database: postgres://USER:PASSWORD@HOST:PORT/NAME"
        )
    return config


DATABASES = {"default": database_from_env(f"sqlite:///{DATA_DIR / 'rightsdesk.sqlite3'}")}

INSTALLED_APPS = [
    # First: its templates give Wagtail's few inline scripts the Content-Security-Policy nonce.
    "rightsdesk.accounts",
    "rightsdesk.newsroom",
    "rightsdesk.facts",
    "rightsdesk.evidence",
    "rightsdesk.wire",
    "rightsdesk.related",
    "rightsdesk.cases",
    "rightsdesk.mirror",
    "rightsdesk.demo",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First: what it stores carries every header the rest adds (security headers included), so a
    # hit, also one answered by the WSGI wrapper before Django (rightsdesk/wsgi.py), has them too.
    "rightsdesk.newsroom.cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "rightsdesk.accounts.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rightsdesk.accounts.middleware.AdminHostMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "rightsdesk.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rightsdesk.urls"
WSGI_APPLICATION = "rightsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "rightsdesk.mirror.context_processors.baking",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English and Persian, with Wagtail's own i18n (one page tree per locale).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fa", "فارسی")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = os.environ.get("RIGHTSDESK_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]

STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# "default" (Wagtail's own caches) is a file cache in the data folder, shared by every worker
# process and the CLI. "rightsdesk" holds rendered fragments and pages in each process's memory:
# their keys carry the public-content version kept in the database, so a publish anywhere makes
# them stale everywhere (see newsroom/signals.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "TIMEOUT": 300,
    },
    # Per process, objects kept as they are (not pickled): see rightsdesk/newsroom/hotcache.py.
    "rightsdesk": {
        "BACKEND": "rightsdesk.newsroom.hotcache.HotCache",
        "LOCATION": "rightsdesk-hot",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("RIGHTSDESK_SITE_NAME", "rightsdesk")
WAGTAILADMIN_BASE_URL = os.environ.get("RIGHTSDESK_BASE_URL", "http://127.0.0.1:8000")
# modelsearch's database backend, ranking on SQLite with one FTS5 query (see that module).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "rightsdesk.newsroom.search_backend"}}
WAGTAILIMAGES_IMAGE_MODEL = "newsroom.NewsImage"
# Documents only through Wagtail's view (/documents/<id>/<name>), which checks the view restrictions
# of the document's collection, never by a link or redirect to the file (newsroom/views.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Readers are watched: Wagtail must not call home or embed third-party resources.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_NOTIFICATION_USE_HTML = False

LOGIN_URL = "wagtailadmin_login"

# Signing in (rightsdesk/accounts/, SECURITY.md). django-axes: after RIGHTSDESK_LOGIN_FAILURE_LIMIT
# failed sign-ins (a wrong password or a wrong authenticator code) for one account, or from one
# address, signing in is refused for RIGHTSDESK_LOCKOUT_MINUTES after the last attempt; attempts
# during the lock extend it. `rightsdesk manage axes_reset_username USER` lifts a lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_number("RIGHTSDESK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_number("RIGHTSDESK_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "rightsdesk.accounts.network.client_ip"
AXES_LOCKOUT_CALLABLE = "rightsdesk.accounts.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
AXES_VERBOSE = False
# The second factor (TOTP, django-otp): required of administrators (superusers), or of everyone
# who signs in to the admin with RIGHTSDESK_SECOND_FACTOR=everyone.
RIGHTSDESK_SECOND_FACTOR = os.environ.get("RIGHTSDESK_SECOND_FACTOR", "administrators")
if RIGHTSDESK_SECOND_FACTOR not in ("administrators", "everyone"):
    raise ImproperlyConfigured(
        f"RIGHTSDESK_SECOND_FACTOR={RIGHTSDESK_SECOND_FACTOR!r} is not understood: "
        "use administrators (the default) or everyone"
    )
# The admin on a host name of its own (deploy/nginx-admin-host.conf): it answers there only.
RIGHTSDESK_ADMIN_HOST = os.environ.get("RIGHTSDESK_ADMIN_HOST", "")
WAGTAILADMIN_USER_LOGIN_FORM = "rightsdesk.accounts.forms.LoginForm"
OTP_TOTP_ISSUER = os.environ.get("RIGHTSDESK_SITE_NAME", "rightsdesk")
OTP_TOTP_THROTTLE_FACTOR = 1

# Content-Security-Policy (django-csp; rightsdesk/accounts/policy.py says what each allows).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_policy.PUBLIC_POLICY}
RIGHTSDESK_ADMIN_CSP = csp_policy.ADMIN_POLICY
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Whole public pages are cached for anonymous readers until the next publish (0 turns it off).
RIGHTSDESK_PAGE_CACHE_SECONDS = int(os.environ.get("RIGHTSDESK_PAGE_CACHE_SECONDS", "600"))

# Public listings
RIGHTSDESK_PAGE_SIZE = 10
RIGHTSDESK_LATEST_COUNT = 6
RIGHTSDESK_MUST_READ_COUNT = 5
RIGHTSDESK_RELATED_COUNT = 6
RIGHTSDESK_EXCERPT_WORDS = 20
# The recommendations file lists every public article; the newest this many also carry their
# Related lists (what a returning reader's history does not know yet). About 14 bytes each, gzipped.
RIGHTSDESK_RECOMMEND_FRESH = env_number("RIGHTSDESK_RECOMMEND_FRESH", 500)

# The baked mirror (`rightsdesk bake`): when RIGHTSDESK_MIRROR_DIR names a folder baked before,
# every publish and unpublish re-bakes what it changed there (see mirror/incremental.py).
RIGHTSDESK_MIRROR_DIR = os.environ.get("RIGHTSDESK_MIRROR_DIR", "")

# Background work (Django's Tasks API through the django-tasks backport): what may outlive a
# request (the mirror's sitemap, recommendations file and search index after a publish, a whole
# re-bake, relinking every article after a registry change) is a task of the "rightsdesk" backend.
# - "database" (default): tasks are rows of this database, written in the publish's own
#   transaction; `rightsdesk worker` runs them (`rightsdesk serve` and `demo` start one beside the
#   server); a task whose worker died half-way runs again when a worker starts.
# - "rq": tasks on Redis (REDIS_URL), run by `rightsdesk worker` on any machine (deploy/README.md).
# - "immediate": run at once, in the process that asks (tests; no worker needed).
RIGHTSDESK_TASKS_BACKEND = os.environ.get("RIGHTSDESK_TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if RIGHTSDESK_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"RIGHTSDESK_TASKS_BACKEND={RIGHTSDESK_TASKS_BACKEND!r}: use one of {', '.join(_TASK_BACKENDS)}"
    )
TASKS = {
    # Wagtail's own tasks run as they always have, in the process that asks.
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "rightsdesk": {"BACKEND": _TASK_BACKENDS[RIGHTSDESK_TASKS_BACKEND], "QUEUES": ["default"]},
}

# More than one application server (deploy/README.md, "Several servers"): with REDIS_URL set,
# Wagtail's caches and the public-content version (read on every request; the database stays its
# record) go through one Redis that every server shares, and tasks can be queued there
# (RIGHTSDESK_TASKS_BACKEND=rq) for workers on any machine.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL {REDIS_URL!r} is not understood: use redis://[:PASSWORD@]HOST:PORT/DB")
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                         "TIMEOUT": 300, "KEY_PREFIX": "rightsdesk"}
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                        "TIMEOUT": None, "KEY_PREFIX": "rightsdesk-shared"}
if RIGHTSDESK_TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("RIGHTSDESK_TASKS_BACKEND=rq needs REDIS_URL (redis://[:PASSWORD@]HOST:PORT/DB)")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

# Evidence desk: where originals and the custody log are kept, and how pages are captured.
RIGHTSDESK_EVIDENCE_DIR = Path(os.environ.get("RIGHTSDESK_EVIDENCE_DIR") or DATA_DIR / "evidence").resolve()
RIGHTSDESK_CAPTURE_MAX_BYTES = env_number("RIGHTSDESK_CAPTURE_MAX_BYTES", 50 * 1000 * 1000)
RIGHTSDESK_CAPTURE_TIMEOUT = env_number("RIGHTSDESK_CAPTURE_TIMEOUT", 30.0, float)
# A full-page screenshot with Debian's chromium when it is installed.
RIGHTSDESK_CAPTURE_SCREENSHOTS = env_bool("RIGHTSDESK_CAPTURE_SCREENSHOTS", True)
RIGHTSDESK_CHROMIUM = os.environ.get("RIGHTSDESK_CHROMIUM", "")
# Capture in a real browser (Debian's chromium through Playwright) when it is installed; the plain
# fetch stays for --no-browser and for documents that are not web pages.
RIGHTSDESK_CAPTURE_BROWSER = env_bool("RIGHTSDESK_CAPTURE_BROWSER", True)
# The whole capture (page, its sub-resources, rendering) must finish within this many seconds.
RIGHTSDESK_CAPTURE_DEADLINE = env_number("RIGHTSDESK_CAPTURE_DEADLINE", 120.0, float)
# Audio and video of a captured page (yt-dlp): at most this many bytes per capture; 0 turns it off.
RIGHTSDESK_CAPTURE_MEDIA_MAX_BYTES = env_number("RIGHTSDESK_CAPTURE_MEDIA_MAX_BYTES", 200 * 1000 * 1000)
# Certificates to trust for https (a file of PEM certificates); empty: the system's (certifi).
RIGHTSDESK_CAPTURE_CA_BUNDLE = os.environ.get("RIGHTSDESK_CAPTURE_CA_BUNDLE", "")
# The capture browser runs as this unprivileged user, in chromium's sandbox, when rightsdesk runs
# as root.
RIGHTSDESK_CHROMIUM_USER = os.environ.get("RIGHTSDESK_CHROMIUM_USER", "nobody")
# Every server-side request (capture, its browser, media, wire monitor) goes only to public
# addresses (rightsdesk/net.py). This lets them reach loopback (127.0.0.1, ::1) too, never the
# other private ranges: for tests and the demo only; `check --deploy` reports it as an error.
RIGHTSDESK_FETCH_ALLOW_LOOPBACK = env_bool("RIGHTSDESK_FETCH_ALLOW_LOOPBACK",
                                           env_bool("RIGHTSDESK_CAPTURE_ALLOW_PRIVATE", False))
# Trusted timestamps (RFC 3161): the authorities asked for a token over each capture's custody
# entry and, daily, the log's latest entry (addresses separated by spaces or commas); the PEM file
# of their root and intermediate certificates `verify` checks tokens with; seconds to wait for one.
RIGHTSDESK_TSA_URLS = os.environ.get("RIGHTSDESK_TSA_URLS", "")
RIGHTSDESK_TSA_CERTS = os.environ.get("RIGHTSDESK_TSA_CERTS", "")
RIGHTSDESK_TSA_TIMEOUT = env_number("RIGHTSDESK_TSA_TIMEOUT", 10.0, float)
# A new capture is stamped in a background thread after it is stored (tests stamp at once).
RIGHTSDESK_TIMESTAMP_BACKGROUND = env_bool("RIGHTSDESK_TIMESTAMP_BACKGROUND", True)
# The organisation's signing key for WACZ packages (a PEM private key made by `rightsdesk keys
# generate`); WACZ exports are signed when it is set.
RIGHTSDESK_SIGNING_KEY = os.environ.get("RIGHTSDESK_SIGNING_KEY", "")

# Wire monitor (`rightsdesk monitor`): the largest feed read, the seconds to wait for an answer,
# the words of a brief's excerpt, and how alike two items must be (MinHash Jaccard estimate), and
# within how many days, to be grouped as one story.
RIGHTSDESK_WIRE_MAX_BYTES = env_number("RIGHTSDESK_WIRE_MAX_BYTES", 5_000_000)
RIGHTSDESK_WIRE_TIMEOUT = env_number("RIGHTSDESK_WIRE_TIMEOUT", 20.0, float)
RIGHTSDESK_WIRE_EXCERPT_WORDS = 40
RIGHTSDESK_WIRE_DUPLICATE_THRESHOLD = 0.5
RIGHTSDESK_WIRE_GROUP_DAYS = 3
# The most new items one check of one feed writes; the rest wait for the next check.
RIGHTSDESK_WIRE_MAX_ITEMS_PER_RUN = env_number("RIGHTSDESK_WIRE_MAX_ITEMS_PER_RUN", 500)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RIGHTSDESK_LOG_LEVEL", "WARNING")},
}

# `rightsdesk serve` on a single host serves uploaded media itself; behind nginx, nginx does.
RIGHTSDESK_SERVE_MEDIA = env_bool("RIGHTSDESK_SERVE_MEDIA", False)
