"""No 500 from any address, and one spelling per page for the caches (issue 10, point 8).

Page numbers are ASCII digits; Arabic-Indic and Persian digits, leading zeros, `?page=1` and
orders a page does not know are sent to the one spelling of the page; anything else that is not
a page number is a 404. Unknown source languages fall back, and a tag only drafts carry has no
page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from minbar.news import actions
from tests.factories import make_article, make_comment, make_editor, make_section, make_user

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    "page=²", "page=①", "page=٣", "page=۳", "page=３", "page=01", "page=001", "page=0",
    "page=-1", "page=1.0", "page=1e3", "page=", "page=last", "page=99999999",
    "page=" + "9" * 5000, "page=%00", "page=%ff", "page=1&page=2", "page[]=2", "page=%201",
    "order=nonsense", "order=", "order=oldest", "order=best&order=newest", "order=%ff",
    "order=best&page=٠٢", "order=%E2%80%AEbest", "q=%00", "%ff=%ff", "&&&=", "page=１",
]  # fmt: skip


@pytest.fixture(params=["caches-off", "caches-on"])
def caching(request, settings):
    """Each address twice: as in the tests' settings, and with production's page and
    discussion caches on (the 500 for `?page=²` was in the old fragment cache's key)."""
    if request.param == "caches-on":
        settings.MINBAR_PAGE_CACHE = True
        settings.MINBAR_FRAGMENT_CACHE = True
        caches["pages"].clear()
        caches["page-bodies"].clear()
    yield request.param
    caches["pages"].clear()
    caches["page-bodies"].clear()


def _public_addresses() -> list[str]:
    editor = make_editor()
    section = make_section("سياسة")
    tag = actions.do_get_or_create_tag(name="انتخابات")
    author = actions.do_get_or_create_author(name="سلمى الحداد")
    article = make_article(section=section, editor=editor, tags=[tag], authors=[author])
    comment = make_comment(article, author=make_user("odd_reader"))
    return [
        "/",
        "/en/",
        section.get_absolute_url(),
        reverse("news:tag", args=[tag.slug]),
        reverse("news:author", args=[author.slug]),
        article.get_absolute_url(),
        "/en" + article.get_absolute_url(),
        reverse("discussion:permalink", args=[comment.pk]),
        reverse("accounts:profile", args=["odd_reader"]),
        reverse("search:results") + "?q=انتخابات",
        "/feeds/rss/",
        reverse("news:tag-feed-atom", args=[tag.slug]),
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
    ]


def test_no_odd_query_string_gives_a_500_on_any_public_page(client, caching):
    client.raise_request_exception = False
    for address in _public_addresses():
        for query in ODD_QUERIES:
            url = f"{address}{'&' if '?' in address else '?'}{query}"
            for _ in range(2):  # the second time from the caches, when they are on
                response = client.get(url)
                assert response.status_code < 500, (url, response.status_code)
                if response.status_code in {301, 302}:
                    followed = client.get(response["Location"])
                    assert followed.status_code < 500, (url, response["Location"])


def test_reader_gets_a_404_for_page_numbers_that_are_not_digits(client, caching):
    article = make_article()
    make_comment(article)
    for address in ("/", article.get_absolute_url()):
        for odd in ("²", "①", "３", "1.0", "-1", "0", "x"):
            assert client.get(address, {"page": odd}).status_code == 404, (address, odd)


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("?page=1", ""),
        ("?page=01", ""),
        ("?page=٣", "?page=3"),
        ("?page=۰۰۲", "?page=2"),
        ("?page=002", "?page=2"),
        ("?order=nonsense", ""),
        ("?order=oldest", ""),
        ("?order=best&page=01", "?order=best"),
        ("?page=2&order=newest", "?order=newest&page=2"),
        ("?order=best&order=newest", "?order=newest"),
    ],
)
def test_article_page_redirects_to_its_one_spelling(client, query, canonical):
    article = make_article()
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url() + canonical


@pytest.mark.parametrize("query", ["", "?order=best", "?order=newest", "?page=last"])
def test_article_page_answers_its_canonical_spellings_directly(client, query):
    article = make_article()
    make_comment(article)
    assert client.get(article.get_absolute_url() + query).status_code == 200


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("?page=1", ""),
        ("?page=٢", "?page=2"),
        ("?order=best", ""),
        ("?order=best&page=02", "?page=2"),
    ],
)
def test_list_pages_redirect_to_their_one_spelling(client, query, canonical):
    section = make_section("اقتصاد")
    make_article(section=section)
    for address in ("/", section.get_absolute_url()):
        response = client.get(address + query)
        assert response.status_code == 301
        assert response["Location"] == address + canonical


def test_reader_follows_list_pages_without_being_redirected(client, monkeypatch):
    from minbar.news import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    base = timezone.now() - dt.timedelta(days=1)
    for n in range(5):
        make_article(published_at=base + dt.timedelta(minutes=n))
    second = client.get("/?page=2")
    assert second.status_code == 200
    html = second.content.decode()
    assert 'rel="prev" href="."' in html
    assert 'rel="next" href="?page=3"' in html
    assert client.get("/?page=3").status_code == 200


def test_discussion_links_use_the_canonical_spellings(client):
    article = make_article()
    make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href=".#comments"' in html
    assert "?order=oldest" not in html
    assert 'href="?order=best#comments"' in html


@pytest.mark.parametrize(
    ("code", "shown"),
    [("EN", "(الإنجليزية)"), ("xx", "(xx)"), ("en-GB", "البريطانيّة"), ("FR", "(الفرنسيّة)")],
)
def test_reader_can_read_an_article_whose_source_language_is_unknown(client, code, shown):
    article = make_article(source_name="صحيفة", source_language=code)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert shown in response.content.decode()


def test_tag_carried_only_by_drafts_has_no_page_feed_or_sitemap_entry(client):
    hidden = actions.do_get_or_create_tag(name="مفاجأة قادمة")
    make_article(published=False, tags=[hidden], title="مسودة بوسم")
    shown = actions.do_get_or_create_tag(name="اقتصاد")
    make_article(tags=[shown])
    assert client.get(reverse("news:tag", args=[hidden.slug])).status_code == 404
    assert client.get(reverse("news:tag-feed-rss", args=[hidden.slug])).status_code == 404
    assert client.get(reverse("news:tag", args=[shown.slug])).status_code == 200
    assert client.get(reverse("news:tag-feed-rss", args=[shown.slug])).status_code == 200
    for sitemap in ("/sitemap-articles.xml", "/news-sitemap.xml"):
        assert hidden.slug not in client.get(sitemap).content.decode()


def test_tag_page_goes_when_its_last_article_is_unpublished(client):
    tag = actions.do_get_or_create_tag(name="حدث عابر")
    article = make_article(tags=[tag])
    assert client.get(reverse("news:tag", args=[tag.slug])).status_code == 200
    actions.do_unpublish_article(article)
    assert client.get(reverse("news:tag", args=[tag.slug])).status_code == 404
