"""How a write that touches many articles and comments at once (a recount, an archive import, a
claim) says what it changed: one path, through `minbar.core.announce` (sent after commit, never
for a rolled-back transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from minbar.core.announce import announce_each
from minbar.core.signals import article_changed, discussion_changed
from minbar.discussion.models import Comment
from minbar.news.models import Article


def announce_changes(
    *,
    articles: Iterable[int] = (),
    discussions: Mapping[int, Iterable[int]] | None = None,
) -> None:
    """`article_changed` for each article id, then `discussion_changed` for each article's
    changed comments (article id → comment ids), all after commit."""
    announce_each(
        article_changed,
        sender=Article,
        payloads=[{"article_id": article_id} for article_id in articles],
    )
    announce_each(
        discussion_changed,
        sender=Comment,
        payloads=[
            {"article_id": article_id, "comment_ids": list(comment_ids)}
            for article_id, comment_ids in (discussions or {}).items()
        ],
    )
