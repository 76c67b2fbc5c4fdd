"""Follow committed changes of articles and comments into the search index.

A new comment is indexed by the background worker (`comment_posted`, decision 0017): posting
only queues it. The worker polls every second (`run_worker --interval`), so a posted comment is
searchable within two seconds of its commit (the poll, then the indexing) while the worker keeps
up; tests/notify/test_tasks.py holds it to that. Edits, moderators' decisions and votes are
indexed at once, after their commit, as before.
"""

from __future__ import annotations

import logging

from django.dispatch import receiver

from minbar.core.signals import article_changed, comment_posted, discussion_changed
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
    if posted is not None:
        return  # indexed by the worker: on_comment_posted
    try:
        actions.do_index_comments(article_id=article_id, comment_ids=comment_ids)
    except Exception:
        log.exception("could not index comments %s of article %s", comment_ids, article_id)


@receiver(comment_posted, dispatch_uid="search-comment-posted")
def on_comment_posted(sender, *, comment_id: int, article_id: int, **kwargs) -> None:
    # In the worker: an upsert (its entry, if any, is replaced), so a second delivery or an
    # article indexed in the same commit (which indexes its comments) leaves one entry. A
    # failure raises, and the delivery is tried again.
    actions.do_index_comments(article_id=article_id, comment_ids=[comment_id])
