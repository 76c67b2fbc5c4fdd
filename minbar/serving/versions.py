"""Version stamps: the time at which each thing a cached page shows last changed.

A cached page records when its rendering started; it is still good while every stamp it
depends on is older than that. Stamps are times, not counters, so that a write committing
while a page renders (after the page read the database, before it read the stamp) still
invalidates it: the stamp is set after the commit, hence later than the render's start.

Names: `epoch` (everything; set when the store comes back after an outage), `lists` (every
list and feed), `a:<id>` (an article's page and its comment lists), `n:<id>` (an article's
comment counter shown on list pages).

The store is the "pages" cache (Redis when REDIS_URL is set). When it fails, a breaker keeps
this process off it for a few seconds and every page is rendered fresh; when it answers again
the epoch moves, since stamps set meanwhile were lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches

log = logging.getLogger(__name__)

EPOCH = "epoch"
LISTS = "lists"
PREFIX = "v:"

_lock = threading.Lock()
_down_until = 0.0
_was_down = False


def article(article_id: int) -> str:
    return f"a:{article_id}"


def counter(article_id: int) -> str:
    return f"n:{article_id}"


def store():
    return caches[settings.MINBAR_PAGE_CACHE_ALIAS]


def available() -> bool:
    return time.time() >= _down_until


def failed(exc: Exception) -> None:
    global _down_until, _was_down
    with _lock:
        if available():
            log.warning("page cache store unavailable, rendering fresh for a while: %s", exc)
        _down_until = time.time() + settings.MINBAR_PAGE_CACHE_RETRY_SECONDS
        _was_down = True


def _recovered() -> None:
    """First success after an outage: stamps set meanwhile are lost, so move the epoch."""
    global _was_down
    with _lock:
        if not _was_down:
            return
        _was_down = False
    try:
        store().set(PREFIX + EPOCH, time.time(), timeout=None)
    except Exception as exc:  # still shaky: try again later
        failed(exc)


def read(names: Iterable[str]) -> dict[str, float] | None:
    """The stamps of `names` (plus the epoch), or None when the store cannot be reached.

    A missing stamp (evicted, or the store was emptied) is set to now: whatever was cached
    before is then treated as stale, which is always safe.
    """
    if not available():
        return None
    keys = [PREFIX + EPOCH, *(PREFIX + name for name in names)]
    try:
        cache = store()
        found = cache.get_many(keys)
        if len(found) < len(keys):
            now = time.time()
            missing = {key: now for key in keys if key not in found}
            for key in missing:
                cache.add(key, now, timeout=None)
            found.update(missing)
    except Exception as exc:
        failed(exc)
        return None
    if _was_down:
        _recovered()
        return None
    return {key[len(PREFIX) :]: value for key, value in found.items()}


def bump(*names: str) -> None:
    """Mark `names` as changed now. Never raises: a lost bump is caught by the epoch."""
    if not names:
        return
    now = time.time()
    try:
        store().set_many({PREFIX + name: now for name in names}, timeout=None)
    except Exception as exc:
        failed(exc)


def fresh(stamps: dict[str, float], *, names: Iterable[str], since: float) -> bool:
    """Whether nothing in `names` (nor the epoch) changed after `since`."""
    limit = since - settings.MINBAR_PAGE_CACHE_CLOCK_SKEW
    if stamps.get(EPOCH, limit + 1) > limit:
        return False
    return all(stamps.get(name, limit + 1) <= limit for name in names)


def reset_breaker() -> None:
    """Forget past failures (tests)."""
    global _down_until, _was_down
    _down_until = 0.0
    _was_down = False


def ensure(names: Iterable[str], *, since: float) -> None:
    """Give stamps to `names` that have none, as of just before `since` (a render's start).

    Called when storing a page rendered from `since` on: the page is then good, and any older
    page depending on a name whose stamp was lost is not (its start is earlier).
    """
    keys = [PREFIX + EPOCH, *(PREFIX + name for name in names)]
    try:
        cache = store()
        found = cache.get_many(keys)
        stamp = since - settings.MINBAR_PAGE_CACHE_CLOCK_SKEW
        for key in keys:
            if key not in found:
                cache.add(key, stamp, timeout=None)
    except Exception as exc:
        failed(exc)
