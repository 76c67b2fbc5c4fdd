"""Reads for the discussion under an article: a page of threads in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

import nh3
from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db import connections, router
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from minbar.accounts.models import AnyUser, User
from minbar.core.http import page_of
from minbar.core.roles import MODERATORS
from minbar.discussion import policy
from minbar.discussion.gate import get_gate
from minbar.discussion.models import Comment, CommentVote
from minbar.news.models import Article

VISIBLE = Comment.Status.VISIBLE
DELETED = Comment.Status.DELETED
PENDING = Comment.Status.PENDING

ORDERINGS = {
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "best": ("-best_rank", "created_at", "pk"),
}


@dataclass
class ShownComment:
    comment: Comment
    visual_depth: int
    number: int | None = None
    reply_to: Comment | None = None  # set when the reply is shown flattened below the nesting
    is_placeholder: bool = False
    is_own_pending: bool = False
    by_team: bool = False  # the author works for the site: staff, or may moderate comments


@dataclass
class Discussion:
    article: Article
    order: str
    page: Page
    items: list[ShownComment] = field(default_factory=list)
    # Chosen by moderators, shown first in the "featured" strip on every page of the discussion.
    featured: list[Comment] = field(default_factory=list)
    # The article's flag and the automatic closing (moderation.policy), as of this request.
    is_open: bool = True
    is_auto_closed: bool = False

    @property
    def count(self) -> int:
        return self.article.comment_count

    @property
    def order_query(self) -> str:
        """The order as the page's links spell it: nothing for the default order, the one
        spelling `news.views.article_detail` does not redirect."""
        return "" if self.order == policy.DEFAULT_ORDER else f"order={self.order}"


def _shown_statuses(user: AnyUser | None) -> Q:
    """Visible comments, deleted ones kept as placeholders, and the reader's own pending ones."""
    condition = Q(status=VISIBLE) | Q(status=DELETED)
    if user is not None and user.is_authenticated:
        condition |= Q(status=PENDING, author_id=user.pk)
    return condition


def list_threads(article: Article, *, order: str, user: AnyUser | None = None) -> QuerySet[Comment]:
    """The top-level comments shown under the article, in the page's order.

    A deleted top-level comment stays (as a placeholder) only while a visible reply hangs on it.
    """
    live_reply = Comment.objects.filter(root_id=OuterRef("pk"), status=VISIBLE)
    return (
        Comment.objects.filter(article=article, parent__isnull=True)
        .filter(_shown_statuses(user))
        .exclude(Q(status=DELETED) & ~Exists(live_reply))
        .select_related("author")
        .order_by(*ORDERINGS[order])
    )


def _flatten(
    roots: list[Comment], replies: list[Comment], *, first_number: int, user: AnyUser | None
) -> list[ShownComment]:
    children: dict[int, list[Comment]] = {}
    for reply in replies:
        if reply.parent_id is not None:
            children.setdefault(reply.parent_id, []).append(reply)

    def has_visible_below(comment: Comment) -> bool:
        return any(
            c.status == VISIBLE or has_visible_below(c) for c in children.get(comment.pk, [])
        )

    items: list[ShownComment] = []

    def walk(comment: Comment, parent: Comment | None) -> None:
        if comment.status == DELETED and not has_visible_below(comment):
            return
        depth = min(comment.depth, policy.MAX_VISUAL_DEPTH)
        items.append(
            ShownComment(
                comment=comment,
                visual_depth=depth,
                reply_to=parent if comment.depth > policy.MAX_VISUAL_DEPTH else None,
                is_placeholder=comment.status == DELETED,
                is_own_pending=comment.status == PENDING,
            )
        )
        for child in children.get(comment.pk, []):
            walk(child, comment)

    for offset, root in enumerate(roots):
        start = len(items)
        walk(root, None)
        if len(items) > start:
            items[start].number = first_number + offset
    return items


def get_discussion(*, article: Article, order: str, page: str = "1") -> Discussion:
    """Page `page` (a number in ASCII digits, or "last"; Http404 for a page that does not exist)
    of the discussion in `order` (one of `policy.ORDERS`), as every reader sees it: nothing
    here depends on who asks (a reader's own votes, comments awaiting review and controls come
    from minbar/serving's reader state)."""
    is_open = get_gate().comments_are_open(article)
    threads = list_threads(article, order=order)
    shown = page_of(threads, number=page, per_page=policy.THREADS_PER_PAGE)
    roots = list(shown.object_list)
    replies: list[Comment] = []
    if roots:
        replies = list(
            Comment.objects.filter(root_id__in=[r.pk for r in roots])
            .filter(_shown_statuses(None))
            .select_related("author")
            .order_by("created_at", "pk")
        )
    items = _flatten(roots, replies, first_number=shown.start_index() or 1, user=None)
    team = team_member_ids({item.comment.author_id for item in items})
    for item in items:
        item.by_team = item.comment.author_id in team
    return Discussion(
        article=article,
        order=order,
        page=shown,
        items=items,
        featured=list_featured(article),
        is_open=is_open,
        is_auto_closed=article.comments_open and not is_open,
    )


