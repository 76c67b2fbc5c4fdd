"""A moderator reaches an article's discussion settings through access_article_for_moderation."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from minbar.moderation.access import access_article_for_moderation
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_moderator_can_open_a_drafts_discussion_settings(client, moderator):
    draft = make_article(published=False)
    client.force_login(moderator)
    assert client.get(reverse("moderation:article", args=[draft.pk])).status_code == 200


def test_moderator_gets_a_404_for_an_article_that_does_not_exist(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("moderation:article", args=[987654])).status_code == 404


def test_reader_cannot_reach_an_article_through_the_moderation_access(reader):
    article = make_article()
    with pytest.raises(Http404):
        access_article_for_moderation(reader, article_id=article.pk)
