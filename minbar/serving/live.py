"""The live discussion (decision 0019): what changed under an article since the version a page
shows, the same answer for every page at that version.

Every committed change moves the article's discussion version (`discussions.py`); the receiver
that moves it also writes, under the new version, which comments changed: `moved` (the change
made them appear or disappear: posted visible, approved, hidden, deleted) and `changed` (edited,
voted on, featured, a comment awaiting review). Those entries live MINBAR_LIVE_LOG_SECONDS in
the "pages" cache. An open page asks `changes_since(version)` every few seconds through nginx's
one-second copy; the answer is read from the entries and the comments' current rows, so it only
ever carries what the public page shows: a comment that is not visible now is either "removed"
(it was on the page) or not mentioned at all (it never was).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.template.loader import render_to_string

from minbar.core import formatting
from minbar.discussion import policy as discussion_policy
from minbar.discussion.models import Comment
from minbar.discussion.selectors import ShownComment, team_member_ids
from minbar.moderation.selectors import comments_are_open
from minbar.news.models import Article
from minbar.serving.discussions import discussion_version

# A page more versions behind than this (or whose versions' entries expired) reloads instead.
MAX_STEPS = 50
# At most this many new comments are rendered by one request.
MAX_COMMENTS = 100
VISIBLE = Comment.Status.VISIBLE
DELETED = Comment.Status.DELETED


def _store() -> BaseCache:
    return caches["pages"]


def _log_key(article_id: int, version: int) -> str:
    return f"discussion-log:{article_id}:{version}"


def record_change(article_id: int, version: int, *, moved: list[int], changed: list[int]) -> None:
    """Write which comments the change that made `version` touched; never raises."""
    entry = {"moved": sorted(set(moved)), "changed": sorted(set(changed) - set(moved))}
    # A page that finds no entry reloads its discussion.
    with contextlib.suppress(Exception):
        _store().set(_log_key(article_id, version), entry, timeout=settings.MINBAR_LIVE_LOG_SECONDS)


def _comment_state(row: Mapping[str, Any]) -> dict[str, Any]:
    score = row["imported_score"] + row["upvotes"] - row["downvotes"]
    return {
        "id": row["pk"],
        "score": formatting.format_score(score),
        "html": row["body_html"],
        "edited": row["edited_at"] is not None,
    }


def changes_since(*, article: Article, since: int) -> dict[str, Any] | None:
    """What a page showing version `since` must change: `{"version": V}` alone when nothing;
    else `new` (ids of comments that appeared), `updated` (score, text, edited), `removed`
    (`{"id", "deleted"}`), the heading and count; or `reset` when the entries do not reach back.
    None when the store does not answer."""
    current = discussion_version(article.pk)
    if current is None:
        return None
    if since == current:
        return {"version": current}
    if since > current or current - since > MAX_STEPS:
        return {"version": current, "reset": True}
    versions = range(since + 1, current + 1)
    found = _store().get_many([_log_key(article.pk, v) for v in versions])
    moved: set[int] = set()
    changed: set[int] = set()
    reached = since
    for version in versions:
        entry = found.get(_log_key(article.pk, version))
        if entry is None:
            if version == current:  # being written right now: the next question gets it
                break
            return {"version": current, "reset": True}
        moved.update(entry["moved"])
        changed.update(entry["changed"])
        reached = version
    if reached == since:
        return {"version": since}
    rows = {
        row["pk"]: row
        for row in Comment.objects.filter(article_id=article.pk, pk__in=moved | changed).values(
            "pk", "status", "imported_score", "upvotes", "downvotes", "body_html", "edited_at"
        )
    }
    new: list[int] = []
    updated: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    for pk in sorted(moved | changed):
        row = rows.get(pk)
        if row is not None and row["status"] == VISIBLE:
            if pk in moved:
                new.append(pk)
            updated.append(_comment_state(row))
        elif pk in moved:
            # It was on the public page and is not any more; nothing else is said about it.
            removed.append({"id": pk, "deleted": row is not None and row["status"] == DELETED})
        # Not visible and never was (awaiting review, rejected before anyone saw it): silence.
    count = Article.objects.filter(pk=article.pk).values_list("comment_count", flat=True).first()
    return {
        "version": reached,
        "new": new,
        "updated": updated,
        "removed": removed,
        "count": count or 0,
        "count_shown": formatting.format_count(count or 0),
        "heading": formatting.comments_heading(count or 0),
    }


def render_new_comments(*, article: Article, ids: list[int]) -> list[dict[str, Any]]:
    """The visible comments among `ids`, rendered as the public page renders them (oldest
    first), with their parents: the same for every reader. Two queries."""
    comments = list(
        Comment.objects.filter(article_id=article.pk, pk__in=ids[:MAX_COMMENTS], status=VISIBLE)
        .select_related("author", "parent__author")
        .order_by("created_at", "pk")
    )
    team = team_member_ids({c.author_id for c in comments})
    is_open = comments_are_open(article)
    rendered = []
    for comment in comments:
        deep = comment.depth > discussion_policy.MAX_VISUAL_DEPTH
        item = ShownComment(
            comment=comment,
            visual_depth=min(comment.depth, discussion_policy.MAX_VISUAL_DEPTH),
            reply_to=comment.parent if deep else None,
            by_team=comment.author_id in team,
        )
        html = render_to_string(
            "discussion/_comment.html", {"item": item, "discussion": {"is_open": is_open}}
        )
        rendered.append({"id": comment.pk, "parent": comment.parent_id, "html": html})
    return rendered
