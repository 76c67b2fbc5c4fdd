"""One page for every reader: every public page is the same bytes for an anonymous reader, a
signed-in one, a banned one, a moderator and the newsroom; it says so in its headers, answers
304 to its ETag, and is kept a second by each worker. Everything else is private."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minbar.moderation.actions import do_ban_reader
from minbar.news import actions as news
from minbar.serving.middleware import FRESH_COOKIE, public_page
from tests.factories import make_article, make_comment, make_editor, make_user, verify_email
from tests.moderation.conftest import make_moderator
from tests.serving.conftest import comment_count_shown, page_lifetime_passes
from tests.state import reader_state

pytestmark = pytest.mark.django_db


def _clients() -> dict[str, Client]:
    moderator_user = make_moderator("mod_pages")
    banned = make_user("banned_reader")
    do_ban_reader(banned, moderator=moderator_user, reason="سبب")
    banned.refresh_from_db()  # the ban moved the session epoch: sign in as of now
    actors = {
        "anonymous": None,
        "reader": make_user("plain_reader"),
        "banned": banned,
        "moderator": moderator_user,
        "editor": make_editor(),
    }
    clients = {}
    for name, user in actors.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[name] = client
    return clients


def _public_urls() -> list[str]:
    tag = news.do_get_or_create_tag(name="مناخ")
    author = news.do_get_or_create_author(name="كاتبة")
    article = make_article(title="مقال عام", tags=[tag], authors=[author])
    writer = make_user("writer_k")
    for n in range(3):
        make_comment(article, author=writer, text=f"تعليق رقم {n}")
    url = article.get_absolute_url()
    return [
        "/",
        "/en/",
        article.section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        url,
        url + "?order=best",
        url + "?order=newest",
        "/en" + url,
        reverse("search:results") + "?q=مقال",
        reverse("accounts:profile", args=["writer_k"]),
        "/feeds/rss/",
        "/sitemap.xml",
    ]


def test_every_reader_gets_the_same_bytes_of_every_public_page():
    """Rendered afresh for each (the page caches are off in this test): the same bytes because
    nothing about the reader is read, not because a copy was handed out."""
    urls = _public_urls()
    clients = _clients()
    for url in urls:
        pages = {name: client.get(url) for name, client in clients.items()}
        bodies = {name: page.content for name, page in pages.items()}
        assert {page.status_code for page in pages.values()} == {200}, url
        assert len(set(bodies.values())) == 1, (url, [n for n in bodies])
        for name, page in pages.items():
            control = {part.strip() for part in page["Cache-Control"].split(",")}
            assert {"public", "max-age=0", "s-maxage=1"} <= control, (url, name)
            assert "cookie" not in page.get("Vary", "").lower(), (url, name)
            assert not page.cookies, (url, name)
            assert page["ETag"].startswith('"'), (url, name)


def test_public_pages_carry_nothing_personal():
    article = make_article()
    reader = make_user("qamar_z", display_name="قمر")
    make_comment(article, author=reader, text="تعليقي أنا")
    client = Client()
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    token = reader_state(client, article)["csrf"]
    assert token not in html
    assert "csrfmiddlewaretoken" not in html and "قمر" in html  # the name is the comment's
    assert "account-nav__name" not in html
    assert "/edit/" not in html and "/delete/" not in html and "vote-form" not in html
    assert reverse("moderation:home") not in html


def test_reader_can_revalidate_a_public_page_with_its_etag(client):
    article = make_article()
    reader = Client()
    reader.force_login(make_user())
    etag = client.get(article.get_absolute_url())["ETag"]
    for who in (client, reader):
        again = who.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
        assert (again.status_code, again.content) == (304, b"")
        weak = who.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=f"W/{etag}")
        assert weak.status_code == 304
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='"x"').status_code == 200


@pytest.mark.parametrize(
    "url_name",
    ["discussion:write", "discussion:reply", "discussion:actions", "accounts:settings", "state"],
)
def test_personal_pages_are_private_and_never_kept(client, url_name):
    article = make_article()
    comment = make_comment(article)
    client.force_login(make_user())
    url = {
        "discussion:write": reverse("discussion:write", args=[article.slug]),
        "discussion:reply": reverse("discussion:reply", args=[comment.pk]),
        "discussion:actions": reverse("discussion:actions", args=[comment.pk]),
        "accounts:settings": reverse("accounts:settings"),
        "state": reverse("serving:state") + f"?article={article.pk}",
    }[url_name]
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_newsroom_preview_of_a_draft_is_private(client):
    article = make_article(published=False)
    client.force_login(make_editor())
    preview = client.get(article.get_absolute_url())
    assert preview.status_code == 200
    assert "private" in preview["Cache-Control"] and "public" not in preview["Cache-Control"]
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_public_page_that_reads_the_reader_is_served_private_and_never_kept(settings, caplog):
    """The safety net: a view declared public that looks at the reader anyway."""
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.utils.cache import get_cache_key

    from minbar.serving.middleware import UpdatePublicPageCacheMiddleware

    settings.MINBAR_PAGE_CACHE = True
    caches["page-bodies"].clear()

    @public_page
    def careless(request):
        return HttpResponse(f"hello {request.user.is_authenticated}")

    request = RequestFactory().get("/careless/")
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    request._cache_update_cache = True  # as the fetching half leaves it on a miss
    response = UpdatePublicPageCacheMiddleware(careless)(request)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public page /careless/ read the reader" in caplog.text
    assert get_cache_key(request, "public", "GET", cache=caches["page-bodies"]) is None
    caches["page-bodies"].clear()


# --- each worker keeps a public page for a second ---------------------------------------------


@pytest.mark.usefixtures("page_cache")
def test_every_reader_gets_the_page_a_worker_kept_without_a_query():
    article = make_article()
    make_comment(article, text="تعليق محفوظ")
    reader = Client()
    reader.force_login(make_user())
    first = Client().get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as kept:
        again = reader.get(article.get_absolute_url())
    assert again.content == first.content
    assert len(kept) == 0, [q["sql"][:80] for q in kept.captured_queries]
    assert "public" in again["Cache-Control"]
    # What is kept carries the headers every response gets.
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert again[header] == first[header], header
    assert again["ETag"] == first["ETag"]
    assert (
        reader.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )


@pytest.mark.usefixtures("page_cache", "commits")
def test_a_change_shows_to_every_reader_once_the_second_is_over():
    """The real second, once: MINBAR_PAGE_CACHE_SECONDS bounds how long a change takes to show
    when it comes straight from the app (nginx adds its own second: decision 0009)."""
    article = make_article()
    reader = Client()
    assert comment_count_shown(reader.get(article.get_absolute_url()).content.decode()) == 0
    make_comment(article, text="تعليق جديد")
    started = time.monotonic()
    page = reader.get(article.get_absolute_url()).content.decode()
    if time.monotonic() - started < 0.9:  # still within the second: the kept copy
        assert "تعليق جديد" not in page
    time.sleep(max(0.0, 1.05 - (time.monotonic() - started)))
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "تعليق جديد" in page and comment_count_shown(page) == 1


@pytest.mark.usefixtures("page_cache", "commits")
def test_writer_sees_their_own_comment_at_once_and_everyone_after_them():
    article = make_article()
    writer, other = Client(), Client()
    writer.force_login(make_user())
    for client in (writer, other):
        assert comment_count_shown(client.get(article.get_absolute_url()).content.decode()) == 0
    posted = writer.post(f"{article.get_absolute_url()}comments/", {"text": "كتبته للتو"})
    assert posted.status_code == 302
    assert posted.cookies[FRESH_COOKIE]["max-age"] == 5
    landing = writer.get(posted["Location"]).content.decode()
    assert "كتبته للتو" in landing and comment_count_shown(landing) == 1
    # The writer's fresh render replaced the worker's copy: the next reader gets it too.
    assert "كتبته للتو" in other.get(article.get_absolute_url()).content.decode()


@pytest.mark.usefixtures("page_cache", "commits")
def test_lists_show_a_publication_and_an_unpublication_once_the_second_is_over():
    section = news.do_get_or_create_section(name="اقتصاد")
    first = make_article(title="الخبر الأول", section=section)
    reader = Client()
    reader.get("/"), reader.get(section.get_absolute_url()), reader.get(first.get_absolute_url())
    second = make_article(title="الخبر الثاني", section=section)
    news.do_update_article(first, title="عنوان معدّل")
    page_lifetime_passes()
    assert "الخبر الثاني" in reader.get("/").content.decode()
    assert "الخبر الثاني" in reader.get(section.get_absolute_url()).content.decode()
    assert "عنوان معدّل" in reader.get(first.get_absolute_url()).content.decode()
    news.do_unpublish_article(second)
    page_lifetime_passes()
    assert reader.get(second.get_absolute_url()).status_code == 404
    assert "الخبر الثاني" not in reader.get("/").content.decode()


def test_pages_do_not_vary_by_language_header_or_cookie(client):
    article = make_article()
    plain = client.get(article.get_absolute_url())
    other = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="x=1")
    assert plain.content == other.content
    assert plain.get("Vary", "") == ""
    assert re.search(r'lang="ar"', plain.content.decode())


def test_signing_in_and_out_tells_the_script_whether_to_ask_for_the_readers_state(client):
    from tests.factories import PASSWORD

    reader = make_user("layla_s")
    verify_email(reader)  # sign-in waits for a confirmed address (decision 0011)
    article = make_article()
    signed_in = client.post(reverse("account_login"), {"login": "layla_s", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in.cookies["minbar_reader"].value == "1"
    assert not signed_in.cookies["minbar_reader"]["httponly"]  # read by minbar.js, not a secret
    page = client.get(article.get_absolute_url())
    assert "minbar_reader" not in page.cookies  # public pages set no cookie
    assert reader_state(client, article)["signedIn"] is True
    signed_out = client.post(reverse("account_logout"))
    assert signed_out.cookies["minbar_reader"]["max-age"] == 0
    assert reader.pk
