"""Deploy checks for serving (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

# Backends whose entries live in one process's memory: each gunicorn worker has its own.
PROCESS_LOCAL = ("django.core.cache.backends.locmem.", "django.core.cache.backends.dummy.")


@register(Tags.caches, deploy=True)
def check_live_discussion_store(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The live discussion's version counters must be one store for every worker (0019)."""
    if not settings.MINBAR_LIVE_DISCUSSION:
        return []
    backend = str(settings.CACHES.get("pages", {}).get("BACKEND", ""))
    if not backend.startswith(PROCESS_LOCAL):
        return []
    return [
        Warning(
            "MINBAR_LIVE_DISCUSSION is on but the discussion version counters are in each "
            'process\'s memory (the "pages" cache has no REDIS_URL): with several gunicorn '
            "workers, a page rendered by one worker asks another, whose counter disagrees, and "
            "keeps offering to reload instead of showing new comments.",
            hint=(
                "Set REDIS_URL (the shipped layout), or turn the live discussion off with "
                "MINBAR_LIVE_DISCUSSION=0. With a single process (WORKERS=1), silence "
                "minbar.W004."
            ),
            id="minbar.W004",
        )
    ]
