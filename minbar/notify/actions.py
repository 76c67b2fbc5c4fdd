"""Every notification write. Run by the background worker (receivers.py) for what a comment or
a moderator's decision causes, and by views for what a reader chooses. Creating notifications
is idempotent (a unique constraint, inserts that ignore conflicts): a delivery that comes twice
notifies once and emails once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from minbar.accounts.models import User
from minbar.discussion.models import Comment
from minbar.news.models import Article
from minbar.notify import policy, selectors
from minbar.notify.models import Follow, Notification, Preferences

VISIBLE = Comment.Status.VISIBLE
PREFERENCE_FIELDS = (
    "email_replies",
    "email_mentions",
    "email_followed",
    "email_decisions",
    "follow_on_post",
    "language",
)


def _after_commit(change: Callable[[list[int]], None], reader_ids: Iterable[int]) -> None:
    ids = sorted(set(reader_ids))
    if ids:
        transaction.on_commit(lambda: change(ids))


# --- what a comment causes (the worker) ------------------------------------------------------


def do_notify_posted(*, comment_id: int) -> Made:
    """Tell the readers a newly visible comment concerns: the author of the comment it replies
    to, the readers it mentions, the followers of its discussion, in that order of precedence
    (one notification per reader). Nobody hears of a hidden comment, nobody of their own, and
    banned readers hear nothing."""
    comment = selectors.get_comment_for_notifying(comment_id=comment_id)
    if comment is None:
        return Made()
    author = comment.author
    if selectors.get_preferences(reader_id=author.pk).follow_on_post:
        do_follow(author, article_id=comment.article_id)
    if comment.status != VISIBLE:
        return Made()  # a comment awaiting review is announced when approved (do_notify_decided)
    chosen: dict[int, str] = {}
    parent = comment.parent
    if parent is not None and parent.status == VISIBLE:
        chosen[parent.author_id] = policy.REPLY
    keys = policy.mentioned_keys(comment.body, limit=settings.MINBAR_MENTIONS_MAX)
    for reader in selectors.readers_by_keys(keys=keys):
        chosen.setdefault(reader.pk, policy.MENTION)
    for reader_id in selectors.follower_ids(article_id=comment.article_id):
        chosen.setdefault(reader_id, policy.FOLLOWED)
    chosen.pop(author.pk, None)
    for banned in selectors.banned_among(reader_ids=set(chosen)):
        chosen.pop(banned)
    return _create(comment, chosen)


def do_notify_decided(*, comment_id: int, decision: str, reason: str = "") -> Made:
    """Tell the author of a comment a moderator's decision; an approved comment then reaches
    the readers it concerns, as a comment posted visible does at once."""
    comment = selectors.get_comment_for_notifying(comment_id=comment_id)
    if comment is None or decision not in (policy.APPROVED, policy.REJECTED):
        return Made()
    made = Made()
    if not selectors.banned_among(reader_ids={comment.author_id}):
        made += _create(comment, {comment.author_id: decision}, reason=reason)
    if decision == policy.APPROVED and comment.status == VISIBLE:
        made += do_notify_posted(comment_id=comment_id)
    return made


@dataclass(frozen=True)
class Made:
    """Notifications made, and the readers whose email they wait for (tasks.queue_emails)."""

    count: int = 0
    to_email: list[int] = field(default_factory=list)

    def __add__(self, other: Made) -> Made:
        return Made(
            count=self.count + other.count,
            to_email=sorted({*self.to_email, *other.to_email}),
        )


# One statement for a hundred followers (the ORM's bulk_create spends more time building the
# statement than the database takes to run it); ON CONFLICT DO NOTHING is understood by SQLite
# and PostgreSQL alike, and keeps a second delivery from notifying twice.
_INSERT = (
    "INSERT INTO notify_notification (recipient_id, kind, comment_id, reason, created_at, email)"
    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)


def _create(comment: Comment, chosen: dict[int, str], *, reason: str = "") -> Made:
    if not chosen:
        return Made()
    wants = _email_choices(set(chosen))
    now = timezone.now()
    with transaction.atomic():
        existing = set(
            Notification.objects.filter(
                comment=comment, recipient_id__in=list(chosen), kind__in=set(chosen.values())
            ).values_list("recipient_id", "kind")
        )
        fresh = [(pk, kind) for pk, kind in chosen.items() if (pk, kind) not in existing]
        emailed = sorted({pk for pk, kind in fresh if kind in wants.get(pk, ())})
        rows = [
            (
                pk,
                kind,
                comment.pk,
                reason,
                now,
                Notification.Email.PENDING
                if kind in wants.get(pk, ())
                else Notification.Email.NONE,
            )
            for pk, kind in fresh
        ]
        with connection.cursor() as cursor:
            cursor.executemany(_INSERT, rows)
        _after_commit(selectors.count_new_notifications, (pk for pk, _kind in fresh))
    return Made(count=len(fresh), to_email=emailed)


def _email_choices(reader_ids: set[int]) -> dict[int, set[str]]:
    """For each reader, the kinds they want emailed (the defaults when they never chose)."""
    fields = list(dict.fromkeys(policy.EMAIL_CHOICE.values()))
    blank = Preferences()
    defaults = {f: getattr(blank, f) for f in fields}
    saved = {
        row["reader_id"]: row
        for row in Preferences.objects.filter(reader_id__in=reader_ids).values("reader_id", *fields)
    }
    return {
        pk: {kind for kind, f in policy.EMAIL_CHOICE.items() if saved.get(pk, defaults)[f]}
        for pk in reader_ids
    }


# --- emails: claimed by the worker's task (tasks.send_notification_email) -----------------


@transaction.atomic
def do_claim_email(*, reader_id: int, now: dt.datetime) -> list[int] | None:
    """Take the reader's waiting notifications for one email (None: too early, try at
    `next_email_at`). Claimed ones wait in "sending" (a worker that dies leaves them for the
    next attempt after MINBAR_TASK_STALLED_SECONDS); the queue flag is lowered in the same
    transaction, so a notification made from now on queues the next email."""
    prefs = Preferences.objects.select_for_update().filter(reader_id=reader_id).first()
    if prefs is None:
        return []
    due = policy.next_email_at(
        last_emailed_at=prefs.last_emailed_at, now=now, minutes=settings.MINBAR_EMAIL_BATCH_MINUTES
    )
    if due > now:
        return None
    stale = now - dt.timedelta(seconds=settings.MINBAR_TASK_STALLED_SECONDS)
    waiting = Notification.objects.filter(recipient_id=reader_id).filter(
        email=Notification.Email.PENDING
    ) | Notification.objects.filter(
        recipient_id=reader_id, email=Notification.Email.SENDING, email_claimed_at__lt=stale
    )
    ids = list(waiting.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(
        email=Notification.Email.SENDING, email_claimed_at=now
    )
    Preferences.objects.filter(reader_id=reader_id).update(email_queued=False)
    return ids


@transaction.atomic
def do_finish_email(
    *, reader_id: int, sent: list[int], skipped: list[int], at: dt.datetime
) -> None:
    Notification.objects.filter(pk__in=sent).update(email=Notification.Email.SENT)
    Notification.objects.filter(pk__in=skipped).update(email=Notification.Email.SKIPPED)
    if sent:
        Preferences.objects.filter(reader_id=reader_id).update(last_emailed_at=at)


def do_release_email(*, reader_id: int, ids: list[int]) -> None:
    """Put claimed notifications back after a failed send (the retry takes them again)."""
    Notification.objects.filter(pk__in=ids, email=Notification.Email.SENDING).update(
        email=Notification.Email.PENDING, email_claimed_at=None
    )


# --- what a reader does ---------------------------------------------------------------------


def do_follow(reader: User, *, article_id: int) -> None:
    if article_id in selectors.get_reader_summary(reader_id=reader.pk).follows:
        return
    Follow.objects.bulk_create(
        [Follow(reader=reader, article_id=article_id)], ignore_conflicts=True
    )
    selectors.forget_follows([reader.pk])
    _after_commit(selectors.forget_follows, [reader.pk])


def do_unfollow(reader: User, *, article_id: int) -> None:
    Follow.objects.filter(reader=reader, article_id=article_id).delete()
    selectors.forget_follows([reader.pk])
    _after_commit(selectors.forget_follows, [reader.pk])


def check_follow(reader: User, *, article: Article, follow: bool) -> bool:
    """Follow or stop following a live article's discussion; returns the new state."""
    if follow:
        do_follow(reader, article_id=article.pk)
    else:
        do_unfollow(reader, article_id=article.pk)
    return follow


def do_mark_read(reader: User, *, notification_id: int | None = None) -> int:
    """Mark one of the reader's notifications read, or all of them (None)."""
    unread = Notification.objects.filter(recipient=reader, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    done = unread.update(read_at=timezone.now())
    selectors.forget_unread([reader.pk])
    _after_commit(selectors.forget_unread, [reader.pk])
    return done


def do_save_preferences(reader: User, **values: Any) -> Preferences:
    fields = {k: v for k, v in values.items() if k in PREFERENCE_FIELDS}
    prefs, _created = Preferences.objects.update_or_create(reader=reader, defaults=fields)
    return prefs


def do_unsubscribe(*, reader_id: int) -> None:
    """The one-click unsubscribe: no more notification emails of any kind."""
    Preferences.objects.update_or_create(
        reader_id=reader_id,
        defaults={
            "email_replies": False,
            "email_mentions": False,
            "email_followed": False,
            "email_decisions": False,
        },
    )
    Notification.objects.filter(recipient_id=reader_id, email=Notification.Email.PENDING).update(
        email=Notification.Email.SKIPPED
    )
