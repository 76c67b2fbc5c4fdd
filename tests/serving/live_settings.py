"""Production settings for the live servers of the resilience tests: plain http on loopback,
and no per-reader rate limits (three readers post as fast as the server answers)."""

import os

os.environ.setdefault("MINBAR_ALLOW_DEV_SECRET", "1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("EMAIL_URL", "console://")

from config.settings.prod import *  # noqa: F403

MINBAR_RATE_LIMITS = {}
MINBAR_DUPLICATE_COMMENT_SECONDS = 0

# The live servers answer pages without `collectstatic` having run on this checkout: plain
# static storage, so `{% static %}` needs no manifest (a fresh clone in CI has none).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
