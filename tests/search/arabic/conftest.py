"""These tests are pure (no Django, no database, no cache) and must also run with `-p no:django`.

The project-wide autouse fixtures in tests/conftest.py touch Django's cache and translations;
the fixtures below override them by name for this folder only.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache_and_arabic():
    """Nothing here touches Django's cache or the active language."""
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The fixture's earlier name, overridden too in case a branch still has it."""
    yield
