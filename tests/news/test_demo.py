"""`load_demo`: the site a newcomer sees after `make run`."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from minbar.discussion.models import Comment, CommentVote
from minbar.news.demo import DEMO_ACCOUNTS
from minbar.news.models import Article, Section

pytestmark = pytest.mark.django_db


def test_load_demo_builds_a_newsroom_with_discussions(client):
    call_command("load_demo", verbosity=0)
    published = Article.objects.published()
    assert published.count() >= 12
    assert Section.objects.filter(articles__in=published).distinct().count() >= 4
    assert published.exclude(source_name="").exists()
    assert Article.objects.filter(status="draft").exists()
    assert all(a.tags.exists() and a.authors.exists() for a in published)
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert CommentVote.objects.exists()
    for article in published:
        visible = Comment.objects.filter(article=article, status="visible").count()
        assert article.comment_count == visible
    for username, password, role, _name in DEMO_ACCOUNTS:
        user = authenticate(username=username, password=password)
        assert user is not None, username
        if role:
            assert user.groups.filter(name=role).exists()
    # Every demo article has a generated lead image, described, with its renditions.
    from django.core.files.storage import default_storage

    from minbar.news import images

    assert not Article.objects.filter(image="").exists()
    for article in published:
        assert article.image_alt and article.image_width >= images.MIN_WIDTH
        large = images.rendition_name(article.image.name, width=images.LARGEST, ext="webp")
        assert default_storage.exists(large)
    busiest = published.order_by("-comment_count").first()
    response = client.get(busiest.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="comment ') >= 10


def test_load_demo_if_empty_leaves_an_existing_site_alone():
    call_command("load_demo", verbosity=0)
    before = (Article.objects.count(), Comment.objects.count(), CommentVote.objects.count())
    call_command("load_demo", "--if-empty", verbosity=0)
    assert (Article.objects.count(), Comment.objects.count(), CommentVote.objects.count()) == before


def test_server_errors_show_an_arabic_page_and_no_details(client, settings):
    settings.DEBUG = False
    from unittest import mock

    client.raise_request_exception = False
    with mock.patch(
        "minbar.news.views.selectors.list_published_articles",
        side_effect=RuntimeError("secret-detail"),
    ):
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'lang="ar" dir="rtl"' in html and "حدث خطأ" in html
    assert "secret-detail" not in html and "Traceback" not in html
