"""sitemap.xml (every published article, sections) and the news sitemap (the last two days)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from minbar.news.models import Article, Section
from minbar.news.seo import canonical_path


class ArticleSitemap(Sitemap):
    """Each article once, at its canonical address (its own language's edition): the other
    edition's copy declares this one canonical, so it is not listed (decision 0015)."""

    changefreq = "hourly"
    priority = 0.8
    limit = 5000

    def items(self) -> QuerySet[Article]:
        return (
            Article.objects.published()
            .order_by("-published_at", "-pk")
            .only("slug", "updated_at", "published_at", "language")
        )

    def location(self, item: Article) -> str:
        return canonical_path(item)

    def lastmod(self, item: Article) -> dt.datetime | None:
        return item.updated_at or item.published_at


class EditionsSitemap(Sitemap):
    """Pages each edition has in its own words (navigation and labels): listed in both, with
    hreflang alternates and the Arabic one as x-default."""

    i18n = True
    alternates = True
    x_default = True


class SectionSitemap(EditionsSitemap):
    changefreq = "hourly"
    priority = 0.5

    def items(self) -> QuerySet[Section]:
        return Section.objects.all()


class HomeSitemap(EditionsSitemap):
    changefreq = "always"
    priority = 1.0

    def items(self) -> list[str]:
        return ["news:home"]

    def location(self, item: str) -> str:
        return reverse(item)


# Typed as django.contrib.sitemaps views take it (classes or instances).
SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
}


def news_sitemap_articles() -> list[Article]:
    """Google News wants only the articles of the last two days, at most 1,000."""
    since = timezone.now() - dt.timedelta(days=2)
    return list(
        Article.objects.published()
        .filter(published_at__gte=since)
        .order_by("-published_at")
        .prefetch_related("tags")[:1000]
    )
