"""RSS and Atom feeds: the whole site, a section, a tag.

Full text: each item carries the article's HTML (RSS `content:encoded`, Atom `content`), its lead
image (an enclosure and `media:content`) and its own language (RSS `dc:language`, Atom
`xml:lang`), which may differ from the edition's. The views answer conditional requests (ETag,
Last-Modified, 304) from one aggregate query, before any feed is built.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import condition

from minbar.news import images, selectors
from minbar.news.access import access_section_for_reading, access_tag_for_reading
from minbar.news.models import Article, Section, Tag

FEED_SIZE = 30
MEDIA_NS = "http://search.yahoo.com/mrss/"


def _add_image(handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
    image = item.get("image")
    if image:
        attrs = {"url": image["url"], "medium": "image", "type": image["type"]}
        attrs |= {"width": str(image["width"]), "height": str(image["height"])}
        handler.addQuickElement("media:content", "", attrs)


class FullTextRss(feedgenerator.Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        return super().rss_attributes() | {
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("dc:language", item["language"])
        handler.addQuickElement("content:encoded", item["content_html"])
        _add_image(handler, item)


class FullTextAtom(Atom1Feed):
    def root_attributes(self) -> dict[str, str]:
        return super().root_attributes() | {"xmlns:media": MEDIA_NS}

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        return super().item_attributes(item) | {"xml:lang": item["language"]}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _add_image(handler, item)


# Feed is generic in django-stubs only (not at run time, where it cannot be subscripted).
if TYPE_CHECKING:
    _ArticlesFeed = Feed[Article, Section | Tag]
else:
    _ArticlesFeed = Feed


class LatestArticlesFeed(_ArticlesFeed):
    feed_type: type[SyndicationFeed] = FullTextRss
    description_template = None
    # Set on each request's own copy (see __call__).
    request: HttpRequest

    def title(self, obj: Section | Tag | None = None) -> str:
        return settings.MINBAR_SITE_NAME

    def link(self, obj: Section | Tag | None = None) -> str:
        return reverse("news:home")

    def description(self, obj: Section | Tag | None = None) -> str:
        return _("The latest articles on %(site)s") % {"site": settings.MINBAR_SITE_NAME}

    def items(self, obj: Section | Tag | None = None) -> QuerySet[Article]:
        return selectors.list_published_articles()[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.standfirst or item.body_html

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        return {
            "language": item.language,
            "content_html": item.body_html,
            "image": feed_image(self.request, item),
        }

    def item_enclosures(self, item: Article) -> list[feedgenerator.Enclosure]:
        image = feed_image(self.request, item)
        if not image:
            return []
        return [feedgenerator.Enclosure(image["url"], str(image["length"]), image["type"])]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The URLconf holds one instance for every thread: each request gets its own copy.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> dt.datetime | None:
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        return "، ".join(a.name for a in item.authors.all()) or None

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = FullTextAtom
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    # `obj` is what get_object() found (a missing section is a 404 there), never None.

    def get_object(self, request: HttpRequest, slug: str) -> Section:
        return access_section_for_reading(slug=slug)

    def title(self, obj: Section | Tag | None = None) -> str:
        assert isinstance(obj, Section)
        return f"{obj.name} — {settings.MINBAR_SITE_NAME}"

    def link(self, obj: Section | Tag | None = None) -> str:
        assert isinstance(obj, Section)
        return obj.get_absolute_url()

    def items(self, obj: Section | Tag | None = None) -> QuerySet[Article]:
        assert isinstance(obj, Section)
        return selectors.list_articles_in_section(obj)[:FEED_SIZE]


class SectionAtomFeed(SectionFeed):
    feed_type = FullTextAtom
    subtitle = LatestArticlesFeed.description


class TagFeed(LatestArticlesFeed):
    # `obj` is what get_object() found (a missing tag is a 404 there), never None.

    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return access_tag_for_reading(slug=slug)

    def title(self, obj: Section | Tag | None = None) -> str:
        assert isinstance(obj, Tag)
        return f"{obj.name} — {settings.MINBAR_SITE_NAME}"

    def link(self, obj: Section | Tag | None = None) -> str:
        assert isinstance(obj, Tag)
        return obj.get_absolute_url()

    def items(self, obj: Section | Tag | None = None) -> QuerySet[Article]:
        assert isinstance(obj, Tag)
        return selectors.list_articles_with_tag(obj)[:FEED_SIZE]


class TagAtomFeed(TagFeed):
    feed_type = FullTextAtom
    subtitle = LatestArticlesFeed.description


def feed_image(request: HttpRequest, article: Article) -> dict[str, Any] | None:
    """The lead image's large rendition as absolute URL, size, type and length, or None."""
    lead = article.lead_image
    if lead is None:
        return None
    image = lead.large
    # A lead image means a stored file, so its name is set (str() reads it, typed as a str).
    name = images.rendition_name(str(article.image), width=image["width"], ext="jpg")
    try:
        length = default_storage.size(name)
    except OSError:
        length = 0  # not made yet: RSS allows 0 for an unknown length
    return {**image, "url": request.build_absolute_uri(image["url"]), "length": length}


def _feed_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    count, latest = selectors.get_publication_state()
    return f"{count}-{latest.timestamp() if latest else 0}"


def _feed_last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> dt.datetime | None:
    return selectors.get_publication_state()[1]


def conditional(feed: Feed[Any, Any]) -> Callable[..., HttpResponse]:
    """A feed view that answers If-None-Match/If-Modified-Since with 304 when nothing published
    changed (any publication, edit or withdrawal moves the state, so the check is site-wide)."""
    return condition(etag_func=_feed_etag, last_modified_func=_feed_last_modified)(feed)
