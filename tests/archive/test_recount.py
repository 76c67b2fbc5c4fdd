"""`recount` proves the discussion's counters right from the rows, and `--fix` repairs them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment
from minbar.discussion.policy import best_rank
from minbar.news.models import Article
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


def recount(*args: str) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        with translation.override("en"):
            call_command("recount", *args, stdout=out)
    except CommandError as error:
        return False, out.getvalue() + str(error)
    return True, out.getvalue()


@pytest.fixture
def discussion_with_votes():
    article = make_article()
    first = make_comment(article)
    second = make_comment(article, parent=first)
    hidden = make_comment(article)
    discussion.do_change_comment_status(hidden, status="rejected")
    for _n in range(3):
        discussion.do_cast_vote(first, voter=make_user(), value=1)
    discussion.do_cast_vote(first, voter=make_user(), value=-1)
    discussion.do_cast_vote(second, voter=make_user(), value=-1)
    return article, first, second


def test_operator_can_see_that_every_counter_is_right(discussion_with_votes):
    ok, output = recount()
    assert ok
    assert "Every counter is right." in output


def test_operator_cannot_pass_recount_with_corrupted_counters(discussion_with_votes):
    article, first, second = discussion_with_votes
    Article.objects.filter(pk=article.pk).update(comment_count=7)
    Comment.objects.filter(pk=first.pk).update(upvotes=0, downvotes=4)
    Comment.objects.filter(pk=second.pk).update(best_rank=0.9)
    ok, output = recount()
    assert not ok
    assert f"Article {article.pk}: comment_count is 7, counted 2." in output
    assert f"Comment {first.pk}: upvotes is 0, counted 3." in output
    assert f"Comment {first.pk}: downvotes is 4, counted 1." in output
    assert f"Comment {second.pk}: best_rank is 0.9, counted 0.0." in output
    assert "4 counters are wrong" in output
    # Without --fix nothing is touched.
    assert Article.objects.get(pk=article.pk).comment_count == 7


def test_operator_can_repair_corrupted_counters_with_fix(discussion_with_votes):
    article, first, second = discussion_with_votes
    Article.objects.filter(pk=article.pk).update(comment_count=0)
    Comment.objects.filter(pk=first.pk).update(upvotes=9, best_rank=0.0)
    Comment.objects.filter(pk=second.pk).update(downvotes=0)
    ok, output = recount("--fix")
    assert ok
    assert "Repaired 3 rows." in output
    article.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert article.comment_count == 2
    assert (first.upvotes, first.downvotes) == (3, 1)
    assert first.best_rank == best_rank(upvotes=3, downvotes=1, imported_score=0)
    assert (second.upvotes, second.downvotes) == (0, 1)
    assert recount() == (True, "Every counter is right.\n")
