"""The recount's read and repair are a selector and an action like any other, callable
without the command."""

from __future__ import annotations

import pytest

from minbar.discussion import actions, selectors
from minbar.news.models import Article
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_repair_counters_action_sets_a_wrong_comment_count_right(
    django_capture_on_commit_callbacks,
):
    article = make_article()
    make_comment(article)
    make_comment(article)
    Article.objects.filter(pk=article.pk).update(comment_count=7)
    found = selectors.find_counter_mismatches()
    assert [(m.model, m.pk, m.field, m.stored, m.counted) for m in found] == [
        ("article", article.pk, "comment_count", 7, 2)
    ]
    with django_capture_on_commit_callbacks() as announced:
        assert actions.do_repair_counters(found) == 1
    assert len(announced) == 1  # the page cache and the index hear of it after commit
    article.refresh_from_db()
    assert article.comment_count == 2
    assert selectors.find_counter_mismatches() == []
