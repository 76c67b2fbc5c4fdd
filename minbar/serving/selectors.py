"""Reads the page cache needs from the newsroom: small, and run only when storing a page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from minbar.news.models import Article
from minbar.serving import versions


def next_scheduled_publication(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the next article goes live by itself: cached lists must not outlive that moment."""
    now = now or timezone.now()
    return (
        Article.objects.filter(
            status__in=[Article.Status.SCHEDULED, Article.Status.PUBLISHED], published_at__gt=now
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def counter_moved(*, article_id: int) -> bool:
    """Whether the article's comment counter differs from the one last seen (then remember it)."""
    count = Article.objects.filter(pk=article_id).values_list("comment_count", flat=True).first()
    key = f"{versions.PREFIX}count:{article_id}"
    cache = versions.store()
    if cache.get(key) == count:
        return False
    cache.set(key, count, timeout=None)
    return True