def team_member_ids(user_ids: set[int]) -> set[int]:
    """Which of these accounts work for the site: staff, or members of the moderators' group.
    What the team mark beside a name is drawn from, never the name itself. One query, made
    when the discussion is rendered (once per version in production)."""
    if not user_ids:
        return set()
    return set(
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .filter(Q(is_staff=True) | Q(groups__name=MODERATORS))
        .values_list("pk", flat=True)
        .distinct()
    )


def votes_of(voter_id: int, comment_ids: list[int]) -> dict[int, int]:
    """The reader's votes on these comments. In SQL of its own: the ORM prepares each of the
    hundreds of ids of a page one by one, which cost more than the query. The ids are the
    page's own integers, passed as parameters."""
    if not comment_ids:
        return {}
    table = CommentVote._meta.db_table
    marks = ", ".join(["%s"] * len(comment_ids))
    with connections[router.db_for_read(CommentVote)].cursor() as cursor:
        cursor.execute(
            f"SELECT comment_id, value FROM {table} "
            f"WHERE voter_id = %s AND comment_id IN ({marks})",
            [voter_id, *comment_ids],
        )
        return dict(cursor.fetchall())


def list_own_comments(article: Article, *, author: User) -> list[tuple[int, str, dt.datetime]]:
    """The reader's comments on the article that are shown (visible, or awaiting review), as
    (pk, status, created_at) rows: asked on every view of a signed-in reader."""
    return list(
        Comment.objects.filter(article=article, author=author, status__in=[VISIBLE, PENDING])
        .order_by("created_at", "pk")
        .values_list("pk", "status", "created_at")
    )


@dataclass(frozen=True)
class OwnAndVotes:
    own: list[tuple[int, str, dt.datetime]]  # as list_own_comments
    votes: dict[int, int]  # as votes_of


def own_comments_and_votes(
    *, article_id: int, reader_id: int, comment_ids: list[int]
) -> OwnAndVotes:
    """`list_own_comments` and `votes_of` (on `comment_ids`) in one query: what the reader's
    state asks after every page a signed-in reader opens. Hand-written SQL, like votes_of: the
    ORM's compiling of two querysets cost several times their running; the ids and statuses
    are passed as parameters."""
    comment = Comment._meta
    created = comment.get_field("created_at")
    database = router.db_for_read(Comment)
    connection = connections[database]
    sql = (
        f"SELECT id, status, created_at, 0 FROM {comment.db_table} "
        "WHERE article_id = %s AND author_id = %s AND status IN (%s, %s)"
    )
    params: list[int | str] = [article_id, reader_id, str(VISIBLE), str(PENDING)]
    if comment_ids:
        marks = ", ".join(["%s"] * len(comment_ids))
        sql += (
            f" UNION ALL SELECT comment_id, NULL, NULL, value FROM {CommentVote._meta.db_table} "
            f"WHERE voter_id = %s AND comment_id IN ({marks})"
        )
        params += [reader_id, *comment_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    column = created.get_col(comment.db_table)
    convert = [*connection.ops.get_db_converters(column), *created.get_db_converters(connection)]
    own = []
    votes = {}
    for pk, status, created_at, value in rows:
        if status is None:
            votes[pk] = value
            continue
        for converter in convert:
            created_at = converter(created_at, column, connection)
        own.append((pk, status, created_at))
    own.sort(key=lambda row: (row[2], row[0]))
    return OwnAndVotes(own=own, votes=votes)


def with_live_replies(comment_ids: list[int]) -> set[int]:
    """Which of these comments have a reply that is not deleted or rejected (they can no
    longer be edited)."""
    return set(
        Comment.objects.filter(parent_id__in=comment_ids)
        .exclude(status__in=[DELETED, Comment.Status.REJECTED])
        .values_list("parent_id", flat=True)
    )


def list_comments_for_display(comment_ids: list[int]) -> list[Comment]:
    """These comments with their authors, oldest first (a reader's own, awaiting review)."""
    return list(
        Comment.objects.filter(pk__in=comment_ids)
        .select_related("author")
        .order_by("created_at", "pk")
    )


FEATURED_MAX = 5


def list_featured(article: Article) -> list[Comment]:
    """The visible featured comments of the article, oldest first; one query."""
    return list(
        Comment.objects.filter(article=article, status=VISIBLE, is_featured=True)
        .select_related("author")
        .order_by("created_at", "pk")[:FEATURED_MAX]
    )


def _threads_before(root: Comment, *, order: str) -> Q:
    """Top-level comments shown before `root` in `order` (the orderings above, as filters)."""
    if order == "newest":
        return Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__gt=root.pk)
    if order == "best":
        return (
            Q(best_rank__gt=root.best_rank)
            | Q(best_rank=root.best_rank, created_at__lt=root.created_at)
            | Q(best_rank=root.best_rank, created_at=root.created_at, pk__lt=root.pk)
        )
    return Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)


