"""Settings for `make bench`: production settings on loopback, plain http, and no per-reader
rate limits (the bench posts hundreds of comments a second from a few hundred readers; the
limits are measured by moderation's own tests, not here). Nothing else is relaxed: every
check, the sanitiser, the counters, the search index and the page cache run as in production.
"""

import os

os.environ.setdefault("MINBAR_ALLOW_DEV_SECRET", "1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("EMAIL_URL", "console://")

from config.settings.prod import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Plain http on loopback: the browser-only Secure flag would keep wrk's cookies from counting.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Present once moderation has landed; harmless before.
MINBAR_RATE_LIMITS = {}
MINBAR_DUPLICATE_COMMENT_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # builds many readers
# Minbar's URLconf with one empty view in front (the floor run.py measures): one more pattern
# tried before Minbar's own, nothing else.
ROOT_URLCONF = "bench.urls"
