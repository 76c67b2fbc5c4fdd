"""Renaming a tag, a section or an author in the admin: every page showing it follows within the
pages' lifetime (MINBAR_PAGE_CACHE_SECONDS), and the search index (tags are indexed) at once.
Readers here are clients of their own: the editor's writes give the editor a fresh cookie."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from minbar.news import actions as news
from minbar.news.models import Tag
from tests.factories import make_article, make_editor
from tests.search.conftest import page_of
from tests.serving.conftest import page_lifetime_passes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache", "commits")]


def tag_form(tag: Tag, **changes) -> dict:
    return {"name": tag.name, "slug": tag.slug, **changes}


def test_editor_renames_a_tag_and_readers_see_and_find_the_new_name(client):
    tag = news.do_get_or_create_tag(name="الانتخابات البلدية")
    article = make_article(title="نتائج الفرز الأولى", body="بدأ الفرز صباحا.")
    article.tags.add(tag)
    news.do_update_article(article, title="نتائج الفرز الأولى")  # indexed with its tag
    url = article.get_absolute_url()
    reader = Client()
    assert "الانتخابات البلدية" in reader.get(url).content.decode()

    editor = make_editor()
    client.force_login(editor)
    response = client.post(
        reverse("admin:news_tag_change", args=[tag.pk]),
        tag_form(tag, name="الاستحقاق البلدي"),
    )
    assert response.status_code == 302

    page_lifetime_passes()
    html = reader.get(url).content.decode()
    assert "الاستحقاق البلدي" in html and "الانتخابات البلدية" not in html
    found = page_of(reader.get("/search/", {"q": "استحقاق"})).articles
    assert found == [article.pk]
    assert page_of(reader.get("/search/", {"q": "الانتخابات"})).articles == []


def test_editor_deletes_a_tag_and_cached_pages_drop_it(client):
    tag = news.do_get_or_create_tag(name="وسم عابر")
    article = make_article()
    article.tags.add(tag)
    news.do_update_article(article, title=article.title)
    url = article.get_absolute_url()
    reader = Client()
    assert "وسم عابر" in reader.get(url).content.decode()
    client.force_login(make_editor())
    response = client.post(reverse("admin:news_tag_delete", args=[tag.pk]), {"post": "yes"})
    assert response.status_code == 302
    page_lifetime_passes()
    assert "وسم عابر" not in reader.get(url).content.decode()


def test_section_rename_reaches_article_pages_and_position_reaches_the_home_page(client):
    economy = news.do_get_or_create_section(name="اقتصاد", position=1)
    sport = news.do_get_or_create_section(name="رياضة", position=2)
    article = make_article(section=economy)
    make_article(section=sport)
    url = article.get_absolute_url()
    reader = Client()
    reader.get(url)
    home = reader.get("/").content.decode()
    assert home.index("اقتصاد") < home.index("رياضة")

    client.force_login(make_editor())
    client.post(
        reverse("admin:news_section_change", args=[economy.pk]),
        {"name": "المال والأعمال", "slug": economy.slug, "position": 1, "description": ""},
    )
    client.post(
        reverse("admin:news_section_change", args=[sport.pk]),
        {"name": "رياضة", "slug": sport.slug, "position": 0, "description": ""},
    )
    page_lifetime_passes()
    assert "المال والأعمال" in reader.get(url).content.decode()
    home = reader.get("/").content.decode()
    assert home.index("رياضة") < home.index("المال والأعمال")
