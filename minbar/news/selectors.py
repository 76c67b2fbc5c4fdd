"""Reads shaped for the public pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Max, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from minbar.news.models import Article, Author, Section, Tag


def list_published_articles() -> QuerySet[Article]:
    return (
        Article.objects.published()
        .latest_first()
        .select_related("section")
        .prefetch_related("authors")
    )


def list_sections() -> list[Section]:
    return list(Section.objects.all())


@dataclass(frozen=True)
class SectionBlock:
    section: Section
    articles: list[Article]


def list_section_blocks(*, per_section: int = 4, exclude: Iterable[int] = ()) -> list[SectionBlock]:
    """The home page's block per section: its latest articles (leaving out `exclude`, those the
    page shows already), in one query."""
    ranked = (
        Article.objects.published(now=timezone.now())
        .exclude(pk__in=list(exclude))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=per_section)
        .select_related("section")
        .order_by("section__position", "section__name", "rank")
    )
    blocks: dict[int, SectionBlock] = {}
    for article in ranked:
        block = blocks.setdefault(article.section_id, SectionBlock(article.section, []))
        block.articles.append(article)
    return list(blocks.values())


def list_articles_in_section(section: Section) -> QuerySet[Article]:
    return list_published_articles().filter(section=section)


def list_articles_with_tag(tag: Tag) -> QuerySet[Article]:
    return list_published_articles().filter(tags=tag)


def list_articles_by_author(author: Author) -> QuerySet[Article]:
    return list_published_articles().filter(authors=author)


def get_publication_state() -> tuple[int, dt.datetime | None]:
    """How many articles are live and when any article last changed or went live, in two queries:
    the validator of feeds (a withdrawal changes the count and `updated_at`, a scheduled
    article's time passing changes the latest `published_at`)."""
    now = timezone.now()
    live = Article.objects.published(now=now)
    state = live.aggregate(count=Count("pk"), published=Max("published_at"))
    edited = Article.objects.filter(updated_at__lte=now).aggregate(edited=Max("updated_at"))
    times = [t for t in (state["published"], edited["edited"]) if t is not None]
    return state["count"], max(times) if times else None


@dataclass(frozen=True)
class FrontPage:
    lead: Article | None
    latest: list[Article]
    blocks: list[SectionBlock]

    @property
    def shown(self) -> list[Article]:
        lead = [self.lead] if self.lead else []
        return [*lead, *self.latest, *(a for block in self.blocks for a in block.articles)]


def get_front_page(latest: list[Article], *, per_section: int = 4) -> FrontPage:
    """The first page of the home page, each article once: the lead story (the newest with an
    image among `latest`, else the newest), the rest of `latest`, then each section's newest
    articles not shown above."""
    lead = next((a for a in latest if a.image), latest[0] if latest else None)
    rest = [a for a in latest if a is not lead]
    shown = [a.pk for a in latest]
    return FrontPage(lead, rest, list_section_blocks(per_section=per_section, exclude=shown))


# What the reader's state needs of an article: the text and its revisions are large and unused.
STATE_FIELDS = ("id", "slug", "status", "published_at", "comments_open", "comment_count")


def find_article_for_state(*, article_id: int) -> Article | None:
    """The article with STATE_FIELDS only (any other field is read when first used), or None.
    Asked on every signed-in reader's view: written out (a raw query still converts its values
    like any other), which costs a fraction of compiling the queryset that says the same."""
    table = Article._meta.db_table
    columns = ", ".join(STATE_FIELDS)
    found = list(Article.objects.raw(f"SELECT {columns} FROM {table} WHERE id = %s", [article_id]))
    return found[0] if found else None
