"""Metadata for crawlers and link previews: canonical URL, OpenGraph, Twitter card, JSON-LD.

The JSON-LD follows schema.org as Google reads it for news: a NewsArticle with its image, dates,
authors (with their pages), publisher (with its logo) and comment count; a BreadcrumbList on
articles and sections; a WebSite with a SearchAction on the home page. The dictionaries are
rendered by the `json_ld` template tag, which escapes them for a `<script>` element.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from minbar.core.text import plain_text
from minbar.news.models import Article, Section

LOGO = "img/icon-512.png"
LOGO_SIZE = 512


def publisher(request: HttpRequest) -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.MINBAR_SITE_NAME,
        "url": request.build_absolute_uri(reverse("news:home")),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static(LOGO)),
            "width": LOGO_SIZE,
            "height": LOGO_SIZE,
        },
    }


def breadcrumbs(request: HttpRequest, trail: list[tuple[str, str]]) -> dict:
    """`trail` is (name, path) from the home page down to the page itself."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": n,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }


def website_metadata(request: HttpRequest) -> list[dict]:
    """The home page: the site, and how to search it (a sitelinks search box)."""
    home = request.build_absolute_uri(reverse("news:home"))
    search = request.build_absolute_uri(reverse("search:results"))
    return [
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": settings.MINBAR_SITE_NAME,
            "url": home,
            "inLanguage": "ar",
            "publisher": publisher(request),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term}}"},
                "query-input": "required name=search_term",
            },
        }
    ]


def section_metadata(request: HttpRequest, section: Section) -> list[dict]:
    return [
        breadcrumbs(
            request,
            [
                (settings.MINBAR_SITE_NAME, reverse("news:home")),
                (section.name, section.get_absolute_url()),
            ],
        )
    ]


def edition_of(article: Article) -> str:
    """The edition an article belongs to: its own language when the site has that edition."""
    return article.language if article.language in dict(settings.LANGUAGES) else "ar"


def canonical_path(article: Article) -> str:
    """One indexable address per article: in its own language's edition (docs/decisions/0015).
    The same Arabic article under /en/ (English navigation) points here."""
    with translation.override(edition_of(article)):
        return article.get_absolute_url()


def article_metadata(request: HttpRequest, article: Article, *, image: dict | None = None) -> dict:
    """`image` is the lead image's large rendition ({"url", "width", "height"}), if any."""
    url = request.build_absolute_uri(canonical_path(article))
    if image:
        image = {**image, "url": request.build_absolute_uri(image["url"])}
    description = article.standfirst or plain_text(article.body_html, limit=200)
    published = article.published_at
    modified = article.updated_at or published
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": description,
        "inLanguage": article.language,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "datePublished": published.isoformat() if published else None,
        "dateModified": modified.isoformat() if modified else None,
        "articleSection": article.section.name,
        "keywords": [t.name for t in article.tags.all()],
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.authors.all()
        ],
        "publisher": publisher(request),
        "commentCount": article.comment_count,
    }
    if image:
        news_article["image"] = [
            {
                "@type": "ImageObject",
                "url": image["url"],
                "width": image["width"],
                "height": image["height"],
            }
        ]
    if article.source_url:
        news_article["isBasedOn"] = article.source_url
    trail = breadcrumbs(
        request,
        [
            (settings.MINBAR_SITE_NAME, reverse("news:home")),
            (article.section.name, article.section.get_absolute_url()),
            (article.title, article.get_absolute_url()),
        ],
    )
    return {
        "canonical": url,
        "description": description,
        "json_ld": [news_article, trail],
        "image": image,
    }
