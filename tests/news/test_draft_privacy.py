"""Drafts stay private inside the newsroom: an author reads only the revisions and previews of
the articles they may edit (issue 10, point 7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minbar.news import actions
from tests.factories import make_article, make_author_user, make_editor, make_user

pytestmark = pytest.mark.django_db

LIST = "admin:news_articlerevision_changelist"


def _drafts():
    first, second = make_author_user(), make_author_user()
    mine = make_article(published=False, title="مسودتي", body="نص مسودتي الخاص.", editor=first)
    theirs = make_article(
        published=False, title="مسودة الزميلة", body="سر لم ينشر بعد.", editor=second
    )
    actions.do_update_article(theirs, editor=second, body="سر لم ينشر بعد، مع تعديل.")
    return first, second, mine, theirs


def test_author_sees_only_revisions_of_their_own_articles(client):
    first, _second, mine, theirs = _drafts()
    client.force_login(first)
    listing = client.get(reverse(LIST))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "مسودتي" in html
    assert "مسودة الزميلة" not in html
    for revision in theirs.revisions.all():
        page = client.get(reverse("admin:news_articlerevision_change", args=[revision.pk]))
        assert page.status_code in {302, 403, 404}
        assert "سر لم ينشر" not in page.content.decode()
    own = mine.revisions.first()
    page = client.get(reverse("admin:news_articlerevision_change", args=[own.pk]))
    assert page.status_code == 200
    assert "نص مسودتي الخاص" in page.content.decode()


def test_author_cannot_open_the_revision_history_of_a_colleagues_draft(client):
    first, _second, _mine, theirs = _drafts()
    client.force_login(first)
    response = client.get(reverse("admin:news_article_revisions", args=[theirs.pk]))
    assert response.status_code in {403, 404}
    assert "سر لم ينشر" not in response.content.decode()


def test_editor_sees_every_revision(client):
    _first, _second, _mine, theirs = _drafts()
    client.force_login(make_editor())
    html = client.get(reverse(LIST)).content.decode()
    assert "مسودتي" in html and "مسودة الزميلة" in html
    revision = theirs.revisions.first()
    page = client.get(reverse("admin:news_articlerevision_change", args=[revision.pk]))
    assert page.status_code == 200


def test_author_can_preview_only_the_drafts_they_may_edit(client):
    first, second, mine, theirs = _drafts()
    client.force_login(first)
    assert client.get(mine.get_absolute_url()).status_code == 200
    response = client.get(theirs.get_absolute_url())
    assert response.status_code == 404
    assert "سر لم ينشر" not in response.content.decode()
    client.force_login(second)
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(mine.get_absolute_url()).status_code == 404


def test_editor_can_preview_any_draft(client):
    _first, _second, mine, theirs = _drafts()
    client.force_login(make_editor())
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 200


def test_staff_without_newsroom_rights_cannot_preview_a_draft(client):
    _first, _second, mine, _theirs = _drafts()
    client.force_login(make_user(is_staff=True, groups=["moderators"]))
    assert client.get(mine.get_absolute_url()).status_code == 404


def test_author_cannot_post_under_a_colleagues_draft(client):
    first, _second, _mine, theirs = _drafts()
    client.force_login(first)
    url = reverse("discussion:post", args=[theirs.slug])
    assert client.post(url, {"text": "تعليق"}).status_code == 404
