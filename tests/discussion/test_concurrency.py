"""Counters stay exact when many requests arrive at once (run on SQLite and on PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections, connections
from django.test import Client
from django.urls import reverse

from minbar.discussion import actions
from minbar.discussion.models import Comment, CommentVote
from tests.factories import make_article, make_comment, make_established_reader, make_user

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 16  # well under PostgreSQL's connection limit, enough to overlap on two cores


def run_together(tasks):
    """Run callables in threads that start together; each thread closes its connection."""
    barrier = threading.Barrier(min(WORKERS, len(tasks)))

    def wrapped(task, index):
        if index < WORKERS:
            barrier.wait(timeout=30)
        try:
            return task()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(wrapped, task, i) for i, task in enumerate(tasks)]
        results = [f.result(timeout=120) for f in futures]
    close_old_connections()
    return results


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_hundred_readers_voting_at_once_leave_a_score_of_a_hundred():
    article = make_article()
    comment = make_comment(article)
    clients = [logged_in_client(make_established_reader()) for _ in range(100)]
    url = reverse("discussion:vote", args=[comment.pk])

    def vote(client):
        return lambda: client.post(url, {"value": "1"}, HTTP_ACCEPT="application/json").status_code

    statuses = run_together([vote(c) for c in clients])
    assert statuses == [200] * 100
    comment.refresh_from_db()
    assert CommentVote.objects.filter(comment=comment).count() == 100
    assert comment.upvotes == 100 and comment.downvotes == 0 and comment.score == 100


def test_one_reader_sending_two_hundred_up_votes_at_once_leaves_one_vote():
    article = make_article()
    comment = make_comment(article)
    reader = make_user()

    def vote():
        return actions.do_cast_vote(comment, voter=reader, value=1).score

    scores = run_together([vote] * 200)
    assert set(scores) == {1}
    comment.refresh_from_db()
    assert CommentVote.objects.filter(comment=comment).count() == 1
    assert comment.upvotes == 1 and comment.score == 1


def test_fifty_comments_posted_at_once_raise_the_count_by_exactly_fifty():
    article = make_article()
    make_comment(article)
    clients = [logged_in_client(make_user()) for _ in range(50)]
    url = reverse("discussion:post", args=[article.slug])

    def post(client, n):
        return lambda: client.post(url, {"text": f"تعليق متزامن رقم {n}"}).status_code

    statuses = run_together([post(c, n) for n, c in enumerate(clients)])
    assert statuses == [302] * 50
    article.refresh_from_db()
    assert article.comment_count == 51
    assert Comment.objects.filter(article=article, status="visible").count() == 51
