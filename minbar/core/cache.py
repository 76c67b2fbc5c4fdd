"""The default cache: Redis, with each worker's own memory standing in for the rate limits while
Redis does not answer.

Every other key keeps django-redis's behaviour with IGNORE_EXCEPTIONS: an error is a miss, and the
database answers. A rate-limit counter cannot be a miss: allauth takes a lock in the cache before
it counts a sign-in or a sign-up, and a lock that can never be taken refuses every attempt (a 429
for everyone while Redis is down). So the keys of the limits (allauth's `allauth:rl:` and Minbar's
`rl:`) go to a local-memory cache when Redis fails, and stay there for
`LOCAL_FALLBACK_SECONDS` before Redis is tried again, so that a hung Redis costs one timeout per
worker and not one per request.

Counted per worker, a limit lets through at most (workers x limit) attempts while Redis is down:
looser, never off, and nothing a reader sees. Sessions, permission sets and word lists are not
routed here on purpose: a stale copy in one worker would be wrong, not just generous.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

log = logging.getLogger(__name__)

LIMIT_PREFIXES = ("allauth:rl:", "rl:")

# Per process, shared by the threads' cache objects (Django makes one per thread).
_down_until: dict[str, float] = {}


class RedisWithLocalLimits(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        options = params.get("OPTIONS", {})
        self._retry_seconds = float(options.get("LOCAL_FALLBACK_SECONDS", 5.0))
        # LocMemCache instances with one name share their storage within the process.
        self._local = LocMemCache(f"minbar-limits:{server}", {"OPTIONS": {"MAX_ENTRIES": 20000}})

    def local_limits(self) -> LocMemCache:
        """The stand-in store (tests read it to show where the counts went)."""
        return self._local

    def _limited(self, name: str, key: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < _down_until.get(self._server, 0.0):
            return getattr(self._local, name)(key, *args, **kwargs)
        try:
            return getattr(self.client, name)(key, *args, **kwargs)
        except ConnectionInterrupted:
            log.warning("Redis did not answer: rate limits are counted in this worker for now.")
            _down_until[self._server] = time.monotonic() + self._retry_seconds
            return getattr(self._local, name)(key, *args, **kwargs)

    @staticmethod
    def _is_limit(key: Any) -> bool:
        return isinstance(key, str) and key.startswith(LIMIT_PREFIXES)

    def add(self, key: Any, *args: Any, **kwargs: Any) -> bool:
        if self._is_limit(key):
            return self._limited("add", key, *args, **kwargs)
        return super().add(key, *args, **kwargs)

    def get(
        self, key: Any, default: Any = None, version: int | None = None, client: Any = None
    ) -> Any:
        if self._is_limit(key):
            return self._limited("get", key, default, version=version)
        return super().get(key, default, version, client)

    def set(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        if self._is_limit(key):
            return self._limited("set", key, *args, **kwargs)
        return super().set(key, *args, **kwargs)

    def delete(self, key: Any, *args: Any, **kwargs: Any) -> bool:
        if self._is_limit(key):
            return bool(self._limited("delete", key, *args, **kwargs))
        return super().delete(key, *args, **kwargs)

    def incr(self, key: Any, delta: int = 1, version: int | None = None, client: Any = None) -> int:
        if self._is_limit(key):
            return self._limited("incr", key, delta, version=version)
        return super().incr(key, delta, version, client)

    def decr(self, key: Any, delta: int = 1, version: int | None = None, client: Any = None) -> int:
        if self._is_limit(key):
            return self._limited("decr", key, delta, version=version)
        return super().decr(key, delta, version, client)
