"""Reading the site out as an archive document: everything the importer reads, in an order that
depends only on what the document itself carries, so that export → import into an empty site →
export gives the same bytes."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from typing import Any

from django.conf import settings

from minbar.archive import policy
from minbar.discussion.models import Comment
from minbar.news.models import Article

_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def get_archive_document(*, time_zone: str | None = None) -> dict[str, Any]:
    """The whole site as a version 1 archive, times written in `time_zone` (default: the
    site's TIME_ZONE)."""
    zone_name = time_zone or settings.TIME_ZONE
    zone = zoneinfo.ZoneInfo(zone_name)

    def when(value: dt.datetime | None) -> str | None:
        return value.astimezone(zone).isoformat() if value is not None else None

    articles = list(
        Article.objects.select_related("section").prefetch_related("tags", "authors").order_by("pk")
    )
    # Articles by publication time, then slug: drafts without a time come last.
    articles.sort(key=lambda a: (a.published_at is None, a.published_at or _EPOCH, a.slug))
    comments = _comments_by_article([article.pk for article in articles], when=when)
    return {
        "format": policy.FORMAT,
        "version": policy.VERSION,
        "site": {"name": settings.MINBAR_SITE_NAME, "time_zone": zone_name},
        "articles": [
            {
                "slug": article.slug,
                "title": article.title,
                "standfirst": article.standfirst,
                "body": article.body,
                "language": article.language,
                "section": article.section.name,
                "tags": sorted(tag.name for tag in article.tags.all()),
                "authors": sorted(author.name for author in article.authors.all()),
                "status": article.status,
                "published_at": when(article.published_at),
                "updated_at": when(article.updated_at),
                "comments_open": article.comments_open,
                "source": (
                    {
                        "name": article.source_name,
                        "url": article.source_url,
                        "language": article.source_language,
                    }
                    if article.source_name or article.source_url or article.source_language
                    else None
                ),
                "comments": comments.get(article.pk, []),
            }
            for article in articles
        ],
    }


def _comments_by_article(article_ids: list[int], *, when) -> dict[int, list[dict[str, Any]]]:
    rows = (
        Comment.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "pk")
        .values_list(
            "pk",
            "article_id",
            "parent_id",
            "import_id",
            "author__username",
            "created_at",
            "body",
            "imported_score",
            "upvotes",
            "downvotes",
            "status",
        )
    )
    by_article: dict[int, list[tuple]] = defaultdict(list)
    for row in rows.iterator(chunk_size=2000):
        by_article[row[1]].append(row)
    result: dict[int, list[dict[str, Any]]] = {}
    for article_id, items in by_article.items():
        # Imported comments keep the id they came with; comments born here are `c<pk>`.
        taken = {row[3] for row in items if row[3]}
        ids = {row[0]: row[3] or policy.native_comment_id(row[0], taken=taken) for row in items}
        ordered = policy.parents_first(
            items,
            sort_key=lambda row, ids=ids: (row[5], ids[row[0]]),
            ident=lambda row: row[0],
            parent=lambda row: row[2],
        )
        result[article_id] = [
            {
                "id": ids[pk],
                "parent": ids[parent_id] if parent_id is not None else None,
                "author": username,
                "created_at": when(created_at),
                "text": body,
                # The net score a reader sees: what the comment brought plus the votes cast
                # here (docs/decisions/0003-archive-scores.md).
                "score": imported + up - down,
                "status": status,
            }
            for (pk, _a, parent_id, _i, username, created_at, body, imported, up, down, status) in (
                ordered
            )
        ]
    return result
