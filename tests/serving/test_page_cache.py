"""The anonymous whole-page cache: what is shared, with which headers, and that every change
shows up on the next request (the invalidation is precise, not time-based)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.test import Client
from django.utils import timezone

from minbar.discussion import actions as discussion
from minbar.news import actions as news
from tests.factories import (
    make_article,
    make_comment,
    make_editor,
    make_established_reader,
    make_user,
)
from tests.serving.conftest import cache_state, card_counters, comment_count_shown

pytestmark = pytest.mark.usefixtures("page_cache")


@pytest.mark.django_db
def test_anonymous_reader_can_get_the_article_page_from_the_cache(client):
    article = make_article(title="مقال مخزّن")
    make_comment(article, text="أول تعليق")
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert first.status_code == second.status_code == 200
    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert first.content == second.content
    assert "أول تعليق" in second.content.decode()
    assert first["ETag"] == second["ETag"] and first["ETag"].startswith('"')
    control = {part.strip() for part in second["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=1", "stale-while-revalidate=30"} <= control


@pytest.mark.django_db
def test_anonymous_reader_can_revalidate_with_the_etag(client):
    article = make_article()
    etag = client.get(article.get_absolute_url())["ETag"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    weak = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=f"W/{etag}")
    other = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='"something-else"')
    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == etag
    assert weak.status_code == 304
    assert other.status_code == 200


@pytest.mark.django_db
def test_anonymous_reader_cannot_receive_anything_personal_in_a_shared_page(client):
    article = make_article()
    make_comment(article)
    client.get(article.get_absolute_url())
    cached = client.get(article.get_absolute_url())
    body = cached.content.decode()
    assert cache_state(cached) == "hit"
    assert "csrfmiddlewaretoken" not in body
    assert 'id="comment-form"' not in body
    assert "Set-Cookie" not in cached.headers
    assert not cached.cookies


@pytest.mark.django_db
def test_signed_in_reader_cannot_get_a_shared_page(client):
    article = make_article()
    client.get(article.get_absolute_url())  # an anonymous copy is cached
    client.force_login(make_user())
    page = client.get(article.get_absolute_url())
    assert cache_state(page) == "none"
    assert page["Cache-Control"] == "private, no-store"
    assert 'id="comment-form"' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?utm_source=x", "?page=1&q=a", "?order=best&x=1"])
def test_anonymous_reader_with_another_query_cannot_fill_the_cache(client, query):
    article = make_article()
    url = article.get_absolute_url() + query
    client.get(url)
    assert cache_state(client.get(url)) == "none"


@pytest.mark.django_db
def test_anonymous_reader_can_get_each_order_and_language_cached_apart(client):
    article = make_article()
    url = article.get_absolute_url()
    pages = {u: client.get(u) for u in (url, url + "?order=best", "/en" + url)}
    again = {u: client.get(u) for u in pages}
    assert all(cache_state(r) == "hit" for r in again.values())
    assert again["/en" + url].content != again[url].content
    assert 'lang="en"' in again["/en" + url].content.decode()


@pytest.mark.django_db
def test_reader_with_a_messages_cookie_cannot_get_a_shared_page(client):
    article = make_article()
    client.get(article.get_absolute_url())
    client.cookies["messages"] = "x"
    assert cache_state(client.get(article.get_absolute_url())) == "none"


@pytest.mark.django_db
def test_anonymous_reader_can_get_home_sections_tags_authors_and_feeds_cached(client):
    tag = news.do_get_or_create_tag(name="مناخ")
    author = news.do_get_or_create_author(name="كاتب")
    article = make_article(tags=[tag], authors=[author])
    urls = [
        "/",
        article.section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        "/feeds/rss/",
        "/feeds/atom/",
        "/en/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert {url: cache_state(client.get(url)) for url in urls} == dict.fromkeys(urls, "hit")


@pytest.mark.django_db
def test_newsroom_preview_of_a_draft_is_never_shared(client):
    article = make_article(published=False)
    client.force_login(make_editor())
    assert client.get(article.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


# --- invalidation: every change shows up on the next request ---------------------------------


def _reader_client(user) -> Client:
    reader = Client()
    reader.force_login(user)
    return reader


@pytest.mark.django_db
@pytest.mark.usefixtures("commits")
def test_anonymous_reader_can_see_a_new_comment_and_counter_at_once(client):
    article = make_article()
    other = make_article()
    client.get(article.get_absolute_url())
    client.get("/")
    client.get(other.get_absolute_url())
    _reader_client(make_user()).post(
        f"{article.get_absolute_url()}comments/", {"text": "تعليق جديد تماما"}
    )
    page = client.get(article.get_absolute_url())
    assert cache_state(page) == "miss"
    assert "تعليق جديد تماما" in page.content.decode()
    assert comment_count_shown(page.content.decode()) == 1
    home = client.get("/")
    assert cache_state(home) == "miss"
    assert 1 in card_counters(home.content.decode())
    # Another article's page did not move.
    assert cache_state(client.get(other.get_absolute_url())) == "hit"


@pytest.mark.django_db
@pytest.mark.usefixtures("commits")
def test_anonymous_reader_can_see_a_vote_at_once_while_lists_stay_cached(client):
    article = make_article()
    comment = make_comment(article)
    client.get(article.get_absolute_url())
    client.get("/")
    voter = _reader_client(make_established_reader())
    voter.post(f"/comments/{comment.pk}/vote/", {"value": "1"})
    page = client.get(article.get_absolute_url())
    assert cache_state(page) == "miss"
    assert '<bdi class="score" dir="ltr">+1</bdi>' in page.content.decode()
    # A vote moves no counter shown on lists.
    assert cache_state(client.get("/")) == "hit"


@pytest.mark.django_db
@pytest.mark.usefixtures("commits")
def test_anonymous_reader_can_see_an_edit_and_a_deletion_at_once(client):
    article = make_article()
    author = make_user()
    comment = make_comment(article, author=author, text="نص قبل التعديل")
    writer = _reader_client(author)
    client.get(article.get_absolute_url())
    writer.post(f"/comments/{comment.pk}/edit/", {"text": "نص بعد التعديل"})
    edited = client.get(article.get_absolute_url()).content.decode()
    assert "نص بعد التعديل" in edited and "نص قبل التعديل" not in edited
    writer.post(f"/comments/{comment.pk}/delete/")
    deleted = client.get(article.get_absolute_url()).content.decode()
    assert "نص بعد التعديل" not in deleted
    assert comment_count_shown(deleted) == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("commits")
def test_anonymous_reader_can_see_a_moderation_decision_at_once(client):
    article = make_article()
    comment = make_comment(article, text="تعليق سيُخفى")
    client.get(article.get_absolute_url())
    client.get("/")
    discussion.do_change_comment_status(comment, status="rejected")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "تعليق سيُخفى" not in page
    assert comment_count_shown(page) == 0
    assert set(card_counters(client.get("/").content.decode())) == {0}


@pytest.mark.django_db
@pytest.mark.usefixtures("commits")
def test_anonymous_reader_can_see_a_publication_and_an_edit_at_once(client):
    section = news.do_get_or_create_section(name="اقتصاد")
    first = make_article(title="الخبر الأول", section=section)
    client.get("/")
    client.get(section.get_absolute_url())
    client.get(first.get_absolute_url())
    second = make_article(title="الخبر الثاني", section=section)
    assert "الخبر الثاني" in client.get("/").content.decode()
    assert "الخبر الثاني" in client.get(section.get_absolute_url()).content.decode()
    news.do_update_article(first, title="عنوان معدّل")
    assert "عنوان معدّل" in client.get(first.get_absolute_url()).content.decode()
    news.do_unpublish_article(second)
    assert client.get(second.get_absolute_url()).status_code == 404
    assert "الخبر الثاني" not in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("commits")
def test_signed_in_reader_can_see_every_change_at_once(client):
    article = make_article()
    reader = make_established_reader()
    mine = _reader_client(reader)
    other = make_comment(article, text="تعليق قارئ آخر")
    mine.get(article.get_absolute_url())
    mine.post(f"{article.get_absolute_url()}comments/", {"text": "تعليقي الأول"})
    page = mine.get(article.get_absolute_url()).content.decode()
    assert "تعليقي الأول" in page and comment_count_shown(page) == 2
    mine.post(f"/comments/{other.pk}/vote/", {"value": "-1"})
    page = mine.get(article.get_absolute_url()).content.decode()
    assert '<bdi class="score" dir="ltr">−1</bdi>' in page or "-1</bdi>" in page
    discussion.do_change_comment_status(other, status="rejected")
    page = mine.get(article.get_absolute_url()).content.decode()
    assert "تعليق قارئ آخر" not in page and comment_count_shown(page) == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("commits")
def test_anonymous_reader_can_see_a_scheduled_article_go_live_with_no_job(client):
    section = news.do_get_or_create_section(name="رياضة")
    make_article(title="خبر منشور", section=section)
    later = make_article(title="خبر مجدول", section=section, published=False)
    when = timezone.now() + dt.timedelta(seconds=1)
    news.do_schedule_article(later, at=when)
    home = client.get("/")
    assert "خبر مجدول" not in home.content.decode()
    assert cache_state(client.get("/")) == "hit"
    time.sleep(max(0.0, (when - timezone.now()).total_seconds()) + 0.05)
    assert "خبر مجدول" in client.get("/").content.decode()


# --- the WSGI entry point ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the real handler closes connections
def test_anonymous_reader_can_get_a_hit_without_django_running(client):
    from urllib.parse import unquote_to_bytes

    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import RequestFactory

    from minbar.serving.pagecache import PageCacheApp

    calls = []
    django_app = WSGIHandler()

    def counting(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return django_app(environ, start_response)

    app = PageCacheApp(counting)
    article = make_article()
    url = article.get_absolute_url()

    def get(**extra):
        path = unquote_to_bytes(url).decode("iso-8859-1")  # as a WSGI server passes it
        environ = RequestFactory()._base_environ(PATH_INFO=path, **extra)
        seen = {}

        def start_response(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, dict(headers)

        body = b"".join(app(environ, start_response))
        return seen["status"], seen["headers"], body

    status1, _headers1, body1 = get()
    status2, headers2, body2 = get()
    status3, _headers3, body3 = get(HTTP_IF_NONE_MATCH=headers2["ETag"])
    status4, _headers4, _body4 = get(HTTP_COOKIE="sessionid=abc")
    assert (status1, status2, status3) == ("200 OK", "200 OK", "304 Not Modified")
    assert status4 == "200 OK" and "X-Minbar-Cache" not in _headers4
    assert body1 == body2 and body3 == b""
    assert headers2["X-Minbar-Cache"] == "hit"
    assert int(headers2["Content-Length"]) == len(body2)
    assert len(calls) == 2  # the miss and the reader with a session cookie


# --- when the cache store is down --------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_reader_can_read_pages_while_the_cache_store_is_down(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    article = make_article()
    make_comment(article, text="ما زال يظهر")
    pages = [client.get(article.get_absolute_url()) for _ in range(3)]
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert all("ما زال يظهر" in p.content.decode() for p in pages)
    assert all(cache_state(p) in ("none",) for p in pages)
    assert client.get("/").status_code == 200
