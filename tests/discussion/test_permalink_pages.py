"""A permalink finds its page in every order, for every thread (the page is counted, not listed)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from minbar.discussion import policy, selectors
from minbar.discussion.actions import do_cast_vote
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("order", policy.ORDERS)
def test_every_thread_is_found_on_the_page_that_shows_it(order, settings, monkeypatch):
    monkeypatch.setattr(policy, "THREADS_PER_PAGE", 7)
    article = make_article()
    author = make_user()
    voters = [make_user() for _ in range(3)]
    rng = random.Random(7)
    same_time = timezone.now() - dt.timedelta(hours=2)
    roots = []
    for n in range(30):
        # Some share a timestamp and a rank, so ties are broken by the primary key.
        when = same_time if n % 5 == 0 else same_time + dt.timedelta(seconds=n)
        roots.append(make_comment(article, author=author, text=f"خيط {n}", created_at=when))
    for root in rng.sample(roots, 12):
        for voter in rng.sample(voters, rng.randint(1, 3)):
            do_cast_vote(root, voter=voter, value=rng.choice([1, 1, -1]))
    reply = make_comment(article, parent=roots[17], text="ردّ")
    shown_on = {}
    page_number = 1
    while True:
        discussion = selectors.get_discussion(article=article, order=order, page=str(page_number))
        for item in discussion.items:
            shown_on[item.comment.pk] = page_number
        if not discussion.page.has_next():
            break
        page_number += 1
    assert page_number == 5
    for comment in [*roots, reply]:
        assert (
            selectors.find_comment_page(comment, order=order, user=author) == shown_on[comment.pk]
        )
