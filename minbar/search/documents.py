"""What the index stores for an article or a comment: which ones, under which key, which text.

An article is indexed while it is published or scheduled (a scheduled one gets a key in the
future, which searches cut off until its time comes: no job has to index it then). A comment is
indexed while it is visible and its article is indexed. Texts are indexed as readers see them:
the rendered HTML without its tags, so Markdown syntax and link addresses are not words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from minbar.discussion.models import Comment
from minbar.news.models import Article
from minbar.search.backends import ArticleText, CommentText
from minbar.search.policy import COMMENT_TERM_LIMIT, FIELD_TERM_LIMITS, search_key
from minbar.search.terms import shadow_text

INDEXED_STATUSES = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
_TAG = re.compile(r"<[^>]*>")


def plain_text(rendered_html: str) -> str:
    """The text of sanitised HTML (as the site renders it), tags turned into spaces."""
    return html.unescape(_TAG.sub(" ", rendered_html))


def is_indexable_article(*, status: str, published_at) -> bool:
    return status in INDEXED_STATUSES and published_at is not None


def comment_date(*, created_at, article_published_at):
    """When a comment became readable: not before its article was published."""
    return max(created_at, article_published_at)


def article_text(
    article: Article, *, tag_names: Iterable[str], extra_protected: frozenset[str]
) -> ArticleText:
    """The index row of an indexable article (key still to be checked for collisions)."""

    def shadow(text: str, field: str) -> str:
        return shadow_text(text, extra_protected=extra_protected, limit=FIELD_TERM_LIMITS[field])

    return ArticleText(
        key=search_key(article.published_at, article.pk),
        article_id=article.pk,
        section_id=article.section_id,
        date=article.published_at,
        title=shadow(article.title, "title"),
        standfirst=shadow(article.standfirst, "standfirst"),
        tags=shadow(" ".join(tag_names), "tags"),
        body=shadow(plain_text(article.body_html), "body"),
    )


def comment_text(
    *,
    comment_id: int,
    article_id: int,
    section_id: int,
    body_html: str,
    created_at,
    article_published_at,
    extra_protected: frozenset[str],
) -> CommentText:
    date = comment_date(created_at=created_at, article_published_at=article_published_at)
    return CommentText(
        key=search_key(date, comment_id),
        comment_id=comment_id,
        article_id=article_id,
        section_id=section_id,
        date=date,
        body=shadow_text(
            plain_text(body_html), extra_protected=extra_protected, limit=COMMENT_TERM_LIMIT
        ),
    )


# The columns `comment_text` needs, read without building model instances (rebuilds read a
# million of them).
COMMENT_COLUMNS = (
    "pk", "article_id", "article__section_id", "body_html", "created_at",
    "article__published_at",
)  # fmt: skip


def comment_texts(rows: Iterable[tuple], *, extra_protected: frozenset[str]) -> list[CommentText]:
    """Index rows from `Comment.objects.values_list(*COMMENT_COLUMNS)` rows."""
    return [
        comment_text(
            comment_id=pk,
            article_id=article_id,
            section_id=section_id,
            body_html=body_html,
            created_at=created_at,
            article_published_at=published_at,
            extra_protected=extra_protected,
        )
        for pk, article_id, section_id, body_html, created_at, published_at in rows
    ]


def indexable_comments(article_ids: Iterable[int] | None = None):
    """Visible comments of indexable articles (of `article_ids` when given)."""
    comments = Comment.objects.visible().filter(
        article__status__in=INDEXED_STATUSES, article__published_at__isnull=False
    )
    if article_ids is not None:
        comments = comments.filter(article_id__in=list(article_ids))
    return comments


def indexable_articles():
    return Article.objects.filter(status__in=INDEXED_STATUSES, published_at__isnull=False)
