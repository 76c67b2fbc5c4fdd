"""The one after-commit announcer: listeners hear of a change once it is committed, never of
one rolled back."""

from __future__ import annotations

import pytest
from django.db import transaction

from minbar.core.announce import announce, announce_each
from minbar.core.signals import article_changed
from minbar.news.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard():
    got: list[int] = []

    def listen(sender, *, article_id: int, **kwargs) -> None:
        got.append(article_id)

    article_changed.connect(listen, dispatch_uid="test-announce")
    yield got
    article_changed.disconnect(dispatch_uid="test-announce")


def test_listeners_hear_a_change_only_after_it_commits(heard):
    with transaction.atomic():
        announce(article_changed, sender=Article, article_id=1)
        announce_each(
            article_changed, sender=Article, payloads=[{"article_id": 2}, {"article_id": 3}]
        )
        assert heard == []
    assert heard == [1, 2, 3]


def test_listeners_never_hear_a_change_that_was_rolled_back(heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        announce(article_changed, sender=Article, article_id=1)
        raise RuntimeError
    assert heard == []
