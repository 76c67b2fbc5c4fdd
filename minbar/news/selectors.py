"""Reads shaped for the public pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from minbar.news.models import Article, Section


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


def list_section_blocks(*, per_section: int = 4) -> list[SectionBlock]:
    """The home page's block per section: its latest articles, in two queries in all."""
    ranked = (
        Article.objects.published(now=timezone.now())
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


def list_articles_with_tag(tag) -> QuerySet[Article]:
    return list_published_articles().filter(tags=tag)


def list_articles_by_author(author) -> QuerySet[Article]:
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
