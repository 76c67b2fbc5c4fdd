"""Rows of the database → the index's rows (keys and analysed shadow text). Pure: no Django,
so that a rebuild can run it in another process while the first one writes to the database.

Texts are indexed as readers see them: the rendered HTML without its tags, so Markdown syntax
and link addresses are not words.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from minbar.search.policy import COMMENT_TERM_LIMIT, FIELD_TERM_LIMITS, search_key
from minbar.search.terms import shadow_text

_TAG = re.compile(r"<[^>]*>")

# The columns the builders below take, in this order (pk first), as `values_list` gives them.
ARTICLE_COLUMNS = ("pk", "section_id", "published_at", "title", "standfirst", "body_html")
COMMENT_COLUMNS = (
    "pk", "article_id", "article__section_id", "body_html", "created_at",
    "article__published_at",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article as the index stores it: keys and filters, and each field's shadow text."""

    key: int  # carries the publication time
    article_id: int
    section_id: int
    title: str
    standfirst: str
    tags: str
    body: str


@dataclass(frozen=True, slots=True)
class CommentText:
    key: int  # carries the time it became readable
    comment_id: int
    article_id: int
    section_id: int
    body: str


def plain_text(rendered_html: str) -> str:
    """The text of sanitised HTML (as the site renders it), tags turned into spaces."""
    return html.unescape(_TAG.sub(" ", rendered_html))


def comment_date(*, created_at: dt.datetime, article_published_at: dt.datetime) -> dt.datetime:
    """When a comment became readable: not before its article was published."""
    return max(created_at, article_published_at)


def article_texts(
    rows: Iterable[tuple], *, tags: dict[int, list[str]], extra_protected: frozenset[str]
) -> list[ArticleText]:
    """Index rows (keys still to be checked for collisions) from ARTICLE_COLUMNS rows."""

    def shadow(text: str, field: str) -> str:
        return shadow_text(text, extra_protected=extra_protected, limit=FIELD_TERM_LIMITS[field])

    return [
        ArticleText(
            key=search_key(published_at, pk),
            article_id=pk,
            section_id=section_id,
            title=shadow(title, "title"),
            standfirst=shadow(standfirst, "standfirst"),
            tags=shadow(" ".join(tags.get(pk, ())), "tags"),
            body=shadow(plain_text(body_html), "body"),
        )
        for pk, section_id, published_at, title, standfirst, body_html in rows
    ]


def comment_texts(rows: Iterable[tuple], *, extra_protected: frozenset[str]) -> list[CommentText]:
    """Index rows (keys still to be checked for collisions) from COMMENT_COLUMNS rows."""
    result = []
    for pk, article_id, section_id, body_html, created_at, published_at in rows:
        date = comment_date(created_at=created_at, article_published_at=published_at)
        result.append(
            CommentText(
                key=search_key(date, pk),
                comment_id=pk,
                article_id=article_id,
                section_id=section_id,
                body=shadow_text(
                    plain_text(body_html),
                    extra_protected=extra_protected,
                    limit=COMMENT_TERM_LIMIT,
                ),
            )
        )
    return result
