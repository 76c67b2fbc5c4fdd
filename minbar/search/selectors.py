"""Reads for the search page: a parsed query in, a page of hits with marked snippets out.

One search costs a fixed number of queries whatever it finds: one engine query for the page
shown that also counts its matches (capped), one capped count of the other tab, one to load the
page's articles or comments, and the protected words (cached).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, cast

from django.core.cache import cache, caches
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import router
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minbar.discussion.models import Comment
from minbar.discussion.policy import fits_on_one_page
from minbar.news.models import Article, Section
from minbar.search import policy
from minbar.search.backends import Hit, Window, get_backend
from minbar.search.highlight import Marker, best_snippet, highlight
from minbar.search.models import ArticleEntry, VocabularyTerm
from minbar.search.query import Query
from minbar.search.suggest import allowed_edits, suggestion
from minbar.search.texts import plain_text

PROTECTED_WORDS_CACHE_KEY = "search:protected-words"
# The cache is cleared on every change; the timeout only bounds a missed clear (another cache).
PROTECTED_WORDS_CACHE_SECONDS = 300

Sort = Literal["relevance", "date"]
Show = Literal["articles", "comments"]
SORTS: tuple[Sort, ...] = ("relevance", "date")
SHOWS: tuple[Show, ...] = ("articles", "comments")


def get_protected_words() -> frozenset[str]:
    """The staff's protected words, as the analyser takes them (`extra_protected`)."""
    # A second of this worker's memory in front of the shared cache (the "worker" cache).
    words = caches["worker"].get_or_set(PROTECTED_WORDS_CACHE_KEY, _load_protected_words)
    # Never None: get_or_set answers the default's value when nothing is kept.
    return cast("frozenset[str]", words)


def _load_protected_words() -> frozenset[str]:
    from minbar.search.models import ProtectedWord

    words = cache.get(PROTECTED_WORDS_CACHE_KEY)
    if words is None:
        words = frozenset(ProtectedWord.objects.values_list("word", flat=True))
        cache.set(PROTECTED_WORDS_CACHE_KEY, words, PROTECTED_WORDS_CACHE_SECONDS)
    return words


def forget_protected_words() -> None:
    caches["worker"].delete(PROTECTED_WORDS_CACHE_KEY)
    cache.delete(PROTECTED_WORDS_CACHE_KEY)


def list_sections() -> list[Section]:
    return list(Section.objects.all())


@dataclass(frozen=True)
class Filters:
    section: Section | None = None
    date_from: dt.date | None = None  # inclusive, in the site's time zone
    date_to: dt.date | None = None  # inclusive

    def window(self, *, now: dt.datetime) -> Window:
        """Keys from the start of `date_from` to the end of `date_to`, never past `now`."""
        high = policy.last_key_at(now)
        low = -(2**63)
        if self.date_from:
            low = policy.first_key_at(_day_start(self.date_from))
        if self.date_to:
            end = _day_start(self.date_to + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)
            high = min(high, policy.last_key_at(end))
        return Window(low=low, high=high, section_id=self.section.pk if self.section else None)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    title: str  # safe HTML
    snippet: str  # safe HTML


@dataclass(frozen=True)
class CommentHit:
    comment: Comment
    article: Article
    url: str
    snippet: str  # safe HTML


@dataclass
class Results:
    query: Query
    show: Show
    sort: Sort
    article_count: int = 0
    comment_count: int = 0
    # True when there are more matches than MAX_RESULTS (the counts then say "more than").
    more_articles: bool = False
    more_comments: bool = False
    page: Page | None = None
    hits: list[ArticleHit] | list[CommentHit] = field(default_factory=list)
    # True when no article matched and the comments that did are shown instead.
    showing_comments_instead: bool = False
    # A spelling from the index's vocabulary to offer when nothing matched ("هل تقصد …").
    suggestion: str = ""

    @property
    def count(self) -> int:
        return self.article_count if self.show == "articles" else self.comment_count

    @property
    def count_is_capped(self) -> bool:
        return self.more_articles if self.show == "articles" else self.more_comments


class _Hits:
    """The hits of one search as the paginator sees them: a length, and the one page of them
    that was read (only the page shown is ever read)."""

    def __init__(self, hits: list[Hit], *, offset: int, count: int) -> None:
        self.hits = hits
        self.offset = offset
        self.total = count

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[Hit]:
        start = (window.start or 0) - self.offset
        stop = self.total if window.stop is None else min(window.stop, self.total)
        return self.hits[max(0, start) : max(0, stop - self.offset)]


def _page_number(number: str | int) -> int:
    """The page asked for, or 404 (as the paginator would answer)."""
    try:
        value = int(number)
    except (TypeError, ValueError) as exc:
        raise Http404(_("There is no such page.")) from exc
    if value < 1:
        raise Http404(_("There is no such page."))
    return value


def _page(hits: _Hits, *, number: int) -> Page:
    # _Hits is only sliced (Page reads object_list[bottom:top]), never indexed or iterated, so
    # it implements less than the stubs' pagination protocol asks.
    paginator: Paginator[Hit] = Paginator(
        hits,  # type: ignore[arg-type]
        policy.RESULTS_PER_PAGE,
        allow_empty_first_page=True,
    )
    try:
        return paginator.page(number)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(_("There is no such page.")) from exc


