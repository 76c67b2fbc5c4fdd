"""Settings shared by every environment.

Environment variables are read here and nowhere else. Each MINBAR_* setting is declared once,
with a one-line comment saying what it does.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.email_url import email_settings
from config.release import release_id

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "minbar.core",
    "minbar.accounts",
    "minbar.news",
    "minbar.discussion",
    "minbar.moderation",
    "csp",
    "minbar.serving",
    "minbar.archive",
    "minbar.search",
    "minbar.notify",
    # Background tasks (decision 0017): Django 6's task framework, its database backend.
    "django_tasks",
    # django_tasks_db, with its name in the admin translated (minbar/core/apps.py).
    "minbar.core.apps.BackgroundTasksConfig",
]

MIDDLEWARE = [
    # Outermost: what is not declared public is private (minbar/serving, decision 0009).
    "minbar.serving.middleware.PrivateUnlessPublicMiddleware",
    # Keeps public pages a second in this worker, as every inner middleware finished them.
    "minbar.serving.middleware.UpdatePublicPageCacheMiddleware",
    # If-None-Match against the ETag public pages carry: 304 (minbar/serving).
    "django.middleware.http.ConditionalGetMiddleware",
    # The language comes from the address alone (no session, no header).
    "minbar.core.middleware.PathLocaleMiddleware",
    # /me/state/ (asked after every page a signed-in reader opens) by a short path: only the
    # middleware below that it needs (minbar/serving, decision 0020).
    "minbar.serving.middleware.ReaderStateMiddleware",
    # Answers with a kept public page once the language (in the cache key) is known; what is
    # kept already carries the headers the middleware below gave it.
    "minbar.serving.middleware.FetchPublicPageCacheMiddleware",
    # The reader's address behind a trusted proxy, before anything counts by IP (moderation).
    "minbar.moderation.middleware.ClientIPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, cached pages included (see below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A reader who just wrote reads past the page caches for a few seconds (minbar/serving).
    "minbar.serving.middleware.FreshAfterWriteMiddleware",
]

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
                "django.template.context_processors.i18n",
                "minbar.core.context_processors.site",
                "minbar.news.context_processors.navigation",
                "minbar.search.context_processors.search_box",
                "minbar.notify.context_processors.bell",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "minbar.core.templatetags.minbar",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL picks the database; the default is an SQLite file under var/.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'minbar.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
# DATABASE_CONN_MAX_AGE: seconds a worker keeps its database connection (opening one per request
# cost SQLite about a tenth of a comment post: the file, WAL and pragmas every time).
CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Set up for a web server: WAL lets readers run beside the one writer, IMMEDIATE takes the
    # write lock at BEGIN (no deadlock on upgrade), and the busy timeout makes writers queue
    # (Django's own backend: decision 0006's file-lock queue was measured slower and removed).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # Kept per worker under gunicorn; the development server starts a thread per request, whose
    # connections would only linger (Django's advice: no persistent connections there).
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else CONN_MAX_AGE
else:
    # A database restart costs a few failed requests: connections are reused but checked first.
    DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # DATABASE_SERVER_SIDE_BINDING (default 1): parameters bound by the server, so psycopg
    # prepares the statements a worker repeats (posting measured 8.7 → 7.3 ms in-process). Set
    # 0 behind a connection pooler in transaction mode that cannot keep prepared statements.
    if env_bool("DATABASE_SERVER_SIDE_BINDING", True):
        DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# DATABASE_REPLICA_URL: a read replica of DATABASE_URL. Reads go there, except a reader's own
# just-written data, which is read from the primary for a few seconds (config/db_router.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
    # Before the session is read: a reader who just wrote reads from the primary.
    MIDDLEWARE.insert(1, "config.db_router.PinToPrimaryMiddleware")
# MINBAR_PIN_TO_PRIMARY_SECONDS: after a write, that reader's reads stay on the primary this long.
MINBAR_PIN_TO_PRIMARY_SECONDS = 5
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, except that the rate limits count in each worker's memory while
            # Redis is down (minbar/core/cache.py): sign-in and sign-up keep working.
            "BACKEND": "minbar.core.cache.RedisWithLocalLimits",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # The site keeps serving when Redis is down: errors become cache misses.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
            "KEY_PREFIX": "minbar",
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions read from Redis, written through to the database (which answers when Redis
    # does not): a signed-in request makes one query fewer.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "minbar",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# MINBAR_RELEASE names the code that runs (env MINBAR_RELEASE, else the package version and a
# hash of the templates, code and catalogues): it is in the key prefix of cached HTML, so a
# deploy never reads what older code rendered.
MINBAR_RELEASE = os.environ.get("MINBAR_RELEASE") or release_id(BASE_DIR)
# The "pages" cache holds each discussion version's rendered comment list, the per-article
# version counters and the live discussion's change records (minbar/serving). Shared by every
# worker only with Redis. Without Redis it is this process's memory: right for runserver (one
# process, `make run`, where the live discussion is on: config/settings/dev.py), not for several
# gunicorn workers (the lists are rendered with each page and the live discussion is off;
# `check --deploy` warns if it is forced on, minbar.W004).
if REDIS_URL:
    CACHES["pages"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            # Redis down: every list is rendered fresh (a failed read is a miss).
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
        },
        "KEY_PREFIX": f"minbar-pages:{MINBAR_RELEASE}",
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "minbar-pages",
        "KEY_PREFIX": MINBAR_RELEASE,
        # Room for every article's counter and ten minutes of change records, well before an
        # eviction would make open pages offer to reload.
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
# A second of each worker's memory in front of the shared cache, for what every post reads
# (site settings, word lists, sanctions, protected words); the actions that change them drop it.
CACHES["worker"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "minbar-worker",
    "TIMEOUT": 1,
    "OPTIONS": {"MAX_ENTRIES": 10000},
}
# Whole public pages, for MINBAR_PAGE_CACHE_SECONDS, in each worker's memory (Django's cache
# middleware, minbar/serving/middleware.py): a hot page is rendered about once a second.
CACHES["page-bodies"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "minbar-page-bodies",
    "OPTIONS": {"MAX_ENTRIES": 2000},
    "KEY_PREFIX": MINBAR_RELEASE,
}

# --- Serving (minbar/serving, docs/decisions/0009-one-page-for-every-reader.md) -------------
# MINBAR_PAGE_CACHE keeps whole public pages in each worker for a second (off with DEBUG).
MINBAR_PAGE_CACHE = env_bool("MINBAR_PAGE_CACHE", not DEBUG)
# MINBAR_FRAGMENT_CACHE keeps each discussion version's comment list in the "pages" cache.
MINBAR_FRAGMENT_CACHE = env_bool("MINBAR_FRAGMENT_CACHE", bool(REDIS_URL) and not DEBUG)
# MINBAR_PAGE_CACHE_SECONDS: how long a worker reuses a public page it rendered.
MINBAR_PAGE_CACHE_SECONDS = 1
# MINBAR_PAGE_SHARED_SECONDS is the s-maxage given to shared caches (nginx, a CDN).
MINBAR_PAGE_SHARED_SECONDS = 1
# MINBAR_PAGE_STALE_SECONDS is the stale-while-revalidate given to shared caches.
MINBAR_PAGE_STALE_SECONDS = 30
# MINBAR_FRAGMENT_SECONDS bounds a rendered comment list's life (for what no signal announces,
# such as a reader's new display name).
MINBAR_FRAGMENT_SECONDS = 300
# MINBAR_FRESH_SECONDS: after a write, that reader's pages skip the page caches this long.
MINBAR_FRESH_SECONDS = 5
# MINBAR_LIVE_DISCUSSION: open article pages poll a public per-article feed of what changed since
# the version they show (minbar/serving/live.py, decision 0019). It needs the version counters
# in one store for every worker: on with Redis, and in development (one process); env
# MINBAR_LIVE_DISCUSSION to force.
MINBAR_LIVE_DISCUSSION = env_bool("MINBAR_LIVE_DISCUSSION", bool(REDIS_URL))
# MINBAR_LIVE_POLL_SECONDS: how often an open page asks; MINBAR_LIVE_LOG_SECONDS: how long each
# version's list of changed comments is kept (a page further behind reloads its discussion).
MINBAR_LIVE_POLL_SECONDS = 1.5
MINBAR_LIVE_LOG_SECONDS = 600

# --- Background tasks (minbar/core/tasks.py, docs/decisions/0017-background-tasks.md) -------
# Tasks are rows in the database (the same transaction as the change that queues them), run by
# `manage.py run_worker`: beside runserver in `make run`, a systemd unit in production.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# MINBAR_TASK_ATTEMPTS: how many times a failing task is tried, with a growing wait between.
MINBAR_TASK_ATTEMPTS = 5
# MINBAR_TASK_STALLED_SECONDS: a task "running" this long belongs to a worker that died.
MINBAR_TASK_STALLED_SECONDS = 600

# --- Notifications (minbar/notify, docs/decisions/0018-notifications-and-email.md) ----------
# MINBAR_EMAIL_BATCH_MINUTES: at most one notification email per reader this often; what
# arrives meanwhile goes in one digest.
MINBAR_EMAIL_BATCH_MINUTES = int(os.environ.get("MINBAR_EMAIL_BATCH_MINUTES", "10"))
# MINBAR_UNSUBSCRIBE_DAYS: how long the one-click unsubscribe link in an email works.
MINBAR_UNSUBSCRIBE_DAYS = 90
# MINBAR_MENTIONS_MAX: at most this many readers are notified of one comment's @mentions.
MINBAR_MENTIONS_MAX = 10

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # ModelBackend with permission sets read through the cache (accounts/permissions.py).
    "minbar.accounts.permissions.PermissionCacheBackend",
    # The one password check: one hash whether or not the account exists (accounts/backends.py).
    "minbar.accounts.backends.SignInBackend",
    # Never reached by a password sign-in; listed for the sessions that name them.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
CSRF_FAILURE_VIEW = "minbar.core.views.csrf_failure"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "news:home"
LOGOUT_REDIRECT_URL = "news:home"
# EMAIL_URL: where mail goes, one URL (config/email_url.py): smtp+tls://user:password@host:587,
# smtps://user:password@host:465, smtp://host:25, or console:// to print it to the log. Unset:
# the console, except in production, which refuses to start without it (settings/prod.py).
EMAIL_URL = os.environ.get("EMAIL_URL", "")
_email = email_settings(EMAIL_URL or "console://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
# A mail server that stops answering costs a request ten seconds, not a worker for good.
EMAIL_TIMEOUT = 10
# DJANGO_DEFAULT_FROM_EMAIL: the sender of account mail (resets, verification) and error mail.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "minbar@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
# Our catalogue first; then the Arabic for Django's and allauth's strings that their own Arabic
# catalogues lack (kept apart so that `make messages` never drops them as obsolete).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_upstream"]
USE_I18N = True
USE_TZ = True
# TIME_ZONE is the site's time zone: dates on pages are shown in it.
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (lead images and their renditions) go through the "default" storage: files
# under MINBAR_MEDIA_ROOT (var/media) served at /media/ by nginx. For several app servers, point
# "default" at an S3-compatible store (django-storages' S3 backend) and MEDIA_URL at its address.
MEDIA_ROOT = Path(os.environ.get("MINBAR_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# MINBAR_SERVE_MEDIA lets the app answer /media/ itself (development; nginx does it in production).
MINBAR_SERVE_MEDIA = env_bool("MINBAR_SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Minbar ---------------------------------------------------------------------------------
# MINBAR_SITE_NAME is the name shown in the header, feeds and metadata.
MINBAR_SITE_NAME = os.environ.get("MINBAR_SITE_NAME", "منبر")
# MINBAR_SITE_URL is the public origin used in feeds and sitemaps when no request is at hand.
MINBAR_SITE_URL = os.environ.get("MINBAR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# MINBAR_ARABIC_DIGITS writes numbers and dates in Arabic-Indic digits (٠١٢…) in Arabic pages.
MINBAR_ARABIC_DIGITS = env_bool("MINBAR_ARABIC_DIGITS", False)
# MINBAR_HIJRI_DATES shows the Hijri date beside the Gregorian one on articles.
MINBAR_HIJRI_DATES = env_bool("MINBAR_HIJRI_DATES", False)
# MINBAR_ARTICLES_PER_PAGE is the page size of home, section, tag and author lists.
MINBAR_ARTICLES_PER_PAGE = 10
# MINBAR_REQUIRE_SERVICES makes tests fail, not skip, when PostgreSQL, Redis or Chromium is absent.
MINBAR_REQUIRE_SERVICES = env_bool("MINBAR_REQUIRE_SERVICES", False)

# --- Moderation (minbar/moderation, docs/decisions/0004-rate-limits.md) ---------------------
# MINBAR_RATE_LIMITS: per-reader limits, "amount/period" joined by commas (s, m, h, d), counted
# in the default cache (Redis when REDIS_URL is set). "comment-new-account" applies instead of
# "comment" in an account's first day, its daily window starting when the account was made.
MINBAR_RATE_LIMITS = {
    "comment": "1/5s",
    "comment-new-account": "1/30s,10/1d",
    "comment-edit": "1/5s,30/1h",
    "vote": "2/1s,200/1d",
    "report": "20/1d",
}
# MINBAR_DUPLICATE_COMMENT_SECONDS: a reader's identical comment is refused for this long.
MINBAR_DUPLICATE_COMMENT_SECONDS = 300
# MINBAR_TRUSTED_PROXIES: proxy addresses/networks whose X-Forwarded-For names the client (every
# per-client limit counts it) and whose X-Forwarded-Proto says https; gunicorn reads the same
# variable (config/gunicorn.py). The default is the shipped deployment: nginx on this machine.
MINBAR_TRUSTED_PROXIES = env_list("MINBAR_TRUSTED_PROXIES", "127.0.0.1,::1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- django-allauth -------------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
# DJANGO_EMAIL_VERIFICATION: "mandatory" (default), "optional" or "none". Only "mandatory" keeps
# sign-up from telling whether an address is registered (docs/decisions/0011).
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("DJANGO_EMAIL_VERIFICATION", "mandatory")
# No page says whether an account exists: sign-up, sign-in and password reset answer alike.
ACCOUNT_PREVENT_ENUMERATION = True
# Following the mail's link in the browser that signed up signs the new reader in (allauth does
# it only for the session that made the account) and goes on to where the reader was.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True
# Minbar's username rules, look-alike refusal and the claiming of imported accounts.
ACCOUNT_ADAPTER = "minbar.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "minbar.accounts.forms.LoginForm",
    "signup": "minbar.accounts.forms.SignupForm",
    "reset_password": "minbar.accounts.forms.ResetPasswordForm",
}
# Signing out is a POST (the header's button); a GET shows a confirmation page.
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{MINBAR_SITE_NAME}] "
# Password guessing is slowed, never locked out for good: sliding windows in the cache
# (docs/decisions/0011). Failed sign-ins: ten per ten minutes per account (its username and its
# email are one key, minbar.accounts.limits) and thirty per client address (offices and mobile
# networks share one); any sign-in attempt: thirty a minute per client. Sign-ups: ten per ten
# minutes per client. allauth's 429 page is moderation's (config/urls.py handler429).
ACCOUNT_RATE_LIMITS = {
    "login": "30/1m/ip",
    "login_failed": "30/10m/ip,10/10m/key",
    "signup": "10/10m/ip",
}

# --- Content-Security-Policy (django-csp 4) -------------------------------------------------
# Scripts and styles come from our own static files only: no inline script, no style=
# attributes, no framing. The article page's JSON-LD block is data, which CSP does not block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
