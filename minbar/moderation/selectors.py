"""Reads for moderation: the cached settings and word lists, the queues, a reader's history.
Each page reads in a fixed number of queries, however many rows it shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from minbar.accounts.models import User
from minbar.discussion.models import Comment
from minbar.moderation import access, policy
from minbar.moderation.models import (
    ArticleModeration,
    AuditEntry,
    CommentReport,
    Sanction,
    SiteSettings,
    WordListEntry,
)
from minbar.news.models import Article

SETTINGS_KEY = "moderation:site-settings:v1"
WORDS_KEY = "moderation:word-lists:v1"
CACHE_SECONDS = 300
# How long a worker keeps "no sanction" for a reader's session epoch (see find_active_sanction).
NO_SANCTION_SECONDS = 30

PENDING = Comment.Status.PENDING
REJECTED = Comment.Status.REJECTED
VISIBLE = Comment.Status.VISIBLE
DELETED = Comment.Status.DELETED


# --- settings and word lists (read on every post: cached, dropped by the actions) ------------


def _worker() -> BaseCache:
    """A second of this worker's memory in front of the shared cache (the "worker" cache):
    these are read several times per post. Sanctions are keyed by the reader's session epoch,
    which a new sanction moves; a lifted sanction, a changed mode or new settings reach the
    other workers within a second, the worker that made the change at once."""
    return caches["worker"]


def get_site_settings() -> SiteSettings:
    # get_or_set returns what the loader returned (never None here); the stubs cannot know.
    return cast(SiteSettings, _worker().get_or_set(SETTINGS_KEY, _load_site_settings))


def _load_site_settings() -> SiteSettings:
    found = cache.get(SETTINGS_KEY)
    if isinstance(found, SiteSettings):
        return found
    found = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
    cache.set(SETTINGS_KEY, found, CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class WordLists:
    """Each entry as typed, with its `policy.letters_key` for the quick filter."""

    banned: tuple[tuple[str, str], ...] = ()
    suspect: tuple[tuple[str, str], ...] = ()


def get_word_lists() -> WordLists:
    return cast(WordLists, _worker().get_or_set(WORDS_KEY, _load_word_lists))


def _load_word_lists() -> WordLists:
    found = cache.get(WORDS_KEY)
    if isinstance(found, WordLists):
        return found
    banned: list[tuple[str, str]] = []
    suspect: list[tuple[str, str]] = []
    for word, folded, kind in WordListEntry.objects.values_list("word", "folded", "kind"):
        entry = (word, policy.letters_key(folded))
        (banned if kind == WordListEntry.Kind.BANNED else suspect).append(entry)
    found = WordLists(banned=tuple(banned), suspect=tuple(suspect))
    cache.set(WORDS_KEY, found, CACHE_SECONDS)
    return found


def forget_cached() -> None:
    _worker().delete_many([SETTINGS_KEY, WORDS_KEY])
    cache.delete_many([SETTINGS_KEY, WORDS_KEY])


def list_word_entries() -> QuerySet[WordListEntry]:
    return WordListEntry.objects.select_related("created_by").order_by("kind", "word")


# --- the rules at an article -----------------------------------------------------------------


def comments_are_open(article: Article, *, now: dt.datetime | None = None) -> bool:
    """The article's own flag and the automatic closing, as the page and the actions see it."""
    return policy.comments_open(
        flag=article.comments_open,
        published_at=article.published_at,
        now=now or timezone.now(),
        auto_close_days=get_site_settings().auto_close_days,
    )


def premoderation_key(article_id: int) -> str:
    return f"moderation:premoderation:{article_id}"


def get_article_premoderation(article: Article) -> str:
    """The mode that applies to new comments on the article. Its own override is read on every
    post, so it is cached (dropped by do_set_article_discussion, the one place it changes)."""
    key = premoderation_key(article.pk)

    def from_database() -> str:
        return (
            ArticleModeration.objects.filter(article=article)
            .values_list("premoderation", flat=True)
            .first()
        ) or ""

    override = _worker().get_or_set(
        key, lambda: cache.get_or_set(key, from_database, CACHE_SECONDS)
    )
    return policy.effective_mode(
        site_mode=get_site_settings().premoderation, article_mode=override or None
    )


