"""Issue 14, target 3: 10,000 notification emails to a local SMTP server (aiosmtpd, started
here), drained by one worker (`run_worker --batch`): the rate and the worker's peak memory.

    .venv/bin/python bench/notify_emails.py [--emails 10000] [--port 8443]

Each of N readers (verified address) follows one discussion, with the emails of followed
discussions on; one comment posted there makes, as the worker would, a notification for each
and queues each one's email, as after a busy hour. The worker then sends them one SMTP
conversation each, as production does. The readers, follows, preferences and notifications are
made through the same actions as the site's pages and worker.
"""

from __future__ import annotations

import argparse
import time

from notify_common import load, run_worker_measured, setup_environment, start_smtp


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8443)
    args = parser.parse_args()
    smtp, counter = start_smtp(args.port)
    database = setup_environment(args.port)

    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from minbar.accounts import actions as accounts
    from minbar.discussion import actions as discussion
    from minbar.news import actions as news
    from minbar.notify import actions as notify
    from minbar.notify import tasks
    from minbar.notify.models import Notification

    print(f"notify_emails: {args.emails} emails, {database}; {load()}")
    # Everything through the actions the site's own paths call: sign-up (no password: nobody
    # signs in here), the verified address, the settings page, the follow button.
    began = time.perf_counter()
    section = news.do_get_or_create_section(name="أخبار")
    article = news.do_create_article(title="مقال البريد", body="نص.", section=section, editor=None)
    news.do_publish_article(article, editor=None)
    with transaction.atomic():
        for n in range(args.emails):
            user = accounts.do_create_reader(
                username=f"mail_{n}", email=f"m{n}@example.org", password=None
            )
            accounts.do_mark_email_verified(user)
            notify.do_save_preferences(user, email_followed=True, follow_on_post=False)
            notify.do_follow(user, article_id=article.pk)
    replier = accounts.do_create_reader(
        username="mail_replier", email="replier@example.org", password="x"
    )
    notify.do_save_preferences(replier, follow_on_post=False)
    parent = discussion.do_post_comment(article=article, author=replier, text="تعليق")
    reply = discussion.do_post_comment(
        article=article, author=replier, text="ردّ يستحق رسالة", parent=parent
    )
    DBTaskResult.objects.all().delete()  # the posts' own deliveries: done by hand below
    # What the worker does for the reply (notify.receivers.on_comment_posted), here, before the
    # clock starts: a notification for each follower, and each one's email queued.
    made = notify.do_notify_posted(comment_id=reply.pk)
    queued = tasks.queue_emails(reader_ids=made.to_email)
    print(
        f"notifications made: {made.count}; emails queued: {queued}; the data made in "
        f"{time.perf_counter() - began:.1f} s (not timed below)"
    )
    seconds, peak_kib = run_worker_measured()
    smtp.stop()
    sent = Notification.objects.filter(email="sent").count()
    print(f"emails received by the SMTP server: {counter.count} (marked sent: {sent})")
    print(f"one worker: {seconds:.1f} s, {counter.count / seconds:.0f} emails/s")
    print(f"worker peak resident memory: {peak_kib / 1024:.0f} MiB; {load()}")


if __name__ == "__main__":
    main()
