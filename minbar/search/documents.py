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
from minbar.search.texts import ARTICLE_COLUMNS

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


def comment_row(comment: Comment) -> tuple | None:
    """The COMMENT_COLUMNS row of a comment as it was just written (its article loaded), or None
    when `indexable_comments` would leave it out: the same rule, without reading it back."""
    article = comment.article
    if (
        comment.status != Comment.Status.VISIBLE
        or article.status not in INDEXED_STATUSES
        or article.published_at is None
    ):
        return None
    return (
        comment.pk,
        comment.article_id,
        article.section_id,
        comment.body_html,
        comment.created_at,
        article.published_at,
    )


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


def _by_pk(queryset, *, columns: tuple[str, ...], size: int):
    """`columns` rows (pk first) of `queryset` in pk order, `size` at a time, by keyset.

    The queryset must filter only on its own table, so that each batch is a walk along the
    primary key (a join lets the planner choose an index that sorts the whole table instead).
    """
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list(*columns)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def article_batches(*, size: int):
    """ARTICLE_COLUMNS rows of every indexable article, in batches of at most `size`."""
    published_at = ARTICLE_COLUMNS.index("published_at")
    for rows in _by_pk(Article.objects.all(), columns=(*ARTICLE_COLUMNS, "status"), size=size):
        batch = [row[:-1] for row in rows if row[-1] in INDEXED_STATUSES and row[published_at]]
        if batch:
            yield batch


def comment_batches(*, size: int):
    """COMMENT_COLUMNS rows of every indexable comment, in batches of at most `size`."""
    own = ("pk", "article_id", "body_html", "created_at")
    for rows in _by_pk(Comment.objects.visible(), columns=own, size=size):
        live = {
            pk: (section_id, published_at)
            for pk, section_id, published_at in indexable_articles()
            .filter(pk__in={row[1] for row in rows})
            .values_list("pk", "section_id", "published_at")
        }
        batch = [
            (pk, article_id, live[article_id][0], body_html, created_at, live[article_id][1])
            for pk, article_id, body_html, created_at in rows
            if article_id in live
        ]
        if batch:
            yield batch
