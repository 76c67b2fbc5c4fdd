"""Follow committed changes: a new discussion version for the article that shows them, and
(for the live discussion, live.py) which comments that version changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from minbar.core.signals import article_changed, discussion_changed
from minbar.serving.discussions import bump_discussion_version
from minbar.serving.live import record_change
from minbar.serving.selectors import forget_state_article


def _counters_kept() -> bool:
    return settings.MINBAR_FRAGMENT_CACHE or settings.MINBAR_LIVE_DISCUSSION


@receiver(article_changed, dispatch_uid="serving-article-changed")
def on_article_changed(sender: object, *, article_id: int, **kwargs: Any) -> None:
    forget_state_article(article_id)
    # Its address, flags and count are shown in the discussion too.
    if _counters_kept():
        version = bump_discussion_version(article_id)
        if version is not None and settings.MINBAR_LIVE_DISCUSSION:
            record_change(article_id, version, moved=[], changed=[])


@receiver(discussion_changed, dispatch_uid="serving-discussion-changed")
def on_discussion_changed(
    sender: object,
    *,
    article_id: int,
    comment_ids: list[int] | None = None,
    counter_moved: bool | None = None,
    **kwargs: Any,
) -> None:
    if not _counters_kept():
        return
    version = bump_discussion_version(article_id)
    if version is not None and settings.MINBAR_LIVE_DISCUSSION:
        ids = list(comment_ids or [])
        # The count moved: these comments appeared on the public page or left it.
        record_change(
            article_id,
            version,
            moved=ids if counter_moved else [],
            changed=[] if counter_moved else ids,
        )
