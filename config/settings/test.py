"""Tests: the same stack as production, with a fast password hasher and local-memory mail."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

# Lets several test runs share one machine without sharing a database (e.g. `_search`).
_SUFFIX = os.environ.get("MINBAR_TEST_DB_SUFFIX", "")

DEBUG = False
# Argon2 is the production hasher (asserted by a test); the suite hashes thousands of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that concurrency tests see real SQLite locking across connections.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test{_SUFFIX}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_minbar{_SUFFIX}"}
# Each run's uploads and renditions apart from the site's and from other runs'.
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{_SUFFIX}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Test transactions never commit, so the counters that name a discussion's version never move:
# the page and comment-list caches are off unless a test (tests/serving) turns them on.
MINBAR_PAGE_CACHE = False
MINBAR_FRAGMENT_CACHE = False
MINBAR_LIVE_DISCUSSION = False
CACHES = {
    **CACHES,  # noqa: F405
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}

# Readers in tests post and vote faster than any limit allows: the limits and the repeated-comment
# refusal are off unless a test turns them on (tests/moderation sets them).
MINBAR_RATE_LIMITS = {}
MINBAR_DUPLICATE_COMMENT_SECONDS = 0

# Background tasks run at once, after the commit that queued them, in the test's own thread;
# tests of the worker itself (tests/notify/test_tasks.py) switch to the database backend and
# drain the queue.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
