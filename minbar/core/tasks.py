"""Work that follows a write but need not hold up the reader who made it (decision 0017).

An action says `announce_in_background(signal, **payload)`; the background worker sends that
signal, and the receivers (the search index, notifications) do their work there. The task row is
written in the action's own transaction when tasks are kept in the database (the default), so
the work is queued exactly when the change commits and never for a rolled-back one; a worker
that dies half way leaves the row "running" and `requeue_stalled` (run by `run_worker` when it
starts) puts it back. Delivery is therefore at least once: every receiver must be idempotent.

A receiver that raises fails this attempt (kept, with its traceback, in the admin's task
results) and the whole delivery is queued again after a growing delay (`retry_delay`), up to
MINBAR_TASK_ATTEMPTS attempts.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import task, task_backends

from minbar.core import signals

log = logging.getLogger(__name__)

# Signals the worker sends, by the name the task row carries.
BACKGROUND_SIGNALS: dict[str, Signal] = {
    "comment_posted": signals.comment_posted,
    "comment_decided": signals.comment_decided,
}


def retry_delay(attempt: int) -> dt.timedelta:
    """Wait before attempt `attempt + 1`: 10 s, 1 min, 6 min, 36 min … at most six hours."""
    return dt.timedelta(seconds=min(10 * 6 ** (attempt - 1), 6 * 3600))


def _name_of(signal: Signal) -> str:
    for name, known in BACKGROUND_SIGNALS.items():
        if known is signal:
            return name
    raise ValueError("not a background signal: add it to minbar.core.tasks.BACKGROUND_SIGNALS")


def _stores_tasks_in_the_database() -> bool:
    return bool(getattr(task_backends["default"], "supports_defer", False))


def announce_in_background(signal: Signal, **payload: Any) -> None:
    """Have the worker send `signal` with `payload` (plain JSON values) once this transaction
    commits. With the database backend the task row is part of the transaction; with a backend
    that runs tasks at once (tests) it is queued after the commit."""
    name = _name_of(signal)
    if _stores_tasks_in_the_database():
        deliver_signal.enqueue(name=name, payload=payload)
    else:
        transaction.on_commit(lambda: deliver_signal.enqueue(name=name, payload=payload))


def retry_later(failed_task: Any, *, attempt: int, **kwargs: Any) -> bool:
    """Queue attempt `attempt + 1` of `failed_task` after `retry_delay`; False when the attempts
    are spent or the backend cannot wait (it runs tasks at once)."""
    if attempt >= settings.MINBAR_TASK_ATTEMPTS or not _stores_tasks_in_the_database():
        return False
    run_after = timezone.now() + retry_delay(attempt)
    failed_task.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
    return True


@task()
def deliver_signal(*, name: str, payload: dict[str, Any], attempt: int = 1) -> None:
    """Send one background signal to its receivers; on failure, again later."""
    signal = BACKGROUND_SIGNALS[name]
    try:
        signal.send(sender=None, **payload)
    except Exception:
        retried = retry_later(deliver_signal, attempt=attempt, name=name, payload=payload)
        log.warning("%s %s failed (attempt %s, retried: %s)", name, payload, attempt, retried)
        raise


def requeue_stalled(*, older_than: dt.timedelta | None = None) -> int:
    """Put back tasks a worker claimed and never finished (it died or was killed). Returns how
    many. A task still running longer than MINBAR_TASK_STALLED_SECONDS would run twice: tasks
    are idempotent, and none of ours comes near that."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if older_than is None:
        older_than = dt.timedelta(seconds=settings.MINBAR_TASK_STALLED_SECONDS)
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - older_than
    ).update(status=TaskResultStatus.READY, started_at=None)
