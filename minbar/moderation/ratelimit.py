"""Rate limits counted in the Django cache: Redis when REDIS_URL is set, so that every app server
counts together, and the local memory cache otherwise.

Two shapes, both atomic in the cache:

* "1 per N seconds" is a cool-down: `cache.add` (SET NX in Redis) of the time the next action is
  allowed. Exact: no burst at a window's edge.
* "K per N seconds" for K > 1 is a fixed window counted with `cache.add` + `cache.incr` (INCRBY).
  A burst of up to 2K across the edge of two windows is the price of one round trip.

A request that is refused by any rate consumes none of them, and a caller whose action is refused
for another reason gives its hits back with `Hits.undo()`, so a reader who fixes a refused
comment is not also made to wait.

The clock is `clock()` (seconds since the epoch), patched by tests. With Redis down the default
cache counts these keys in each worker's memory (minbar.core.cache); with any other cache that
fails, the limits fail open (the site keeps serving; the database constraints still hold).
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from minbar.moderation.policy import Rate, parse_rates, window_of

log = logging.getLogger(__name__)


def clock() -> float:
    return time.time()


class RateLimited(Exception):
    def __init__(self, *, action: str, retry_after: int):
        super().__init__(f"{action}: retry after {retry_after}s")
        self.action = action
        self.retry_after = retry_after


@dataclass
class Hits:
    """What one request took from its limits, so that it can be given back."""

    counters: list[str] = field(default_factory=list)
    cooldowns: list[tuple[str, float]] = field(default_factory=list)

    def undo(self) -> None:
        for key in self.counters:
            _decr(key)
        for key, until in self.cooldowns:
            if cache.get(key) == until:
                cache.delete(key)
        self.counters.clear()
        self.cooldowns.clear()


def rates_for(action: str) -> tuple[Rate, ...]:
    """The configured rates of `action` (settings.MINBAR_RATE_LIMITS); none when not listed."""
    return parse_rates(settings.MINBAR_RATE_LIMITS.get(action, ""))


def hit(action: str, *, ident: str, anchor: float = 0.0, now: float | None = None) -> Hits:
    """Count one `action` by `ident` against every configured rate, or raise RateLimited with
    the longest wait among the rates that refuse. `anchor` aligns the fixed windows (a new
    account's "first day" starts when it joined)."""
    now = clock() if now is None else now
    hits = Hits()
    for rate in rates_for(action):
        base = f"rl:{action}:{rate}:{ident}"
        try:
            if rate.amount == 1:
                _cooldown(base, rate=rate, now=now, hits=hits)
            else:
                _counter(base, rate=rate, now=now, anchor=anchor, hits=hits)
        except RateLimited as refused:
            hits.undo()
            raise RateLimited(action=action, retry_after=refused.retry_after) from None
    return hits


def _cooldown(key: str, *, rate: Rate, now: float, hits: Hits) -> None:
    until = now + rate.seconds
    # The cache's own expiry is only housekeeping; the stored time decides (tests move `clock`).
    ttl = rate.seconds + 1
    if cache.add(key, until, timeout=ttl):
        hits.cooldowns.append((key, until))
        return
    current = cache.get(key)
    if current is None:
        return  # expired between the two calls, or the cache is down: let it through
    if current <= now:
        # A stale cool-down: exactly one of the racing requests may replace it.
        if cache.add(f"{key}:{current}", 1, timeout=ttl):
            cache.set(key, until, timeout=ttl)
            hits.cooldowns.append((key, until))
            return
        current = cache.get(key) or until
    raise RateLimited(action=key, retry_after=max(1, int(current - now + 0.999)))


def _counter(key: str, *, rate: Rate, now: float, anchor: float, hits: Hits) -> None:
    index, retry_after = window_of(now=now, seconds=rate.seconds, anchor=anchor)
    window_key = f"{key}:{index}"
    cache.add(window_key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(window_key)
    except ValueError:
        return  # evicted between add and incr: let it through
    if count is None:
        return  # the cache is down (django-redis ignores the error): fail open
    if count > rate.amount:
        _decr(window_key)
        raise RateLimited(action=key, retry_after=retry_after)
    hits.counters.append(window_key)


def _decr(key: str) -> None:
    with contextlib.suppress(ValueError):  # already expired: nothing to give back
        cache.decr(key)


def wait(action: str, *, ident: str, anchor: float = 0.0, now: float | None = None) -> int:
    """Seconds until one more `action` by `ident` would pass every rate (0: now). Reads only,
    for pages that say how long to wait before the reader tries."""
    now = clock() if now is None else now
    longest = 0
    for rate in rates_for(action):
        base = f"rl:{action}:{rate}:{ident}"
        if rate.amount == 1:
            until = cache.get(base)
            if until is not None and until > now:
                longest = max(longest, int(until - now + 0.999))
            continue
        index, retry_after = window_of(now=now, seconds=rate.seconds, anchor=anchor)
        count = cache.get(f"{base}:{index}")
        if count is not None and count >= rate.amount:
            longest = max(longest, retry_after)
    return longest