def _shown_as_thread(comment: Comment, *, user: AnyUser | None) -> bool:
    """Whether a top-level comment is certainly listed, without asking the database (a deleted
    one is listed only while a visible reply hangs on it: that needs the query)."""
    if comment.status == VISIBLE:
        return True
    own = user is not None and user.is_authenticated and comment.author_id == user.pk
    return comment.status == PENDING and own


def find_posted_comment_page(comment: Comment, *, order: str, user: AnyUser | None) -> int | str:
    """The page to send a reader to after posting `comment`: `"last"` (which `paginate`
    accepts) for a new thread in the oldest-first order of a discussion that may run past one
    page, as a new thread always ends that list, with no need to count the threads before it;
    otherwise the counted page (cheap on a short discussion, and exact)."""
    counted_with_it = comment.article.comment_count + 1  # the article as read before posting
    if (
        comment.root_id is None
        and order == "oldest"
        and not policy.fits_on_one_page(counted_with_it)
    ):
        return "last"
    return find_comment_page(comment, order=order, user=user)


def find_comment_page(
    comment: Comment, *, order: str = policy.DEFAULT_ORDER, user: AnyUser | None = None
) -> int:
    """The page of the discussion on which `comment` (or its thread) is shown.

    Counts the threads before it instead of listing them, so a post to an article with
    thousands of comments costs the same as to one with ten.
    """
    threads = list_threads(comment.article, order=order, user=user).order_by()
    if comment.root_id is None and order != "best" and _shown_as_thread(comment, user=user):
        # Time and id never change (a rank does, under votes): the comment just posted costs
        # one query, the count.
        root = comment
    else:
        root = Comment.objects.only("pk", "created_at", "best_rank").get(
            pk=comment.root_id or comment.pk
        )
        if not threads.filter(pk=root.pk).exists():
            return 1
    position = threads.filter(_threads_before(root, order=order)).count()
    return position // policy.THREADS_PER_PAGE + 1


def edit_seconds_left(created_at: dt.datetime, *, now: dt.datetime | None = None) -> int:
    """Seconds until the author may no longer edit a comment made at `created_at` (0: the
    window has closed)."""
    now = now or timezone.now()
    return max(0, int((created_at + policy.EDIT_WINDOW - now).total_seconds()))


def get_comment_actions(comment: Comment, *, reader: User) -> dict:
    """What `reader` may do with `comment`, for the page that lists it without JavaScript."""
    is_own = comment.author_id == reader.pk
    shown = comment.status == VISIBLE
    has_replies = (
        is_own
        and Comment.objects.filter(parent=comment)
        .exclude(status__in=[DELETED, Comment.Status.REJECTED])
        .exists()
    )
    seconds_left = edit_seconds_left(comment.created_at) if is_own and not has_replies else 0
    return {
        "comment": comment,
        "article": comment.article,
        "is_own": is_own,
        "can_vote": shown and not is_own,
        "my_vote": votes_of(reader.pk, [comment.pk]).get(comment.pk, 0) if shown else 0,
        "can_reply": shown and get_gate().comments_are_open(comment.article),
        "can_edit": comment.status != DELETED and seconds_left > 0,
        "edit_minutes_left": (seconds_left + 59) // 60,
        "can_delete": is_own and comment.status != DELETED,
        "can_report": shown and not is_own,
    }


# --- a reader's profile -------------------------------------------------------------------

PROFILE_LATEST_COMMENTS = 10
PROFILE_EXCERPT_CHARS = 200


@dataclass(frozen=True)
class ProfileComment:
    comment: Comment
    excerpt: str


@dataclass(frozen=True)
class ReaderProfile:
    reader: User
    comment_count: int
    total_score: int
    latest_comments: list[ProfileComment]


