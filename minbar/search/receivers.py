"""Follow committed changes of articles and comments into the search index."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from minbar.core.signals import article_changed, discussion_changed
from minbar.search import actions

log = logging.getLogger(__name__)


@receiver(article_changed, dispatch_uid="search-article-changed")
def on_article_changed(sender, *, article_id: int, **kwargs) -> None:
    # Receivers must not raise: the change is committed; a failed index write is logged and
    # mended by the next change of this article or by rebuild_search_index.
    try:
        actions.do_index_article(article_id=article_id)
    except Exception:
        log.exception("could not index article %s", article_id)


@receiver(discussion_changed, dispatch_uid="search-discussion-changed")
def on_discussion_changed(
    sender, *, article_id: int, comment_ids=(), posted=None, **kwargs
) -> None:
    try:
        if posted is not None:
            actions.do_index_new_comment(posted)
        else:
            actions.do_index_comments(article_id=article_id, comment_ids=comment_ids)
    except Exception:
        log.exception("could not index comments %s of article %s", comment_ids, article_id)
