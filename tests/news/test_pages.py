"""Public newsroom pages through HTTP: what readers and crawlers get."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from minbar.news import actions
from tests.factories import make_article, make_comment, make_editor, make_section, make_user

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """A tiny HTML reader: elements with their attributes and text, enough to assert on."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict, list[str]]] = []
        self._open: list[tuple[str, dict, list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.elements.append(element)
        if tag not in {"meta", "link", "br", "input", "img", "hr"}:
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element[2].append(data)

    def find(self, tag, **attrs):
        return [
            (a, "".join(text).strip())
            for t, a, text in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


def test_reader_can_read_an_article_laid_out_as_the_spec_draws_it(client):
    article = make_article(
        title="محادثات كشمير تعود إلى الطاولة",
        body="فقرة **أولى**.\n\nتكتب صحيفة الغد عن المحادثات.",
        standfirst="مقدمة قصيرة",
        source_name="صحيفة الغد",
        source_url="https://example.com/kashmir",
        source_language="en",
        published_at=dt.datetime(2022, 7, 15, 7, 29, tzinfo=dt.UTC),
        tags=[actions.do_get_or_create_tag(name="كشمير")],
        authors=[actions.do_get_or_create_author(name="سلمى الحداد")],
    )
    make_comment(article)
    make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    page = Page(html)
    assert '<html lang="ar" dir="rtl">' in html
    assert page.find("h1")[0][1] == "محادثات كشمير تعود إلى الطاولة"
    counter = page.find("a", class_="comment-counter")[0]
    assert counter[0]["href"] == "#comments"
    assert "2" in counter[1]
    assert page.find("h2", id="comments")[0][1] == "تعليقان"
    assert "<strong>أولى</strong>" in html
    source = page.find("p", class_="article__source")[0][1]
    assert source.startswith("المصدر:") and "صحيفة الغد" in source
    source_html = html.split('class="article__source">', 1)[1].split("</p>", 1)[0]
    source_links = [a["href"] for t, a, _ in Page(source_html).elements if t == "a"]
    assert source_links == ["https://example.com/kashmir"]
    assert [text for _, text in page.find("a", rel="tag")] == ["كشمير"]
    assert [text for _, text in page.find("a", rel="author")] == ["سلمى الحداد"]


def test_reader_sees_dates_in_the_site_time_zone_with_arabic_month_names(client, settings):
    settings.TIME_ZONE = "Asia/Riyadh"
    article = make_article(published_at=dt.datetime(2022, 7, 15, 7, 29, tzinfo=dt.UTC))
    page = Page(client.get(article.get_absolute_url()).content.decode())
    times = page.find("time")
    assert ("2022-07-15T10:29:00+03:00", "15 يوليو 2022 10:29") in [
        (a["datetime"], text) for a, text in times
    ]


def test_reader_sees_the_hijri_date_when_the_site_asks_for_it(client, settings):
    article = make_article(published_at=dt.datetime(2022, 7, 15, 7, 29, tzinfo=dt.UTC))
    settings.MINBAR_HIJRI_DATES = False
    assert "هـ" not in client.get(article.get_absolute_url()).content.decode()
    settings.MINBAR_HIJRI_DATES = True
    html = client.get(article.get_absolute_url()).content.decode()
    assert "16 ذو الحجة 1443 هـ" in html


def test_reader_sees_arabic_indic_digits_when_the_site_asks_for_them(client, settings):
    settings.MINBAR_ARABIC_DIGITS = True
    article = make_article(published_at=dt.datetime(2022, 7, 15, 7, 29, tzinfo=dt.UTC))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "١٥ يوليو ٢٠٢٢ ١٠:٢٩" in html or "١٥ يوليو ٢٠٢٢ ٠٧:٢٩" in html
    english = client.get("/en" + article.get_absolute_url()).content.decode()
    assert "15 July 2022" in english


HEADINGS = [
    (0, "لا تعليقات"),
    (1, "تعليق واحد"),
    (2, "تعليقان"),
    (3, "3 تعليقات"),
    (10, "10 تعليقات"),
    (11, "11 تعليقًا"),
    (99, "99 تعليقًا"),
    (100, "100 تعليق"),
    (102, "102 تعليق"),
    (103, "103 تعليقات"),
    (111, "111 تعليقًا"),
]


@pytest.mark.parametrize(("count", "heading"), HEADINGS)
def test_reader_sees_the_arabic_plural_heading_for_every_count(client, count, heading):
    article = make_article()
    author = make_user()
    for _ in range(count):
        make_comment(article, author=author)
    page = Page(client.get(article.get_absolute_url()).content.decode())
    assert page.find("h2", id="comments")[0][1] == heading
    # The number shows; the spoken name holds it and the words (label-in-name).
    assert page.find("a", class_="comment-counter")[0][1] == f"{heading}: {count}"


def test_english_reader_gets_english_plurals_and_a_way_back_to_arabic(client):
    article = make_article()
    make_comment(article)
    arabic_url = article.get_absolute_url()
    html = client.get("/en" + arabic_url).content.decode()
    page = Page(html)
    assert '<html lang="en" dir="ltr">' in html
    assert page.find("h2", id="comments")[0][1] == "1 comment"
    assert page.find("a", hreflang="ar")[0][0]["href"] == arabic_url


def test_body_markdown_is_rendered_safely(client):
    body = (
        "نص <script>alert(1)</script> و[رابط](javascript:alert(1)) "
        '<img src=x onerror="alert(1)">\n\n> اقتباس\n\n- بند'
    )
    article = make_article(body=body)
    html = client.get(article.get_absolute_url()).content.decode()
    body_html = html.split('class="article__body">', 1)[1].split("</div>", 1)[0]
    body = Page(body_html)
    tags = {tag for tag, _, _ in body.elements}
    assert not tags & {"script", "img", "iframe", "svg", "style"}
    for _tag, attrs, _text in body.elements:
        assert not any(name.startswith("on") for name in attrs)
        assert not attrs.get("href", "").lower().startswith(("javascript:", "data:"))
    assert "<blockquote>" in body_html and "<li>بند</li>" in body_html


def test_reader_cannot_see_drafts_or_articles_scheduled_for_later(client):
    draft = make_article(published=False, title="مسودة سرية")
    scheduled = make_article(published=False, title="مقال مجدول")
    actions.do_schedule_article(scheduled, at=timezone.now() + dt.timedelta(days=1))
    for article in (draft, scheduled):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404
        assert "الصفحة غير موجودة" in response.content.decode()
    home = client.get("/").content.decode()
    assert "مسودة سرية" not in home and "مقال مجدول" not in home


def test_staff_can_preview_a_draft_with_a_banner(client):
    draft = make_article(published=False, title="مسودة للمعاينة")
    client.force_login(make_editor())
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert "معاينة" in page.find("p", class_="preview-banner")[0][1]
    assert page.find("meta", name="robots")[0][0]["content"] == "noindex"


def test_a_scheduled_article_goes_live_at_its_time_with_no_job(client):
    article = make_article(published=False, title="يصدر لاحقًا")
    actions.do_schedule_article(article, at=timezone.now() + dt.timedelta(hours=2))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "يصدر لاحقًا" not in client.get("/feeds/rss/").content.decode()
    # Time passes: the same row, read two hours later, is live everywhere.
    from unittest import mock

    later = timezone.now() + dt.timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert "يصدر لاحقًا" in client.get("/").content.decode()
        assert "يصدر لاحقًا" in client.get("/feeds/rss/").content.decode()
        assert article.slug in unquote(client.get("/sitemap-articles.xml").content.decode())


def test_home_section_tag_and_author_pages_list_and_paginate(client, settings):
    settings.MINBAR_ARTICLES_PER_PAGE = 10
    politics = make_section("سياسة", position=1)
    sport = make_section("رياضة", position=2)
    tag = actions.do_get_or_create_tag(name="انتخابات")
    author = actions.do_get_or_create_author(name="يوسف العمري")
    for n in range(12):
        make_article(
            title=f"سياسة {n}", section=politics, tags=[tag], authors=[author],
            published_at=timezone.now() - dt.timedelta(hours=n + 1),
        )  # fmt: skip
    make_article(title="مباراة الأمس", section=sport)
    # The newest story leads the front page; each story is shown once, so sport needs another.
    make_article(
        title="مباراة قديمة", section=sport, published_at=timezone.now() - dt.timedelta(days=3)
    )
    home = Page(client.get("/").content.decode())
    block_titles = [text for _, text in home.find("h2")]
    assert "سياسة" in block_titles and "رياضة" in block_titles
    assert client.get("/?page=2").status_code == 200
    for url in (politics.get_absolute_url(), tag.get_absolute_url(), author.get_absolute_url()):
        first = client.get(url).content.decode()
        assert "سياسة 0" in first and "سياسة 11" not in first
        second = client.get(url + "?page=2").content.decode()
        assert "سياسة 11" in second
    assert "مباراة الأمس" not in client.get(politics.get_absolute_url()).content.decode()


@pytest.mark.parametrize("query", ["?page=abc", "?page=0", "?page=99", "?page=-1", "?page=1.5"])
def test_reader_gets_a_404_page_for_pages_that_do_not_exist(client, query):
    make_article()
    response = client.get("/" + query)
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/articles/no-such-thing/", "/sections/لا-يوجد/", "/tags/x/", "/authors/y/", "/nope/"]
)
def test_reader_gets_an_arabic_404_for_unknown_addresses(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert 'dir="rtl"' in response.content.decode()


def test_feeds_are_valid_xml_and_advertised(client):
    section = make_section("اقتصاد")
    tag = actions.do_get_or_create_tag(name="النفط")
    article = make_article(title="أسعار النفط", section=section, tags=[tag])
    make_article(published=False, title="مسودة")
    html = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html
    urls = [
        "/feeds/rss/", "/feeds/atom/",
        f"/sections/{section.slug}/rss/", f"/sections/{section.slug}/atom/",
        f"/tags/{tag.slug}/rss/", f"/tags/{tag.slug}/atom/",
    ]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)
        text = ET.tostring(root, encoding="unicode")
        assert "أسعار النفط" in text and "مسودة" not in text
        assert article.slug in text or "%D8" in text
    section_page = client.get(section.get_absolute_url()).content.decode()
    assert reverse("news:section-feed-rss", args=[section.slug]) in section_page


def test_sitemaps_list_every_published_article_and_only_those(client):
    live = [make_article(title=f"منشور {n}") for n in range(3)]
    draft = make_article(published=False, title="مسودة")
    root = ET.fromstring(client.get("/sitemap-articles.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in root.findall(".//s:loc", ns)]
    paths = {unquote(loc.split("://", 1)[1].split("/", 1)[1]) for loc in locs}
    for article in live:
        assert unquote(article.get_absolute_url()).lstrip("/") in paths
    assert unquote(draft.get_absolute_url()).lstrip("/") not in paths
    news = ET.fromstring(client.get("/news-sitemap.xml").content)
    titles = [t.text for t in news.iter("{http://www.google.com/schemas/sitemap-news/0.9}title")]
    assert sorted(titles) == sorted(a.title for a in live)
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_article_page_carries_json_ld_canonical_and_social_meta(client):
    article = make_article(title="عنوان للمشاركة", standfirst="وصف المقال")
    make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    # Search engines read only application/ld+json (not json_script's application/json).
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = next(d for d in map(json.loads, blocks) if d["@type"] == "NewsArticle")
    assert data["headline"] == "عنوان للمشاركة"
    assert data["commentCount"] == 1
    page = Page(html)
    canonical = page.find("link", rel="canonical")[0][0]["href"]
    assert canonical.endswith(article.get_absolute_url())
    assert page.find("meta", property="og:title")[0][0]["content"] == "عنوان للمشاركة"
    assert page.find("meta", name="twitter:card")[0][0]["content"] == "summary"


def test_arabic_slugs_are_kept_and_served(client):
    article = make_article(title="قمة المناخ في الرياض")
    assert article.slug == "قمة-المناخ-في-الرياض"
    assert client.get(article.get_absolute_url()).status_code == 200


def test_every_pages_search_box_takes_the_length_the_search_accepts(client, monkeypatch):
    # One source per rule: the header's box and the search page's form share one limit.
    from minbar.search import policy

    monkeypatch.setattr(policy, "MAX_QUERY_LENGTH", 123)
    body = client.get("/").content.decode()
    assert 'id="search-q" type="search" name="q" dir="auto"' in body
    assert 'maxlength="123"' in body