def count_visible_comments(user: User, *, excluding: int | None = None) -> int:
    """The reader's visible comments, `excluding` one (a comment being edited is judged as if it
    were posted anew)."""
    comments = Comment.objects.filter(author=user, status=VISIBLE)
    if excluding is not None:
        comments = comments.exclude(pk=excluding)
    return comments.count()


def has_verified_email(user: User) -> bool:
    """Whether the reader proved they own an email address. A site that verifies no addresses
    (ACCOUNT_EMAIL_VERIFICATION = "none") has nothing to ask for: the account's age decides."""
    if settings.ACCOUNT_EMAIL_VERIFICATION == "none":
        return True
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def is_established_reader(user: User, *, now: dt.datetime | None = None) -> bool:
    """Whether the reader's reports and votes count in full (policy.is_established)."""
    staff_or_moderator = user.is_staff or access.is_moderator(user)
    return policy.is_established(
        joined_at=user.date_joined,
        now=now or timezone.now(),
        has_verified_email=staff_or_moderator or has_verified_email(user),
        staff_or_moderator=staff_or_moderator,
    )


_NO_SANCTION = "none"


def forget_keys(*keys: str) -> None:
    """Drop cached sanctions or per-article modes (this worker at once, others within a
    second)."""
    _worker().delete_many(list(keys))
    cache.delete_many(list(keys))


def sanction_key(user_id: int, session_epoch: int) -> str:
    return f"moderation:sanction:{user_id}:{session_epoch}"


def find_active_sanction(user: User, *, now: dt.datetime | None = None) -> Sanction | None:
    """`get_active_sanction`, through the cache: asked on every post and vote.

    The key names the reader's `session_epoch`, which every new sanction moves (it ends their
    sessions), so no worker misses a new sanction; lifting drops the key. A cached suspension
    that has ended since answers None: it was the one that ends last, bans sort first.
    """
    now = now or timezone.now()
    key = sanction_key(user.pk, user.session_epoch)

    def from_database() -> Sanction | str:
        return get_active_sanction(user, now=now) or _NO_SANCTION

    worker = _worker()
    found = worker.get(key)
    if found is None:
        found = cache.get_or_set(key, from_database, CACHE_SECONDS)
        # "None" stays true for this key until the epoch moves, which every new sanction does:
        # kept longer here (a sanction, which lifting ends, for the worker cache's second).
        if found == _NO_SANCTION:
            worker.set(key, found, NO_SANCTION_SECONDS)
        else:
            worker.set(key, found)
    if not isinstance(found, Sanction) or (found.ends_at is not None and found.ends_at <= now):
        return None
    return found


def get_active_sanction(user: User, *, now: dt.datetime | None = None) -> Sanction | None:
    """The sanction in force, bans first, then the suspension that ends last."""
    return (
        Sanction.objects.filter(reader=user)
        .active(now=now)
        .order_by("kind", "-ends_at")  # "ban" sorts before "suspension"
        .first()
    )


def find_recent_duplicate(user: User, *, text: str, since: dt.datetime) -> Comment | None:
    wanted = policy.duplicate_key(text)
    for comment in (
        Comment.objects.filter(author=user, created_at__gte=since)
        .exclude(status=DELETED)
        .only("body", "created_at")
    ):
        if policy.duplicate_key(comment.body) == wanted:
            return comment
    return None


# --- queues ----------------------------------------------------------------------------------


def _open_reports() -> QuerySet[CommentReport]:
    return CommentReport.objects.filter(resolution=CommentReport.Resolution.OPEN)


def list_reports(*, comment: Comment) -> list[CommentReport]:
    """Every report on the comment, open or resolved, oldest first."""
    return list(comment.reports.select_related("reporter").order_by("created_at"))


def _with_context(queryset: QuerySet[Comment]) -> QuerySet[Comment]:
    reports = _open_reports().select_related("reporter").order_by("created_at")
    return queryset.select_related(
        "article", "author", "parent", "parent__author"
    ).prefetch_related(Prefetch("reports", queryset=reports, to_attr="open_reports"))


