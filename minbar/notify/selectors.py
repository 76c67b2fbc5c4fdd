"""Reads for notifications: the bell's count and followed discussions (kept in the cache per
reader, so the reader's state costs no query once warm), the notifications page, and who is
told about a comment."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db.models import QuerySet

from minbar.accounts.models import User
from minbar.discussion.models import Comment
from minbar.moderation.models import Sanction
from minbar.notify.models import Follow, Notification, Preferences

# How long a kept count may lag behind in the worst case (a notification made while the count
# was being read from the database): it is read again after this.
SUMMARY_SECONDS = 300


def unread_key(reader_id: int) -> str:
    return f"notify:unread:{reader_id}"


def follows_key(reader_id: int) -> str:
    return f"notify:follows:{reader_id}"


@dataclass(frozen=True)
class ReaderSummary:
    unread: int
    follows: frozenset[int]


def get_reader_summary(*, reader_id: int) -> ReaderSummary:
    """The unread count and the followed articles of a reader, through the cache: one round
    trip once warm. New notifications add to the kept count (`count_new_notifications`);
    reading them and following drop their key after the commit (`forget_*`)."""
    keys = (unread_key(reader_id), follows_key(reader_id))
    kept: dict[str, Any] = cache.get_many(keys)
    unread = kept.get(keys[0])
    if unread is None:
        unread = Notification.objects.filter(recipient_id=reader_id, read_at__isnull=True).count()
        cache.set(keys[0], unread, SUMMARY_SECONDS)
    follows = kept.get(keys[1])
    if follows is None:
        follows = list(
            Follow.objects.filter(reader_id=reader_id).values_list("article_id", flat=True)
        )
        cache.set(keys[1], follows, SUMMARY_SECONDS)
    return ReaderSummary(unread=unread, follows=frozenset(follows))


def count_new_notifications(reader_ids: list[int]) -> None:
    """Add one to each reader's kept unread count (a count not kept is read when next asked)."""
    for reader_id in reader_ids:
        with contextlib.suppress(ValueError):
            cache.incr(unread_key(reader_id))


def forget_unread(reader_ids: list[int]) -> None:
    cache.delete_many([unread_key(pk) for pk in reader_ids])


def forget_follows(reader_ids: list[int]) -> None:
    cache.delete_many([follows_key(pk) for pk in reader_ids])


def list_notifications(*, reader: User, limit: int = 50) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=reader).select_related(
        "comment", "comment__article", "comment__author"
    )[:limit]


def get_preferences(*, reader_id: int) -> Preferences:
    """The reader's choices (the defaults, unsaved, when they never chose)."""
    found = Preferences.objects.filter(reader_id=reader_id).first()
    return found or Preferences(reader_id=reader_id)


def banned_among(*, reader_ids: set[int]) -> set[int]:
    if not reader_ids:
        return set()
    return set(
        Sanction.objects.active()
        .filter(kind=Sanction.Kind.BAN, reader_id__in=reader_ids)
        .values_list("reader_id", flat=True)
    )


def readers_by_keys(*, keys: list[str]) -> list[User]:
    """Active readers whose folded username is one of `keys` (missing names find nobody)."""
    if not keys:
        return []
    return list(User.objects.filter(username_key__in=keys, is_active=True))


def follower_ids(*, article_id: int) -> list[int]:
    return list(
        Follow.objects.filter(article_id=article_id, reader__is_active=True).values_list(
            "reader_id", flat=True
        )
    )


def get_comment_for_notifying(*, comment_id: int) -> Comment | None:
    return (
        Comment.objects.select_related("article", "author", "parent").filter(pk=comment_id).first()
    )


def verified_address(*, reader: User) -> str | None:
    """The reader's verified address (the primary one first), or None: notification emails go
    only there, never to an address a form names."""
    found = (
        EmailAddress.objects.filter(user=reader, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return found or None
