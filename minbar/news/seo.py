"""Metadata for crawlers and link previews: canonical URL, OpenGraph, Twitter card, JSON-LD."""

from __future__ import annotations

from django.conf import settings

from minbar.core.text import plain_text
from minbar.news.models import Article


def article_metadata(request, article: Article) -> dict:
    url = request.build_absolute_uri(article.get_absolute_url())
    description = article.standfirst or plain_text(article.body_html, limit=200)
    authors = [a.name for a in article.authors.all()]
    modified = article.updated_at or article.published_at
    json_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": description,
        "inLanguage": article.language,
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": modified.isoformat() if modified else None,
        "articleSection": article.section.name,
        "keywords": [t.name for t in article.tags.all()],
        "author": [{"@type": "Person", "name": name} for name in authors],
        "publisher": {"@type": "Organization", "name": settings.MINBAR_SITE_NAME},
        "commentCount": article.comment_count,
    }
    if article.source_url:
        json_ld["isBasedOn"] = article.source_url
    return {"canonical": url, "description": description, "json_ld": json_ld}
