"""sitemap.xml (every published article, sections) and the news sitemap (the last two days)."""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from minbar.news.models import Article, Section


class ArticleSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .order_by("-published_at", "-pk")
            .only("slug", "updated_at", "published_at")
        )

    def lastmod(self, item):
        return item.updated_at or item.published_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.5

    def items(self):
        return Section.objects.all()


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap}


def news_sitemap_articles():
    """Google News wants only the articles of the last two days, at most 1,000."""
    since = timezone.now() - dt.timedelta(days=2)
    return list(
        Article.objects.published()
        .filter(published_at__gte=since)
        .order_by("-published_at")
        .prefetch_related("tags")[:1000]
    )
