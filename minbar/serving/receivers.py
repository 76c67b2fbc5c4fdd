"""Follow committed changes: a new discussion version for the article that shows them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from minbar.core.signals import article_changed, discussion_changed
from minbar.serving.discussions import bump_discussion_version
from minbar.serving.selectors import forget_state_article


@receiver(article_changed, dispatch_uid="serving-article-changed")
def on_article_changed(sender: object, *, article_id: int, **kwargs: Any) -> None:
    forget_state_article(article_id)
    # Its address, flags and count are shown in the discussion too.
    if settings.MINBAR_FRAGMENT_CACHE:
        bump_discussion_version(article_id)


@receiver(discussion_changed, dispatch_uid="serving-discussion-changed")
def on_discussion_changed(sender: object, *, article_id: int, **kwargs: Any) -> None:
    if settings.MINBAR_FRAGMENT_CACHE:
        bump_discussion_version(article_id)
