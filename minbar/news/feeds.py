"""RSS and Atom feeds: the whole site, a section, a tag."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from minbar.news import selectors
from minbar.news.access import access_tag_for_reading
from minbar.news.models import Section

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    description_template = None

    def title(self, obj=None):
        return settings.MINBAR_SITE_NAME

    def link(self, obj=None):
        return reverse("news:home")

    def description(self, obj=None):
        return _("The latest articles on %(site)s") % {"site": settings.MINBAR_SITE_NAME}

    def items(self, obj=None):
        return selectors.list_published_articles()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst or item.body_html

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return "، ".join(a.name for a in item.authors.all()) or None

    def item_categories(self, item):
        return [item.section.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} — {settings.MINBAR_SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return selectors.list_articles_in_section(obj)[:FEED_SIZE]


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return access_tag_for_reading(slug=slug)

    def title(self, obj=None):
        return f"{obj.name} — {settings.MINBAR_SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return selectors.list_articles_with_tag(obj)[:FEED_SIZE]


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
