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
import os
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


class Mirror:
    """This worker's copy of the stamps, kept current by the store's publications.

    With Redis, every change of a stamp is also published; a thread in each worker listens and
    keeps the newest value of each stamp it has seen, so checking a cached page needs no round
    trip. Stamps only grow, so merging is `max` and order does not matter. Values read from the
    store are merged only if the subscription was live before the read began (a change after
    that is sure to be delivered). While the subscription is down, readers ask the store.
    """

    def __init__(self) -> None:
        self.stamps: dict[str, float] = {}
        self.live = False
        self.generation = 0
        self.pid = 0
        self.lock = threading.Lock()

    def start(self) -> None:
        if self.pid == os.getpid():
            return
        self.pid = os.getpid()  # after a fork: a thread of our own, a copy of our own
        with self.lock:
            self.stamps, self.live = {}, False
        threading.Thread(target=self._listen, name="minbar-stamps", daemon=True).start()

    def merge(self, values: dict[str, float], *, generation: int | None = None) -> None:
        with self.lock:
            if generation is not None and (generation != self.generation or not self.live):
                return
            for name, value in values.items():
                if value > self.stamps.get(name, float("-inf")):
                    self.stamps[name] = value

    def known(self, names: list[str]) -> dict[str, float] | None:
        with self.lock:
            if not self.live:
                return None
            try:
                return {name: self.stamps[name] for name in names}
            except KeyError:
                return None

    def _listen(self) -> None:
        pid = self.pid
        while pid == os.getpid():
            try:
                from django_redis import get_redis_connection

                pubsub = get_redis_connection(settings.MINBAR_PAGE_CACHE_ALIAS).pubsub()
                pubsub.subscribe(channel())
                for message in pubsub.listen():
                    if message["type"] == "subscribe":
                        with self.lock:
                            self.stamps, self.live = {}, True
                            self.generation += 1
                    elif message["type"] == "message":
                        self.merge(decode(message["data"]))
            except Exception as exc:
                log.info("stamp subscription lost, asking the store meanwhile: %s", exc)
            with self.lock:
                self.stamps, self.live = {}, False
            time.sleep(1.0)


mirror = Mirror()


def channel() -> str:
    location = str(settings.CACHES[settings.MINBAR_PAGE_CACHE_ALIAS].get("LOCATION", ""))
    return "minbar-stamps:" + location


def encode(values: dict[str, float]) -> str:
    return ";".join(f"{name}={value!r}" for name, value in values.items())


def decode(data) -> dict[str, float]:
    if isinstance(data, bytes):
        data = data.decode()
    values = {}
    for pair in data.split(";"):
        name, _, value = pair.partition("=")
        if name:
            values[name] = float(value)
    return values


def _shared_by_redis() -> bool:
    backend = settings.CACHES[settings.MINBAR_PAGE_CACHE_ALIAS]["BACKEND"]
    return backend.startswith("django_redis.")


def _publish(values: dict[str, float]) -> None:
    """Tell every worker's mirror (Redis only); the store already holds the values."""
    if not values or not _shared_by_redis():
        return
    from django_redis import get_redis_connection

    get_redis_connection(settings.MINBAR_PAGE_CACHE_ALIAS).publish(channel(), encode(values))
    mirror.merge(values)


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
        now = time.time()
        store().set(PREFIX + EPOCH, now, timeout=None)
        _publish({EPOCH: now})
    except Exception as exc:  # still shaky: try again later
        failed(exc)


def read(names: Iterable[str]) -> dict[str, float] | None:
    """The stamps of `names` (plus the epoch), or None when the store cannot be reached.

    A missing stamp (evicted, or the store was emptied) is set to now: whatever was cached
    before is then treated as stale, which is always safe.
    """
    if not available():
        return None
    wanted = [EPOCH, *names]
    mirrored = _shared_by_redis()
    if mirrored:
        mirror.start()
        known = mirror.known(wanted)
        if known is not None:
            return known
        generation = mirror.generation
    keys = [PREFIX + name for name in wanted]
    try:
        cache = store()
        found = cache.get_many(keys)
        if len(found) < len(keys):
            now = time.time()
            missing = {key: now for key in keys if key not in found}
            for key in missing:
                cache.add(key, now, timeout=None)
            found.update(missing)
            _publish({key[len(PREFIX) :]: now for key in missing})
    except Exception as exc:
        failed(exc)
        return None
    if _was_down:
        _recovered()
        return None
    stamps = {key[len(PREFIX) :]: value for key, value in found.items()}
    if mirrored:
        mirror.merge(stamps, generation=generation)
    return stamps


def bump(*names: str) -> None:
    """Mark `names` as changed now. Never raises: a lost bump is caught by the epoch."""
    if not names:
        return
    now = time.time()
    values = dict.fromkeys(names, now)
    try:
        if _shared_by_redis():
            _store_and_publish(values)
        else:
            store().set_many({PREFIX + name: now for name in names}, timeout=None)
    except Exception as exc:
        failed(exc)


def _store_and_publish(values: dict[str, float]) -> None:
    """Set the stamps and tell every worker in one round trip to Redis (every post and vote
    bumps), with the cache's own keys and encoding, so that `read` finds them as usual."""
    client = store().client
    pipe = client.get_client(write=True).pipeline(transaction=False)
    for name, value in values.items():
        pipe.set(client.make_key(PREFIX + name), client.encode(value))
    pipe.publish(channel(), encode(values))
    pipe.execute()
    mirror.merge(values)


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
        added = {}
        for key in keys:
            if key not in found and cache.add(key, stamp, timeout=None):
                added[key[len(PREFIX) :]] = stamp
        _publish(added)
    except Exception as exc:
        failed(exc)
