"""Issue 14, target 3: 10,000 notification emails to a local SMTP server (aiosmtpd, started
here), drained by one worker (`run_worker --batch`): the rate and the worker's peak memory.

    .venv/bin/python bench/notify_emails.py [--emails 10000] [--port 8443]

Each of N readers (verified address) has one reply waiting to be emailed and one queued email
task, as after a busy hour; the worker sends them one SMTP conversation each, as production does.
"""

from __future__ import annotations

import argparse

from notify_common import load, run_worker_measured, setup_environment, start_smtp


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8443)
    args = parser.parse_args()
    smtp, counter = start_smtp(args.port)
    database = setup_environment(args.port)

    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from minbar.accounts.models import User
    from minbar.discussion import actions as discussion
    from minbar.news import actions as news
    from minbar.news.models import Section
    from minbar.notify.models import Notification, Preferences
    from minbar.notify.tasks import send_notification_email

    print(f"notify_emails: {args.emails} emails, {database}; {load()}")
    section = Section.objects.create(name="أخبار", slug="bench-mail")
    article = news.do_create_article(title="مقال البريد", body="نص.", section=section, editor=None)
    news.do_publish_article(article, editor=None)
    password = make_password("x")
    users = User.objects.bulk_create(
        [
            User(username=f"mail_{n}", username_key=f"mail_{n}", email=f"m{n}@example.org",
                 password=password)
            for n in range(args.emails)
        ],
        batch_size=1000,
    )  # fmt: skip
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=1000,
    )
    replier = User.objects.create_user("mail_replier", "replier@example.org", "x")
    parent = discussion.do_post_comment(article=article, author=replier, text="تعليق")
    reply = discussion.do_post_comment(
        article=article, author=replier, text="ردّ يستحق رسالة", parent=parent
    )
    DBTaskResult.objects.all().delete()
    Notification.objects.bulk_create(
        [Notification(recipient=u, kind="reply", comment=reply, email="pending") for u in users],
        batch_size=1000,
    )
    Preferences.objects.bulk_create(
        [Preferences(reader=u, email_queued=True) for u in users], batch_size=1000
    )
    with transaction.atomic():
        for u in users:
            send_notification_email.enqueue(reader_id=u.pk)
    seconds, peak_kib = run_worker_measured()
    smtp.stop()
    sent = Notification.objects.filter(email="sent").count()
    print(f"emails received by the SMTP server: {counter.count} (marked sent: {sent})")
    print(f"one worker: {seconds:.1f} s, {counter.count / seconds:.0f} emails/s")
    print(f"worker peak resident memory: {peak_kib / 1024:.0f} MiB; {load()}")


if __name__ == "__main__":
    main()
