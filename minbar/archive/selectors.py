"""Reading the site out as an archive document: everything the importer reads, in an order that
depends only on what the document itself carries, so that export → import into an empty site →
export gives the same bytes."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Q

from minbar.archive import policy
from minbar.discussion.models import Comment, CommentVote
from minbar.moderation.models import AuditEntry, CommentReport, Sanction
from minbar.news.models import Article

_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)
# Writes a time in the export's zone (None stays None).
_When = Callable[[dt.datetime | None], str | None]


def get_archive_document(
    *, time_zone: str | None = None, version: int = policy.VERSION, personal_data: bool = False
) -> dict[str, Any]:
    """The whole site as an archive of `version` (1, or 2 with readers, votes, edit times and
    moderation history), times written in `time_zone` (default: the site's TIME_ZONE).
    Emails leave only with `personal_data`, and the file says so."""
    head, articles, tail = _archive_parts(
        time_zone=time_zone, version=version, personal_data=personal_data
    )
    document = {key: _listed(value) for key, value in head.items()}
    document["articles"] = list(articles)
    document.update(tail())
    return document


def iter_archive_text(
    *, time_zone: str | None = None, version: int = policy.VERSION, personal_data: bool = False
) -> Iterator[str]:
    """The same document as `dump_archive(get_archive_document(...))`, byte for byte, in
    pieces: one article (with its discussion) at a time, so that memory holds a chunk of
    articles, not the site."""
    head, articles, tail = _archive_parts(
        time_zone=time_zone, version=version, personal_data=personal_data
    )
    return policy.iter_dump(head, articles, tail)


_CHUNK = 100


def _archive_parts(
    *, time_zone: str | None, version: int, personal_data: bool
) -> tuple[dict[str, Any], Iterator[dict[str, Any]], Callable[[], dict[str, Any]]]:
    """(the keys before the articles, the articles one by one, a function giving the keys
    after them once the articles have been read)."""
    zone_name = time_zone or settings.TIME_ZONE
    zone = zoneinfo.ZoneInfo(zone_name)

    def when(value: dt.datetime | None) -> str | None:
        return value.astimezone(zone).isoformat() if value is not None else None

    articles = list(
        Article.objects.select_related("section").prefetch_related("tags", "authors").order_by("pk")
    )
    # Articles by publication time, then slug: drafts without a time come last.
    articles.sort(key=lambda a: (a.published_at is None, a.published_at or _EPOCH, a.slug))
    head: dict[str, Any] = {
        "format": policy.FORMAT,
        "version": version,
        "site": {"name": settings.MINBAR_SITE_NAME, "time_zone": zone_name},
    }
    if version >= 2:
        head["personal_data"] = personal_data
        head["readers"] = _readers(when=when, personal_data=personal_data)
    # The file ids of the comments the moderation history names, gathered on the way.
    wanted = _moderated_comment_ids() if version >= 2 else set()
    names: dict[int, tuple[str, str]] = {}

    def entries() -> Iterator[dict[str, Any]]:
        for start in range(0, len(articles), _CHUNK):
            chunk = articles[start : start + _CHUNK]
            comments = _comments_by_article([article.pk for article in chunk], when=when)
            if version >= 2:
                found = _add_v2_comment_fields(chunk, comments, when=when)
                names.update((pk, found[pk]) for pk in wanted & found.keys())
            else:
                for items in comments.values():
                    for item in items:
                        del item["_pk"]
            for article in chunk:
                yield _article_entry(article, comments.get(article.pk, []), when=when)

    def tail() -> dict[str, Any]:
        return {"moderation": _moderation(names, when=when)} if version >= 2 else {}

    return head, entries(), tail


def _article_entry(
    article: Article, comments: list[dict[str, Any]], *, when: _When
) -> dict[str, Any]:
    return {
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
        "comments": comments,
    }


def _moderated_comment_ids() -> set[int]:
    return set(CommentReport.objects.values_list("comment_id", flat=True)) | set(
        AuditEntry.objects.filter(comment__isnull=False).values_list("comment_id", flat=True)
    )


def _listed(value: Any) -> Any:
    """A head value as the whole document holds it: the readers' iterator as a list."""
    return list(value) if isinstance(value, Iterator) else value


def _readers(*, when: _When, personal_data: bool) -> Iterator[dict[str, Any]]:
    """Every reader's account (staff are the newsroom's, and stay out), by username, one at a
    time (an export holds no list of them)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    verified = (
        set(EmailAddress.objects.filter(verified=True).values_list("user_id", "email"))
        if personal_data
        else set()
    )
    rows = (
        get_user_model()
        .objects.filter(is_staff=False, is_superuser=False)
        .order_by("username")
        .values_list("pk", "username", "display_name", "date_joined", "email")
    )
    for pk, username, display_name, joined, email in rows.iterator(chunk_size=2000):
        reader: dict[str, Any] = {
            "username": username,
            "display_name": display_name,
            "joined_at": when(joined),
        }
        if personal_data:
            reader["email"] = email
            reader["email_verified"] = bool(email) and (pk, email.lower()) in verified
        yield reader


def _add_v2_comment_fields(
    articles: list[Article], comments: dict[int, list[dict[str, Any]]], *, when: _When
) -> dict[int, tuple[str, str]]:
    """Each comment's edit time, votes (reader, value, time, whether it counts) and, for a
    featured comment, `featured`; returns every comment's (article slug, id in the file) by
    primary key."""
    ids = [article.pk for article in articles]
    edited: dict[int, Any] = {}
    featured: set[int] = set()
    votes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for pk, edited_at, is_featured in Comment.objects.filter(
            Q(edited_at__isnull=False) | Q(is_featured=True), article_id__in=chunk
        ).values_list("pk", "edited_at", "is_featured"):
            edited[pk] = edited_at
            if is_featured:
                featured.add(pk)
        for comment_id, username, value, at, counted in (
            CommentVote.objects.filter(comment__article_id__in=chunk)
            .order_by("comment_id", "created_at", "voter__username")
            .values_list("comment_id", "voter__username", "value", "created_at", "is_counted")
        ):
            votes[comment_id].append(
                {"reader": username, "value": value, "at": when(at), "counted": counted}
            )
    slugs = {article.pk: article.slug for article in articles}
    names: dict[int, tuple[str, str]] = {}
    for article_id, items in comments.items():
        for item in items:
            pk = item.pop("_pk")
            names[pk] = (slugs[article_id], item["id"])
            item["edited_at"] = when(edited.get(pk))
            item["votes"] = votes.get(pk, [])
            if pk in featured:
                item["featured"] = True
    return names


def _moderation(ids: dict[int, tuple[str, str]], *, when: _When) -> dict[str, list[dict[str, Any]]]:
    """Reports, sanctions and decisions, in an order the file itself carries."""
    import json

    def name(user: Any) -> str | None:
        return user.username if user is not None else None

    reports = [
        {
            "article": ids[r.comment_id][0],
            "comment": ids[r.comment_id][1],
            "reporter": r.reporter.username,
            "reason": r.reason,
            "text": r.text,
            "counted": r.is_counted,
            "at": when(r.created_at),
            "resolution": r.resolution,
            "resolved_at": when(r.resolved_at),
            "resolved_by": name(r.resolved_by),
        }
        for r in CommentReport.objects.select_related("reporter", "resolved_by")
    ]
    reports.sort(key=lambda r: (r["at"], r["article"], r["comment"], r["reporter"]))
    sanctions = [
        {
            "reader": s.reader.username,
            "kind": s.kind,
            "reason": s.reason,
            "starts_at": when(s.starts_at),
            "ends_at": when(s.ends_at),
            "by": name(s.created_by),
            "lifted_at": when(s.lifted_at),
            "lifted_by": name(s.lifted_by),
        }
        for s in Sanction.objects.select_related("reader", "created_by", "lifted_by")
    ]
    sanctions.sort(key=lambda s: (s["starts_at"], s["reader"], s["kind"]))
    decisions = []
    for d in AuditEntry.objects.select_related("actor", "reader"):
        comment = ids.get(d.comment_id) if d.comment_id else None
        decisions.append(
            {
                "action": d.action,
                "at": when(d.created_at),
                "by": name(d.actor),
                "reason": d.reason,
                "article": comment[0] if comment else _slug(d.article_id),
                "comment": comment[1] if comment else None,
                "reader": name(d.reader),
                "details": d.details,
            }
        )
    decisions.sort(key=lambda d: (d["at"], d["action"], json.dumps(d, sort_keys=True)))
    return {"reports": reports, "sanctions": sanctions, "decisions": decisions}


def _slug(article_id: int | None) -> str | None:
    if article_id is None:
        return None
    return Article.objects.filter(pk=article_id).values_list("slug", flat=True).first()


def _by_time_and_id(ids: dict[int, str]) -> Callable[[tuple[Any, ...]], tuple[Any, str]]:
    return lambda row: (row[5], ids[row[0]])


def _comments_by_article(article_ids: list[int], *, when: _When) -> dict[int, list[dict[str, Any]]]:
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
    by_article: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows.iterator(chunk_size=2000):
        by_article[row[1]].append(row)
    result: dict[int, list[dict[str, Any]]] = {}
    for article_id, items in by_article.items():
        # Imported comments keep the id they came with; comments born here are `c<pk>`.
        taken = {row[3] for row in items if row[3]}
        ids = {row[0]: row[3] or policy.native_comment_id(row[0], taken=taken) for row in items}
        ordered = policy.parents_first(
            items,
            sort_key=_by_time_and_id(ids),
            ident=lambda row: row[0],
            parent=lambda row: row[2],
        )
        result[article_id] = [
            {
                "_pk": pk,
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
