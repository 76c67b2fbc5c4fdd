"""Serving tests turn the page and fragment caches on (they are off for the rest of the suite,
whose transactions never commit and so never invalidate anything)."""

from __future__ import annotations

import contextlib
import re

import pytest
from django.core.cache import caches

from minbar.serving import fragments, pagecache, versions


@pytest.fixture
def page_cache(settings):
    settings.MINBAR_PAGE_CACHE = True
    settings.MINBAR_FRAGMENT_CACHE = True
    caches["pages"].clear()
    pagecache.clear_local()
    fragments.clear_local()
    versions.reset_breaker()
    yield
    pagecache.clear_local()
    fragments.clear_local()
    with contextlib.suppress(Exception):  # a test pointed "pages" at a store that is down
        caches["pages"].clear()


@pytest.fixture
def commits(monkeypatch):
    """Run after-commit work at once, as the commit that a test transaction never makes would.

    Requests are sequential here, so "at once" and "just after the commit" cannot be told apart.
    """
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def comment_count_shown(html: str) -> int:
    match = re.search(r"data-comment-count>([0-9]+)<", html)
    assert match, "no comment counter on the page"
    return int(match.group(1))


def card_counters(html: str) -> list[int]:
    """The comment counters shown on the article cards (and the lead story) of a list page."""
    cards = re.findall(
        r'<article class="(?:card|lead-story)[^"]*"[^>]*>.*?</article>', html, flags=re.S
    )
    found = []
    for card in cards:
        match = re.search(r'class="comment-counter"[^>]*>.*?([0-9]+)\s*</a>', card, flags=re.S)
        assert match, "a card without its comment counter"
        found.append(int(match.group(1)))
    return found


def cache_state(response) -> str:
    return response.headers.get("X-Minbar-Cache", "none")
