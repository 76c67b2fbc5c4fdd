"""The notification emails, sent by the background worker (decision 0018)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from minbar.accounts.models import User
from minbar.core.tasks import retry_later
from minbar.discussion.models import Comment
from minbar.notify import actions, emails, policy, selectors
from minbar.notify.models import Notification, Preferences

log = logging.getLogger(__name__)


@task()
def send_notification_email(*, reader_id: int, attempt: int = 1) -> int:
    """Send the reader one email with every notification waiting to be emailed (a digest when
    there are several). Idempotent: what was sent is marked in the database, so a second run
    finds nothing to send. Returns how many notifications went out."""
    now = timezone.now()
    ids = actions.do_claim_email(reader_id=reader_id, now=now)
    if ids is None:  # too early: the batching window of the last email is still open
        if not task_backends[send_notification_email.backend].supports_defer:
            # A backend that runs tasks at once (tests) cannot wait: the next notification
            # queues the email again.
            Preferences.objects.filter(reader_id=reader_id).update(email_queued=False)
            return 0
        prefs = Preferences.objects.get(reader_id=reader_id)
        when = policy.next_email_at(
            last_emailed_at=prefs.last_emailed_at,
            now=now,
            minutes=settings.MINBAR_EMAIL_BATCH_MINUTES,
        )
        schedule(send_notification_email, when=when, reader_id=reader_id)
        return 0
    if not ids:
        return 0
    reader = User.objects.filter(pk=reader_id, is_active=True).first()
    address = selectors.verified_address(reader=reader) if reader else None
    banned = bool(selectors.banned_among(reader_ids={reader_id}))
    items = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("comment", "comment__article", "comment__author")
        .order_by("created_at", "pk")
    )
    # Hidden since: never emailed (a rejection is about a hidden comment by nature).
    shown = [
        n
        for n in items
        if n.comment.status == Comment.Status.VISIBLE or n.kind == Notification.Kind.REJECTED
    ]
    if reader is None or address is None or banned or not shown:
        actions.do_finish_email(reader_id=reader_id, sent=[], skipped=ids, at=now)
        return 0
    prefs = selectors.get_preferences(reader_id=reader_id)
    message = emails.build_message(reader, address, shown, language=prefs.language)
    try:
        _send(message)
    except Exception:
        actions.do_release_email(reader_id=reader_id, ids=ids)
        if retry_later(send_notification_email, attempt=attempt, reader_id=reader_id):
            Preferences.objects.filter(reader_id=reader_id).update(email_queued=True)
        raise
    sent = [n.pk for n in shown]
    actions.do_finish_email(
        reader_id=reader_id, sent=sent, skipped=[pk for pk in ids if pk not in sent], at=now
    )
    return len(sent)


# The worker keeps one connection to the mail server between emails (opening one per message
# cost about a quarter of each email in bench/notify_emails.py).
_connection: Any = None
_connection_for: tuple[str, str, int] | None = None


def _send(message: Any) -> None:
    """Send through the kept connection; a connection the server dropped is opened again once."""
    global _connection, _connection_for
    where = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)
    if _connection is not None and _connection_for != where:
        with contextlib.suppress(Exception):
            _connection.close()
        _connection = None
    for attempt in (1, 2):
        if _connection is None:
            _connection, _connection_for = get_connection(), where
            _connection.open()
        message.connection = _connection
        try:
            message.send()
            return
        except Exception:
            with contextlib.suppress(Exception):
                _connection.close()
            _connection = None
            if attempt == 2:
                raise


def queue_emails(*, reader_ids: list[int]) -> int:
    """Queue the next notification email of each reader who has none queued; each leaves when
    the batching allows (`policy.next_email_at`). A burst for one reader, or a comment for a
    hundred followers, costs a few statements, not a few per reader. Returns how many were
    queued."""
    if not reader_ids:
        return 0
    known = set(
        Preferences.objects.filter(reader_id__in=reader_ids).values_list("reader_id", flat=True)
    )
    if len(known) < len(reader_ids):
        Preferences.objects.bulk_create(
            [Preferences(reader_id=pk) for pk in reader_ids if pk not in known],
            ignore_conflicts=True,
        )
    now = timezone.now()
    if not Preferences.objects.filter(reader_id__in=reader_ids, email_queued=False).exists():
        return 0  # each has an email queued already (the usual case in a busy discussion)
    with transaction.atomic():
        idle = list(
            Preferences.objects.select_for_update()
            .filter(reader_id__in=reader_ids, email_queued=False)
            .values_list("reader_id", "last_emailed_at")
        )
        Preferences.objects.filter(
            reader_id__in=[pk for pk, _last in idle], email_queued=False
        ).update(email_queued=True)
        for reader_id, last in idle:
            when = policy.next_email_at(
                last_emailed_at=last, now=now, minutes=settings.MINBAR_EMAIL_BATCH_MINUTES
            )
            schedule(send_notification_email, when=when, reader_id=reader_id)
    return len(idle)


def schedule(task_obj: Any, *, when: dt.datetime, **kwargs: Any) -> None:
    """Enqueue `task_obj` to run at `when` (at once where the backend cannot wait)."""
    backend = task_backends[task_obj.backend]
    if when > timezone.now() and backend.supports_defer:
        task_obj = task_obj.using(run_after=when)
    task_obj.enqueue(**kwargs)
