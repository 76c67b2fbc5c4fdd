"""Serving tests turn the page and comment-list caches on (they are off for the rest of the
suite, whose transactions never commit and so never move a discussion's version)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches


def _clear() -> None:
    caches["pages"].clear()
    caches["page-bodies"].clear()


@pytest.fixture
def page_cache(settings):
    settings.MINBAR_PAGE_CACHE = True
    settings.MINBAR_FRAGMENT_CACHE = True
    _clear()
    yield
    _clear()


@pytest.fixture
def list_cache(settings):
    """Only the comment lists kept (every page rendered): what a version change does."""
    settings.MINBAR_PAGE_CACHE = False
    settings.MINBAR_FRAGMENT_CACHE = True
    _clear()
    yield
    _clear()


def page_lifetime_passes() -> None:
    """What MINBAR_PAGE_CACHE_SECONDS (one second) does to every worker's copies of pages;
    test_public_pages.py shows the real second doing it once. The worker's second (the
    article row and page ids the reader's state keeps with the pages) passes with it."""
    caches["page-bodies"].clear()
    caches["worker"].clear()


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
