"""Version stamps through a real Redis: a bump is stored where `read` looks and published to
every worker, in one round trip (minbar/serving/versions.py)."""

from __future__ import annotations

import time

import pytest
import redis
from django.core.cache import caches

from minbar.serving import versions


@pytest.fixture
def redis_pages(settings, redis_url):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
            "KEY_PREFIX": f"minbar-test-stamps-{time.time_ns()}",
        },
    }
    caches["pages"].clear()
    versions.reset_breaker()
    yield redis_url
    caches["pages"].clear()


def test_a_bump_is_stored_for_readers_and_published_to_workers(redis_pages):
    listener = redis.Redis.from_url(redis_pages).pubsub()
    listener.subscribe(versions.channel())
    assert listener.get_message(timeout=1)["type"] == "subscribe"
    before = time.time()
    versions.bump(versions.article(41), versions.counter(41))
    # Stored with the cache's own keys and encoding: a worker that saw no message finds it.
    stored = caches["pages"].get_many([versions.PREFIX + "a:41", versions.PREFIX + "n:41"])
    assert set(stored) == {versions.PREFIX + "a:41", versions.PREFIX + "n:41"}
    assert all(before <= value <= time.time() for value in stored.values())
    # And published, once, with both stamps.
    message = listener.get_message(timeout=2)
    assert message["type"] == "message"
    assert versions.decode(message["data"]) == {
        "a:41": stored[versions.PREFIX + "a:41"],
        "n:41": stored[versions.PREFIX + "n:41"],
    }
    listener.close()
