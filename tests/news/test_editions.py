"""Two editions, one indexable address per content: content carries its own language and
direction on either edition's pages; every page names its alternates (decision 0015)."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
from django.urls import reverse
from lxml import etree
from lxml import html as lxml_html

from minbar.news import actions as news
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def tree(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def test_english_page_of_an_arabic_article_lays_it_out_right_to_left_and_points_to_arabic(client):
    article = make_article(title="قمة المناخ")
    make_comment(article, text="رأي القارئ في القمة.")
    arabic_url = article.get_absolute_url()  # (before a request to /en/ activates English)
    page = tree(client, "/en" + arabic_url)
    assert page.get("lang") == "en" and page.get("dir") == "ltr"  # the English navigation
    body = page.find(".//article[@class='article']")
    assert (body.get("lang"), body.get("dir")) == ("ar", "rtl")
    # The dates and "updated" around it are the page's own words, in its direction.
    meta = body.find(".//p[@class='article__meta']")
    assert (meta.get("lang"), meta.get("dir")) == ("en", "ltr")
    comment = page.find(".//div[@class='comment__body']")
    assert comment.get("lang") == "ar" and comment.get("dir") == "auto"
    canonical = page.find(".//link[@rel='canonical']").get("href")
    assert unquote(canonical) == unquote(f"http://testserver{arabic_url}")
    og_url = page.find(".//meta[@property='og:url']").get("content")
    assert og_url == canonical


def test_an_english_article_is_left_to_right_on_arabic_pages_and_canonical_in_english(client):
    article = make_article(title="Climate summit ends", body="The text.", language="en")
    page = tree(client, article.get_absolute_url())
    assert page.get("lang") == "ar"
    body = page.find(".//article[@class='article']")
    assert (body.get("lang"), body.get("dir")) == ("en", "ltr")
    canonical = page.find(".//link[@rel='canonical']").get("href")
    assert unquote(canonical) == unquote(f"http://testserver/en{article.get_absolute_url()}")
    title = tree(client, "/").find(".//*[@class='lead-story__title']")
    assert (title.get("lang"), title.get("dir")) == ("en", "ltr")


def test_story_titles_on_the_english_home_page_carry_arabic_direction(client):
    make_article(title="خبر عربي")
    make_article(title="خبر عربي آخر")
    page = tree(client, "/en/")
    titles = page.findall(".//*[@class='card__title']") + page.findall(
        ".//*[@class='lead-story__title']"
    )
    assert len(titles) == 2
    assert all((t.get("lang"), t.get("dir")) == ("ar", "rtl") for t in titles)


def test_every_page_names_its_arabic_english_and_default_alternates(client):
    tag = news.do_get_or_create_tag(name="مناخ")
    author = news.do_get_or_create_author(name="كاتب")
    article = make_article(tags=[tag], authors=[author])
    paths = [
        "/",
        article.section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        article.get_absolute_url(),
        reverse("search:results") + "?q=" + quote("قمة"),
        reverse("account_login"),
    ]
    for path in paths:
        for prefix in ("", "/en"):
            page = tree(client, prefix + path)
            links = {
                link.get("hreflang"): unquote(link.get("href"))
                for link in page.findall(".//link[@rel='alternate'][@hreflang]")
            }
            arabic = unquote(f"http://testserver{path}")
            assert links == {
                "ar": arabic,
                "en": unquote(f"http://testserver/en{path}"),
                "x-default": arabic,
            }, (prefix, path)


def test_the_sitemap_lists_each_article_once_and_editions_with_alternates(client):
    arabic = make_article(title="خبر")
    english = make_article(title="A report", language="en")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    articles = etree.fromstring(client.get("/sitemap-articles.xml").content)
    locs = sorted(unquote(loc.text) for loc in articles.findall(".//s:loc", ns))
    assert locs == sorted(
        unquote(f"http://testserver{url}")
        for url in (arabic.get_absolute_url(), "/en" + english.get_absolute_url())
    )
    home = etree.fromstring(client.get("/sitemap-home.xml").content)
    for url in home.findall("s:url", ns):
        alternates = {a.get("hreflang"): a.get("href") for a in url.findall("x:link", ns)}
        assert alternates == {
            "ar": "http://testserver/",
            "en": "http://testserver/en/",
            "x-default": "http://testserver/",
        }
    assert re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap-home.xml").content.decode()) == [
        "http://testserver/",
        "http://testserver/en/",
    ]