def search(
    *,
    query: Query,
    filters: Filters,
    sort: Sort = "relevance",
    show: Show = "articles",
    page: str | int = 1,
    extra_protected: frozenset[str] = frozenset(),
    now: dt.datetime | None = None,
    comments_if_no_articles: bool = False,
) -> Results:
    """Run a searchable query; the page of `show` hits in `sort` order, and both counts.

    `comments_if_no_articles`: when the reader did not choose a tab, no article matches and
    some comments do, show those comments (and say so) rather than an empty articles tab."""
    now = now or timezone.now()
    results = Results(query=query, show=show, sort=sort)
    if not query.is_searchable:
        return results
    # Reads may go to a replica (config's database router), like the ORM reads below.
    backend = get_backend(using=router.db_for_read(ArticleEntry))
    window = filters.window(now=now)
    cap = policy.MAX_RESULTS
    number = _page_number(page)
    offset, size = (number - 1) * policy.RESULTS_PER_PAGE, policy.RESULTS_PER_PAGE

    def fetch(kind: Show) -> tuple[list[Hit], int]:
        hits, total = backend.counted_page(
            kind, query, window=window, candidates=cap, sort=sort,
            now_seconds=policy.epoch_seconds(now), offset=offset, size=size,
        )  # fmt: skip
        if total is None:  # an empty page: nothing matches, or the page is past the end
            total = backend.count(kind, query, window=window, limit=cap + 1) if offset else 0
        return hits, total

    # The page shown and its count come from one walk; the other tab is only counted. When
    # the articles tab was not chosen and is empty, the comments are shown in its place.
    hits, total = fetch(show)
    counts = {show: total}
    if comments_if_no_articles and show == "articles" and not total:
        comment_hits, counts["comments"] = fetch("comments")
        if counts["comments"]:
            hits, show = comment_hits, "comments"
            results.show = show
            results.showing_comments_instead = True
    for kind in SHOWS:
        if kind not in counts:
            counts[kind] = backend.count(kind, query, window=window, limit=cap + 1)
    results.article_count = min(counts["articles"], cap)
    results.comment_count = min(counts["comments"], cap)
    results.more_articles = counts["articles"] > cap
    results.more_comments = counts["comments"] > cap
    if not counts["articles"] and not counts["comments"]:
        results.suggestion = suggest_spelling(query)
    results.page = _page(_Hits(hits, offset=offset, count=results.count), number=number)
    marker = Marker(
        terms=query.highlight_terms(),
        prefixes=query.highlight_prefixes(),
        extra_protected=extra_protected,
    )
    ids = [object_id for _key, object_id in results.page.object_list]
    if show == "articles":
        results.hits = _article_hits(ids, marker=marker, now=now)
    else:
        results.hits = _comment_hits(ids, marker=marker, now=now)
    return results


def suggest_spelling(query: Query) -> str:
    """A query that would find something, from the articles' vocabulary ("" when none): one
    query to see which terms are known, one per unknown term for its neighbours."""

    def known(terms: set[str]) -> set[str]:
        return set(VocabularyTerm.objects.filter(term__in=terms).values_list("term", flat=True))

    def candidates(term: str) -> list[tuple[str, int]]:
        edits = allowed_edits(term)
        return list(
            VocabularyTerm.objects.filter(
                first=term[0], length__range=(len(term) - edits, len(term) + edits)
            ).values_list("term", "documents")
        )

    return suggestion(query, known=known, candidates=candidates)


def _article_hits(ids: list[int], *, marker: Marker, now: dt.datetime) -> list[ArticleHit]:
    # By primary key only, liveness checked here: with the published() filter in SQL, SQLite
    # may walk its status index over every published article instead.
    found = Article.objects.filter(pk__in=ids).select_related("section")
    by_id = {article.pk: article for article in found if article.is_live(now=now)}
    hits = []
    for article_id in ids:
        article = by_id.get(article_id)
        if article is None:  # unpublished since the index was written: not for readers
            continue
        hits.append(
            ArticleHit(
                article=article,
                title=highlight(article.title, marker=marker),
                snippet=best_snippet(
                    [plain_text(article.body_html), article.standfirst], marker=marker
                ),
            )
        )
    return hits


def comment_hit_url(comment: Comment) -> str:
    """Where a comment hit leads: `article#comment-ID` when the discussion fits on one page,
    else the comment's permalink, which finds its page and redirects to
    `article?page=N#comment-ID`."""
    if fits_on_one_page(comment.article.comment_count):
        return f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
    return reverse("discussion:permalink", kwargs={"comment_id": comment.pk})


def _comment_hits(ids: list[int], *, marker: Marker, now: dt.datetime) -> list[CommentHit]:
    found = Comment.objects.filter(pk__in=ids).select_related(
        "article", "article__section", "author"
    )
    by_id = {
        comment.pk: comment
        for comment in found
        if comment.is_visible and comment.article.is_live(now=now)
    }
    hits = []
    for comment_id in ids:
        comment = by_id.get(comment_id)
        if comment is None:
            continue
        hits.append(
            CommentHit(
                comment=comment,
                article=comment.article,
                url=comment_hit_url(comment),
                snippet=best_snippet([plain_text(comment.body_html)], marker=marker),
            )
        )
    return hits