def list_pending(*, article: Article | None = None) -> QuerySet[Comment]:
    """Comments held for approval (pre-moderation, links, suspect words), oldest first. Those
    hidden by reports wait in the reported queue instead."""
    has_open_report = Exists(_open_reports().filter(comment=OuterRef("pk")))
    queryset = Comment.objects.filter(status=PENDING).filter(~has_open_report)
    if article is not None:
        queryset = queryset.filter(article=article)
    return _with_context(queryset).order_by("created_at", "pk")


def list_reported() -> QuerySet[Comment]:
    """Comments with open reports, the most reported first."""
    return (
        _with_context(Comment.objects.exclude(status__in=[DELETED, REJECTED]))
        .annotate(
            open_report_count=Count(
                "reports", filter=Q(reports__resolution=CommentReport.Resolution.OPEN)
            )
        )
        .filter(open_report_count__gt=0)
        .order_by("-open_report_count", "created_at", "pk")
    )


def list_recently_rejected(*, now: dt.datetime | None = None) -> QuerySet[Comment]:
    """Comments rejected in the last 30 days, newest decision first, with the decision."""
    since = (now or timezone.now()) - policy.RECENTLY_REJECTED
    decisions = AuditEntry.objects.filter(
        action=AuditEntry.Action.REJECT, comment=OuterRef("pk")
    ).order_by("-created_at", "-pk")
    return (
        _with_context(Comment.objects.filter(status=REJECTED))
        .annotate(
            rejected_at=decisions.values("created_at")[:1],
            rejection_reason=decisions.values("reason")[:1],
            rejected_by=decisions.values("actor__username")[:1],
        )
        .filter(rejected_at__gte=since)
        .order_by("-rejected_at", "-pk")
    )


# The moderation area's queues by the name in their address (moderation:queue).
QUEUES: dict[str, Callable[[], QuerySet[Comment]]] = {
    "pending": list_pending,
    "reported": list_reported,
    "rejected": list_recently_rejected,
}


def count_queues() -> dict[str, int]:
    return {
        "pending": list_pending().count(),
        "reported": list_reported().count(),
        "rejected": list_recently_rejected().count(),
    }


@dataclass
class ReaderSummary:
    """A reader at a glance, shown beside each of their comments in the queues."""

    counts: dict[str, int] = field(default_factory=dict)
    reports_received: int = 0
    sanction: Sanction | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summarise_readers(user_ids: set[int]) -> dict[int, ReaderSummary]:
    """Comment counts by status, reports received and the sanction in force, for many readers
    in three queries."""
    summaries = {uid: ReaderSummary() for uid in user_ids}
    if not user_ids:
        return summaries
    rows = (
        Comment.objects.filter(author_id__in=user_ids)
        .values("author_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        summaries[row["author_id"]].counts[row["status"]] = row["n"]
    reports = (
        CommentReport.objects.filter(comment__author_id__in=user_ids)
        .values("comment__author_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for report_row in reports:
        summaries[report_row["comment__author_id"]].reports_received = report_row["n"]
    for sanction in Sanction.objects.filter(reader_id__in=user_ids).active().order_by("starts_at"):
        current = summaries[sanction.reader_id].sanction
        if current is None or sanction.kind == Sanction.Kind.BAN:
            summaries[sanction.reader_id].sanction = sanction
    return summaries


@dataclass
class ReaderHistory:
    reader: object
    summary: ReaderSummary
    comments: list[Comment]
    sanctions: list[Sanction]
    entries: list[AuditEntry]


def get_reader_history(reader: User, *, limit: int = 30) -> ReaderHistory:
    summary = summarise_readers({reader.pk})[reader.pk]
    comments = list(
        Comment.objects.filter(author=reader)
        .select_related("article")
        .order_by("-created_at", "-pk")[:limit]
    )
    sanctions = list(
        Sanction.objects.filter(reader=reader).select_related("created_by", "lifted_by")
    )
    entries = list(
        AuditEntry.objects.filter(Q(reader=reader) | Q(comment__author=reader))
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    return ReaderHistory(reader, summary, comments, sanctions, entries)


def list_audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor", "reader", "article", "comment").order_by(
        "-created_at", "-pk"
    )


def list_recent_articles(*, limit: int = 50) -> QuerySet[Article]:
    return (
        Article.objects.published()
        .select_related("moderation")
        .annotate(
            pending_count=Count("comments", filter=Q(comments__status=PENDING)),
        )
        .latest_first()[:limit]
    )
