"""Which articles and comments the index holds, read from the database.

An article is indexed while it is published or scheduled (a scheduled one gets a key in the
future, which searches cut off until its time comes: no job has to index it then). A comment is
indexed while it is visible and its article is indexed. `texts` turns the rows read here into
the index's rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from minbar.discussion.models import Comment
from minbar.news.models import Article

INDEXED_STATUSES = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)


def indexable_articles():
    return Article.objects.filter(status__in=INDEXED_STATUSES, published_at__isnull=False)


def indexable_comments(article_ids: Iterable[int] | None = None):
    """Visible comments of indexable articles (of `article_ids` when given)."""
    comments = Comment.objects.visible().filter(
        article__status__in=INDEXED_STATUSES, article__published_at__isnull=False
    )
    if article_ids is not None:
        comments = comments.filter(article_id__in=list(article_ids))
    return comments


def tag_names(article_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each article's tag names (one query for the lot)."""
    names: dict[int, list[str]] = {}
    rows = (
        Article.tags.through.objects.filter(article_id__in=list(article_ids))
        .order_by("article_id", "tag__name")
        .values_list("article_id", "tag__name")
    )
    for article_id, name in rows:
        names.setdefault(article_id, []).append(name)
    return names
