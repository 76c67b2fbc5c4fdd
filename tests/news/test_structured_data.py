"""What search engines read: JSON-LD as extruct (the library crawlers' tooling uses) finds it."""

from __future__ import annotations

import extruct
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from minbar.news import actions as news
from tests.factories import make_article, make_comment, make_section

pytestmark = pytest.mark.django_db


def json_ld(response) -> list[dict]:
    assert response.status_code == 200
    html = response.content.decode()
    return extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]


def of_type(blocks: list[dict], kind: str) -> dict:
    found = [b for b in blocks if b.get("@type") == kind]
    assert len(found) == 1, [b.get("@type") for b in blocks]
    return found[0]


def test_crawler_reads_a_news_article_with_authors_publisher_and_counts(client):
    author = news.do_get_or_create_author(name="سلمى الكاتبة")
    tag = news.do_get_or_create_tag(name="مناخ")
    article = make_article(title="قمة المناخ", standfirst="ما جرى", authors=[author], tags=[tag])
    make_comment(article)
    make_comment(article)
    blocks = json_ld(client.get(article.get_absolute_url()))
    data = of_type(blocks, "NewsArticle")
    url = f"http://testserver{article.get_absolute_url()}"
    assert data["headline"] == "قمة المناخ"
    assert data["inLanguage"] == "ar"
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"] == article.published_at.isoformat()
    assert data["dateModified"]
    assert data["commentCount"] == 2
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "سلمى الكاتبة",
            "url": f"http://testserver{author.get_absolute_url()}",
        }
    ]
    logo = data["publisher"]["logo"]
    assert data["publisher"]["name"] == "منبر"
    assert logo["url"].startswith("http://testserver/static/") and logo["width"] >= 112
    assert finders.find(logo["url"].removeprefix("http://testserver/static/"))
    assert "image" not in data  # no lead image, no invented one


def test_crawler_reads_breadcrumbs_on_articles_and_sections(client):
    section = make_section("اقتصاد")
    article = make_article(title="الأسواق اليوم", section=section)
    trail = of_type(json_ld(client.get(article.get_absolute_url())), "BreadcrumbList")
    names = [item["name"] for item in trail["itemListElement"]]
    assert names == ["منبر", "اقتصاد", "الأسواق اليوم"]
    assert [item["position"] for item in trail["itemListElement"]] == [1, 2, 3]
    assert trail["itemListElement"][1]["item"] == f"http://testserver{section.get_absolute_url()}"
    section_trail = of_type(json_ld(client.get(section.get_absolute_url())), "BreadcrumbList")
    assert [item["name"] for item in section_trail["itemListElement"]] == ["منبر", "اقتصاد"]


def test_crawler_finds_the_site_search_on_the_home_page(client):
    make_article()
    site = of_type(json_ld(client.get(reverse("news:home"))), "WebSite")
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    template = action["target"]["urlTemplate"]
    assert template == "http://testserver/search/?q={search_term}"
    assert action["query-input"] == "required name=search_term"
    # The template really is the search page.
    assert client.get(template.replace("{search_term}", "قمة")).status_code == 200


def test_a_title_holding_a_script_end_tag_cannot_leave_the_json_ld(client):
    title = 'قمة </script><script>alert(1)</script> & "<!--'
    article = make_article(title=title)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    head = html.split("</head>", 1)[0]
    assert "<script>alert(1)" not in head
    # Each JSON-LD element ends where it should, and what crawlers read back is the title.
    data = of_type(json_ld(response), "NewsArticle")
    assert data["headline"] == title
    assert "</script><script>" not in head
