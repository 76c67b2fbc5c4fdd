"""Follow committed changes: move the version stamps of exactly the pages that show them."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from minbar.core.signals import article_changed, discussion_changed, lists_changed
from minbar.serving import versions

log = logging.getLogger(__name__)


@receiver(article_changed, dispatch_uid="serving-article-changed")
def on_article_changed(sender, *, article_id: int, **kwargs) -> None:
    # Content, status or publication time: its own page, and every list and feed (a title, a
    # card or a publication may appear or go anywhere).
    versions.bump(versions.article(article_id), versions.LISTS)


@receiver(discussion_changed, dispatch_uid="serving-discussion-changed")
def on_discussion_changed(
    sender, *, article_id: int, comment_ids=(), counter_moved: bool | None = None, **kwargs
) -> None:
    # A comment or a vote: the article's page; list pages only when the counter they show
    # moved (a vote or an edit leaves them alone). Posting and voting say whether it did.
    names = [versions.article(article_id)]
    if counter_moved is not None:
        if counter_moved:
            names.append(versions.counter(article_id))
        versions.bump(*names)
        return
    try:
        from minbar.serving.selectors import counter_moved

        if counter_moved(article_id=article_id):
            names.append(versions.counter(article_id))
    except Exception:  # receivers must not raise; when in doubt, invalidate
        log.exception("could not compare the comment counter of article %s", article_id)
        names.append(versions.counter(article_id))
    versions.bump(*names)


@receiver(lists_changed, dispatch_uid="serving-lists-changed")
def on_lists_changed(sender, **kwargs) -> None:
    versions.bump(versions.LISTS)
