"""Shared fixtures. Services that may be absent (PostgreSQL, Redis, Chromium) skip with a reason,
unless MINBAR_REQUIRE_SERVICES=1, where their absence fails the run."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

REQUIRE_SERVICES = os.environ.get("MINBAR_REQUIRE_SERVICES", "") in {"1", "true", "yes"}
CHROMIUM = os.environ.get("MINBAR_CHROMIUM", "/usr/bin/chromium")


def service_missing(reason: str) -> None:
    """Skip (or fail, when services are required) a test whose service is absent."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (MINBAR_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _fresh_cache_and_arabic():
    """Each test starts with an empty cache and Arabic active (a request to /en/ in an earlier
    test leaves English active in the thread, which would change every reverse())."""
    from django.core.cache import cache, caches
    from django.utils import translation

    cache.clear()
    caches["worker"].clear()
    translation.activate("ar")
    yield
    translation.activate("ar")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("MINBAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not port_open("127.0.0.1", 6379):
        service_missing("Redis is not running on 127.0.0.1:6379")
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        service_missing(f"Chromium is not installed at {CHROMIUM}")
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


@pytest.fixture
def on_postgres(settings) -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
