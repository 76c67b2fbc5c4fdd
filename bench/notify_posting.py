"""Issue 14, target 1: posting a reply to a followed discussion (100 followers, their emails on)
with notifications on — queued in the post's transaction, done by a worker running beside —
against posting as it was before (no notifications, the comment indexed for search in the
request after its commit), in the same run, alternating rounds.

    .venv/bin/python bench/notify_posting.py [--posts 300] [--rounds 3] [--port 8441]

Posts go through Django's request handling in this process (the test client: middleware, form,
checks, action, after-commit receivers), one reader after another, on a fresh SQLite database
(or DATABASE_URL). Between rounds the worker drains what the notified round queued, so the
"before" rounds never compete with it; the drain time is printed too. Emails leave through the
worker to a local SMTP server this script runs.
"""

from __future__ import annotations

import argparse
import statistics
import time

from notify_common import load, setup_environment, start_smtp, start_worker


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=300, help="posts per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--followers", type=int, default=100)
    parser.add_argument("--port", type=int, default=8441, help="the SMTP server's port")
    args = parser.parse_args()
    smtp, counter = start_smtp(args.port)
    database = setup_environment(args.port)

    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from minbar.accounts import actions as accounts
    from minbar.discussion import actions as discussion
    from minbar.news import actions as news
    from minbar.notify import actions as notify
    from minbar.notify.models import Notification
    from minbar.search import actions as search

    print(f"notify_posting: {database}; {load()}")
    # Everything through the actions the site's own paths call: sign-up, the verified address,
    # the follow button, the settings page, the newsroom.
    section = news.do_get_or_create_section(name="أخبار")
    article = news.do_create_article(title="مقال النقاش", body="نص.", section=section, editor=None)
    news.do_publish_article(article, editor=None)
    readers = []
    with transaction.atomic():
        for n in range(args.followers + 1):
            user = accounts.do_create_reader(
                username=f"bench_{n}", email=f"bench{n}@example.org", password="x"
            )
            accounts.do_mark_email_verified(user)
            notify.do_save_preferences(user, email_followed=True, follow_on_post=False)
            readers.append(user)
        author, followers = readers[0], readers[1:]
        for reader in followers:
            notify.do_follow(reader, article_id=article.pk)
    parent = discussion.do_post_comment(article=article, author=author, text="أول تعليق")
    DBTaskResult.objects.all().delete()
    posters = []
    for n in range(20):
        poster = accounts.do_create_reader(
            username=f"poster_{n}", email=f"poster{n}@example.org", password="x"
        )
        notify.do_save_preferences(poster, follow_on_post=False)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(poster)
        posters.append(client)
    url = reverse("discussion:post", args=[article.slug])

    def before(*, comment_id: int, article_id: int, **kwargs) -> None:
        # Posting as it was: the search entry written after the commit, in the request.
        transaction.on_commit(
            lambda: search.do_index_comments(article_id=article_id, comment_ids=[comment_id])
        )

    def post_round(label: str) -> float:
        started = time.perf_counter()
        for n in range(args.posts):
            response = posters[n % len(posters)].post(
                url, {"text": f"ردّ رقم {n} في جولة {label}", "parent": parent.pk}
            )
            assert response.status_code == 302, response.status_code
        return args.posts / (time.perf_counter() - started)

    worker = start_worker()
    rates: dict[str, list[float]] = {"before": [], "notified": []}
    drains = []
    real = discussion.announce_in_background
    try:
        for r in range(args.rounds):
            discussion.announce_in_background = lambda signal, **payload: before(**payload)
            rates["before"].append(post_round(f"b{r}"))
            discussion.announce_in_background = real
            rates["notified"].append(post_round(f"n{r}"))
            started = time.perf_counter()
            while DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists():
                time.sleep(0.2)
            drains.append(time.perf_counter() - started)
            print(
                f"  round {r + 1}: before {rates['before'][-1]:.1f} posts/s, "
                f"notified {rates['notified'][-1]:.1f} posts/s, worker caught up "
                f"{drains[-1]:.1f} s after the round"
            )
    finally:
        discussion.announce_in_background = real
        worker.terminate()
        worker.wait(30)
        smtp.stop()
    b, n = statistics.median(rates["before"]), statistics.median(rates["notified"])
    notes = Notification.objects.count()
    print(f"posting before (no notifications): {b:.1f} posts/s (median of {args.rounds})")
    print(f"posting with notifications on:     {n:.1f} posts/s (median of {args.rounds})")
    print(f"ratio notified/before: {n / b:.3f} (target >= 0.90)")
    print(
        f"notifications made by the worker: {notes}; emails received by the SMTP server: "
        f"{counter.count} (one per reader, then batched); failed tasks: "
        f"{DBTaskResult.objects.filter(status='FAILED').count()}; {load()}"
    )


if __name__ == "__main__":
    main()
