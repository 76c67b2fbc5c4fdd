"""Which articles and comments the index holds, read from the database.

An article is indexed while it is published or scheduled (a scheduled one gets a key in the
future, which searches cut off until its time comes: no job has to index it then). A comment is
indexed while it is visible and its article is indexed. `texts` turns the rows read here into
the index's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from typing import Any, cast

from django.db.models import Q, QuerySet

from minbar.discussion.models import Comment
from minbar.news.models import Article
from minbar.search.texts import ARTICLE_COLUMNS

INDEXED_STATUSES = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)

# What the index holds, said once, as field lookups: the querysets filter with them, and
# `satisfies` checks an object or a row already in hand against the same lookups (no query).
ARTICLE_RULE: Mapping[str, object] = {
    "status__in": INDEXED_STATUSES,
    "published_at__isnull": False,
}
COMMENT_RULE: Mapping[str, object] = {
    "status": Comment.Status.VISIBLE,
    **{f"article__{lookup}": value for lookup, value in ARTICLE_RULE.items()},
}


def rule_q(rule: Mapping[str, object], *, through: str = "") -> Q:
    """The rule as a filter, on the model itself or `through` a relation (e.g. "comment")."""
    prefix = f"{through}__" if through else ""
    return Q(**{prefix + lookup: value for lookup, value in rule.items()})


def satisfies(rule: Mapping[str, object], value_of: Callable[[str], object]) -> bool:
    """Whether the values `value_of(path)` (a path such as "article__status") meet the rule,
    evaluated here as the database would evaluate `rule_q(rule)`."""
    for lookup, wanted in rule.items():
        path, operator = _split(lookup)
        value = value_of(path)
        if operator == "in":
            held = value in cast("Container[object]", wanted)
        elif operator == "isnull":
            held = (value is None) == wanted
        else:
            held = value == wanted
        if not held:
            return False
    return True


def _split(lookup: str) -> tuple[str, str]:
    """("article__status", "in") from "article__status__in"; only these three operators."""
    path, _sep, operator = lookup.rpartition("__")
    if operator in ("in", "isnull"):
        return path, operator
    return lookup, "exact"


def _attribute_path(instance: object) -> Callable[[str], object]:
    def value_of(path: str) -> object:
        value = instance
        for name in path.split("__"):
            value = getattr(value, name)
        return value

    return value_of


def indexable_articles() -> QuerySet[Article]:
    return Article.objects.filter(rule_q(ARTICLE_RULE))


def indexable_comments(article_ids: Iterable[int] | None = None) -> QuerySet[Comment]:
    """Visible comments of indexable articles (of `article_ids` when given)."""
    comments = Comment.objects.filter(rule_q(COMMENT_RULE))
    if article_ids is not None:
        comments = comments.filter(article_id__in=list(article_ids))
    return comments


def comment_row(comment: Comment) -> tuple[Any, ...] | None:
    """The COMMENT_COLUMNS row of a comment as it was just written (its article loaded), or None
    when `indexable_comments` would leave it out: the same rule, without reading it back."""
    if not satisfies(COMMENT_RULE, _attribute_path(comment)):
        return None
    article = comment.article
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


Rows = list[tuple[Any, ...]]


def _by_pk(queryset: QuerySet[Any], *, columns: tuple[str, ...], size: int) -> Iterator[Rows]:
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


def article_batches(*, size: int) -> Iterator[Rows]:
    """ARTICLE_COLUMNS rows of every indexable article, in batches of at most `size`."""
    paths = tuple(_split(lookup)[0] for lookup in ARTICLE_RULE)
    columns = (*ARTICLE_COLUMNS, *paths)
    width = len(ARTICLE_COLUMNS)
    for rows in _by_pk(Article.objects.all(), columns=columns, size=size):
        batch = [
            row[:width]
            for row in rows
            if satisfies(ARTICLE_RULE, dict(zip(paths, row[width:], strict=True)).__getitem__)
        ]
        if batch:
            yield batch


def comment_batches(*, size: int) -> Iterator[Rows]:
    """COMMENT_COLUMNS rows of every indexable comment, in batches of at most `size`."""
    own = ("pk", "article_id", "body_html", "created_at")
    # The comment's own part of the rule here, its article's part below (see _by_pk: one table).
    mine = {k: v for k, v in COMMENT_RULE.items() if not k.startswith("article__")}
    for rows in _by_pk(Comment.objects.filter(**mine), columns=own, size=size):
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