def _shown_comments(reader: User) -> QuerySet[Comment]:
    """The reader's comments that anyone can read: visible, under an article that is live.

    A comment under a draft or unpublished article is left out, so the profile never leaks the
    title of an article readers cannot open.
    """
    return Comment.objects.visible().filter(author=reader, article__in=Article.objects.published())


def _excerpt(body_html: str) -> str:
    """The comment as plain text, cut at a word near PROFILE_EXCERPT_CHARS (the template escapes
    it)."""
    text = " ".join(html.unescape(nh3.clean(body_html, tags=set())).split())
    if len(text) <= PROFILE_EXCERPT_CHARS:
        return text
    return text[: PROFILE_EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def get_reader_profile(*, reader: User) -> ReaderProfile:
    """Two queries whatever the number of comments: one aggregate, one short list."""
    totals = _shown_comments(reader).aggregate(
        count=Count("pk"),
        score=Coalesce(Sum(F("imported_score") + F("upvotes") - F("downvotes")), 0),
    )
    latest = [
        ProfileComment(comment=comment, excerpt=_excerpt(comment.body_html))
        for comment in
        _shown_comments(reader)
        .select_related("article")
        .only(
            "pk", "body_html", "created_at", "imported_score", "upvotes", "downvotes", "author_id",
            "article__slug", "article__title",
        )
        .order_by("-created_at", "-pk")[:PROFILE_LATEST_COMMENTS]
    ]  # fmt: skip
    return ReaderProfile(
        reader=reader,
        comment_count=totals["count"],
        total_score=totals["score"],
        latest_comments=latest,
    )


# --- the counters, recounted from their rows (the recount command) -------------------------

# best_rank is a float recomputed from integers; anything further off than this was not.
RANK_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Mismatch:
    model: str  # "article" or "comment"
    pk: int
    field: str
    stored: float
    counted: float

    def __str__(self) -> str:
        values = {
            "pk": self.pk,
            "field": self.field,
            "stored": self.stored,
            "counted": self.counted,
        }
        if self.model == "article":
            return _("Article %(pk)s: %(field)s is %(stored)s, counted %(counted)s.") % values
        return _("Comment %(pk)s: %(field)s is %(stored)s, counted %(counted)s.") % values


def count_visible_comments_of_article() -> Coalesce:
    """An expression for Article rows: how many of its comments are visible."""
    counted = (
        Comment.objects.filter(article=OuterRef("pk"), status=VISIBLE)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def count_counted_votes(value: int) -> Coalesce:
    """An expression for Comment rows: how many counted votes of `value` it has."""
    counted = (
        CommentVote.objects.filter(comment=OuterRef("pk"), value=value, is_counted=True)
        .order_by()
        .values("comment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def find_counter_mismatches() -> list[Mismatch]:
    """Every stored counter that differs from a recount of its rows."""
    found: list[Mismatch] = []
    articles = (
        Article.objects.annotate(counted=count_visible_comments_of_article())
        .exclude(comment_count=F("counted"))
        .order_by("pk")
        .values_list("pk", "comment_count", "counted")
    )
    for pk, stored, counted in articles:
        found.append(Mismatch("article", pk, "comment_count", stored, counted))
    comments = (
        Comment.objects.annotate(up=count_counted_votes(1), down=count_counted_votes(-1))
        .order_by("pk")
        .values_list("pk", "upvotes", "downvotes", "up", "down", "imported_score", "best_rank")
    )
    for pk, upvotes, downvotes, up, down, imported, rank in comments.iterator(chunk_size=2000):
        if upvotes != up:
            found.append(Mismatch("comment", pk, "upvotes", upvotes, up))
        if downvotes != down:
            found.append(Mismatch("comment", pk, "downvotes", downvotes, down))
        expected = policy.best_rank(upvotes=up, downvotes=down, imported_score=imported)
        if abs(rank - expected) > RANK_TOLERANCE:
            found.append(Mismatch("comment", pk, "best_rank", rank, expected))
    return found


def list_most_discussed_articles(*, hours: int = 48, limit: int = 5) -> list[Article]:
    """Live articles with the most visible comments posted in the last `hours`, in one query."""
    since = timezone.now() - dt.timedelta(hours=hours)
    recent = Q(comments__status=Comment.Status.VISIBLE, comments__created_at__gte=since)
    return list(
        Article.objects.published()
        .annotate(recent_comments=Count("comments", filter=recent))
        .filter(recent_comments__gt=0)
        .order_by("-recent_comments", "-published_at", "-pk")
        .select_related("section")[:limit]
    )
