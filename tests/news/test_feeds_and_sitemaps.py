"""Feeds and sitemaps as readers' apps and crawlers take them: parsed with feedparser and lxml."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import feedparser
import pytest
from django.utils import timezone
from lxml import etree

from minbar.news import actions as news
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEEDS = ["/feeds/rss/", "/feeds/atom/", "/en/feeds/rss/", "/en/feeds/atom/"]


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


@pytest.mark.parametrize("url", FEEDS)
def test_feed_reader_gets_the_full_text_in_its_language(client, url):
    make_article(title="مقال كامل", body="فقرة **أولى** طويلة.\n\nفقرة ثانية كاملة.")
    english = make_article(title="An English report", body="Whole text here.", language="en")
    feed = parse_feed(client, url)
    by_title = {entry.title: entry for entry in feed.entries}
    arabic_entry = by_title["مقال كامل"]
    html = arabic_entry.content[0].value
    assert "<strong>أولى</strong>" in html and "فقرة ثانية كاملة" in html
    assert by_title[english.title].content[0].value.count("Whole text here.") == 1
    if "atom" in url:
        assert arabic_entry.content[0].language == "ar"
        assert by_title[english.title].content[0].language == "en"
    else:
        assert arabic_entry.language == "ar"
        assert by_title[english.title].language == "en"


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/", "/sections/أخبار/rss/"])
def test_feed_reader_polling_again_gets_304_until_something_changes(client, url):
    article = make_article(section=make_section("أخبار"))
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # An edit, a withdrawal, a new publication: each is news to the poller.
    news.do_update_article(article, title="عنوان بعد التعديل")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    etag = changed["ETag"]
    news.do_unpublish_article(article)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def sitemap_locs(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    root = etree.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_crawler_finds_the_news_sitemap_in_the_index_only_while_it_has_articles(client):
    old = make_article(published_at=timezone.now() - dt.timedelta(days=5))
    index = sitemap_locs(client, "/sitemap.xml")
    assert "http://testserver/news-sitemap.xml" not in index
    assert client.get("/news-sitemap.xml").status_code == 404
    # Every listed sitemap parses and, between them, they list the old article.
    listed = [loc for sitemap in index for loc in sitemap_locs(client, sitemap)]
    assert unquote(f"http://testserver{old.get_absolute_url()}") in map(unquote, listed)
    fresh = make_article(title="خبر اليوم")
    index = sitemap_locs(client, "/sitemap.xml")
    assert "http://testserver/news-sitemap.xml" in index
    root = etree.fromstring(client.get("/news-sitemap.xml").content)
    urls = root.findall(f"{SITEMAP}url")
    assert len(urls) == 1
    news_ns = "{http://www.google.com/schemas/sitemap-news/0.9}"
    assert root.find(f".//{news_ns}title").text == fresh.title
    assert root.find(f".//{news_ns}language").text == "ar"


def test_robots_txt_names_the_index(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
