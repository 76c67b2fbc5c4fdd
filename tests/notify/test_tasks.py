"""The background worker (decision 0017): work queued in the writing transaction, at least once,
idempotent, retried with a growing wait and shown to staff; and search's bound for a new
comment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from minbar.core import tasks as core_tasks
from minbar.core.tasks import deliver_signal, requeue_stalled, retry_delay
from minbar.notify import actions
from minbar.notify.models import Notification
from minbar.search.models import CommentEntry
from tests.factories import make_article, make_comment
from tests.moderation.conftest import make_staff
from tests.notify.conftest import drain, reader, signed_in
from tests.search.helpers import found_comments

pytestmark = pytest.mark.django_db


def test_posting_queues_its_work_in_the_same_transaction_and_the_worker_does_it(db_tasks):
    author = reader()
    article = make_article()
    mine = make_comment(article, author=author)
    reply = make_comment(article, parent=mine, text="ردّ في الطابور")
    queued = DBTaskResult.objects.filter(status="READY", task_path__endswith="deliver_signal")
    assert queued.count() == 2  # one per comment, written with it
    assert not Notification.objects.exists()
    drain()
    assert Notification.objects.get(recipient=author).comment == reply
    assert len(mail.outbox) == 1


def test_delivering_the_same_comment_twice_notifies_and_emails_once(db_tasks):
    author = reader()
    article = make_article()
    reply = make_comment(article, parent=make_comment(article, author=author))
    drain()
    payload = {"comment_id": reply.pk, "article_id": article.pk}
    deliver_signal.call(name="comment_posted", payload=payload)
    deliver_signal.enqueue(name="comment_posted", payload=payload)
    drain()
    assert Notification.objects.filter(recipient=author).count() == 1
    assert len(mail.outbox) == 1
    assert CommentEntry.objects.filter(comment_id=reply.pk).count() == 1


def test_failed_task_is_retried_later_and_staff_see_it(db_tasks, monkeypatch):
    author = reader()
    article = make_article()
    mine = make_comment(article, author=author)
    drain()
    real = actions.do_notify_posted
    calls = []

    def flaky(*, comment_id):
        calls.append(comment_id)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return real(comment_id=comment_id)

    monkeypatch.setattr(actions, "do_notify_posted", flaky)
    before = timezone.now()
    make_comment(article, parent=mine)
    drain()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "the database went away" in failed.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= before + retry_delay(1)
    assert not Notification.objects.exists()  # not yet: the wait is not over
    staff = signed_in(make_staff())
    admin = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    listing = staff.get(admin + "?status__exact=FAILED")
    assert listing.status_code == 200 and "deliver_signal" in listing.content.decode()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    drain()
    assert Notification.objects.filter(recipient=author).count() == 1


def test_retries_wait_longer_each_time_and_stop(settings):
    waits = [retry_delay(n) for n in range(1, 6)]
    assert waits == sorted(waits) and waits[0] == dt.timedelta(seconds=10)
    assert retry_delay(50) == dt.timedelta(hours=6)
    settings.MINBAR_TASK_ATTEMPTS = 3
    assert core_tasks.retry_later(deliver_signal, attempt=3, name="x", payload={}) is False


def test_a_task_left_running_by_a_dead_worker_runs_again(db_tasks):
    author = reader()
    article = make_article()
    make_comment(article, parent=make_comment(article, author=author))
    stale = timezone.now() - dt.timedelta(hours=1)
    DBTaskResult.objects.update(status="RUNNING", started_at=stale)
    assert drain() == 0
    assert requeue_stalled() == 2
    drain()
    assert Notification.objects.filter(recipient=author).count() == 1


def test_a_new_comment_is_searchable_after_one_pass_of_the_worker(client, db_tasks):
    """The bound: a task queued by a post is due at once (no wait), and the worker polls every
    second (`run_worker --interval 1`), so a comment is searchable within one poll plus its
    indexing: two seconds while the worker keeps up (bench/notify_posting.py measures it)."""
    article = make_article()
    comment = make_comment(article, text="زيتون فلسطين الأخضر")
    task = DBTaskResult.objects.get(status="READY")
    assert task.run_after <= timezone.now() or task.run_after.year == 9999
    assert found_comments(client, "زيتون") == []
    drain()
    assert found_comments(client, "زيتون") == [comment.pk]


def test_an_article_and_its_comment_committed_together_are_indexed_once(
    client, django_capture_on_commit_callbacks, caplog
):
    """The known bug: both receivers inserted the comment's entry; the second failed on the
    unique key and was logged. Indexing is now an upsert."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
        comment = make_comment(article, text="رمان وتفاح")
    assert CommentEntry.objects.filter(comment_id=comment.pk).count() == 1
    assert found_comments(client, "رمان") == [comment.pk]
    assert "could not index" not in caplog.text
