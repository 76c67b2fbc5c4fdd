"""The newsroom's admin in a real browser: the pieces its JavaScript builds (the many-to-many
picker of the article form) are Arabic like the rest of the page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from minbar.news.models import Author, Tag
from tests.factories import make_article
from tests.i18n.test_arabic_pages import english_runs
from tests.moderation.conftest import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_sees_the_article_forms_pickers_in_arabic(live_server, page, shot):
    article = make_article(title="مقال بوسوم وكتّاب")
    article.tags.add(Tag.objects.create(name="اقتصاد", slug="اقتصاد"))
    Tag.objects.create(name="رياضة", slug="رياضة")
    Author.objects.create(name="سلمى الكاتبة", slug="سلمى-الكاتبة")
    client = Client()
    client.force_login(make_staff("محرر_الموقع"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto(f"{live_server.url}/admin/news/article/{article.pk}/change/")
    choose_all = page.locator("#id_tags_add_all")
    choose_all.wait_for()

    assert choose_all.inner_text() == "اختيار كل الوسوم"
    assert page.locator("#id_tags_remove_all").inner_text() == "إزالة كل الوسوم"
    assert english_runs(page.content()) == []
    shot(page, "admin-article-pickers")
