"""Reads for the discussion under an article: a page of threads in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, QuerySet

from minbar.core.http import paginate
from minbar.discussion import policy
from minbar.discussion.models import Comment, CommentVote
from minbar.moderation.selectors import comments_are_open
from minbar.news.models import Article
from minbar.serving.fragments import find_comment_list

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


@dataclass
class Discussion:
    article: Article
    order: str
    page: object
    items: list[ShownComment] = field(default_factory=list)
    my_votes: dict[int, int] = field(default_factory=dict)
    # Chosen by moderators, shown first in the "featured" strip on every page of the discussion.
    featured: list[Comment] = field(default_factory=list)
    # The article's flag and the automatic closing (moderation.policy), as of this request.
    is_open: bool = True
    is_auto_closed: bool = False
    # The comment list already rendered for this version of the discussion (minbar/serving):
    # then `items` and `featured` come from it and {% comment_items %} reuses its HTML.
    shared: object | None = None

    @property
    def count(self) -> int:
        return self.article.comment_count

    @property
    def order_query(self) -> str:
        """The order as the page's links spell it: nothing for the default order, the one
        spelling `news.views.article_detail` does not redirect."""
        return "" if self.order == policy.DEFAULT_ORDER else f"order={self.order}"


def _shown_statuses(user) -> Q:
    """Visible comments, deleted ones kept as placeholders, and the reader's own pending ones."""
    condition = Q(status=VISIBLE) | Q(status=DELETED)
    if user is not None and user.is_authenticated:
        condition |= Q(status=PENDING, author_id=user.pk)
    return condition


def list_threads(article: Article, *, order: str, user=None) -> QuerySet[Comment]:
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


def _flatten(roots: list[Comment], replies: list[Comment], *, first_number: int, user):
    children: dict[int, list[Comment]] = {}
    for reply in replies:
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


def _votes_of(voter_id: int, comment_ids: list[int]) -> dict[int, int]:
    """The reader's votes on these comments. In SQL of its own: the ORM prepares each of the
    hundreds of ids of a page one by one, which cost more than the query on every signed-in
    page view. The ids are the page's own integers, passed as parameters."""
    table = CommentVote._meta.db_table
    marks = ", ".join(["%s"] * len(comment_ids))
    with connections[router.db_for_read(CommentVote)].cursor() as cursor:
        cursor.execute(
            f"SELECT comment_id, value FROM {table} "
            f"WHERE voter_id = %s AND comment_id IN ({marks})",
            [voter_id, *comment_ids],
        )
        return dict(cursor.fetchall())


def get_discussion(request, *, article: Article) -> Discussion:
    """The page of the discussion that the request asks for (`?order=`, `?page=`)."""
    user = request.user
    order = policy.parse_order(request.GET.get("order"))
    is_open = comments_are_open(article)
    shared = find_comment_list(request, article=article, order=order, is_open=is_open)
    if shared is not None:
        page, items = shared.page(), shared.shown()
    else:
        page = paginate(
            request,
            list_threads(article, order=order, user=user),
            per_page=policy.THREADS_PER_PAGE,
        )
        roots = list(page.object_list)
        replies: list[Comment] = []
        if roots:
            replies = list(
                Comment.objects.filter(root_id__in=[r.pk for r in roots])
                .filter(_shown_statuses(user))
                .select_related("author")
                .order_by("created_at", "pk")
            )
        items = _flatten(roots, replies, first_number=page.start_index() or 1, user=user)
    my_votes: dict[int, int] = {}
    if user.is_authenticated and items:
        my_votes = _votes_of(user.pk, [i.comment.pk for i in items])
    return Discussion(
        article=article,
        order=order,
        page=page,
        items=items,
        my_votes=my_votes,
        featured=list(shared.featured) if shared is not None else list_featured(article),
        is_open=is_open,
        is_auto_closed=article.comments_open and not is_open,
        shared=shared,
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


def _shown_as_thread(comment: Comment, *, user) -> bool:
    """Whether a top-level comment is certainly listed, without asking the database (a deleted
    one is listed only while a visible reply hangs on it: that needs the query)."""
    if comment.status == VISIBLE:
        return True
    own = user is not None and user.is_authenticated and comment.author_id == user.pk
    return comment.status == PENDING and own


def find_posted_comment_page(comment: Comment, *, order: str, user) -> int | str:
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


def find_comment_page(comment: Comment, *, order: str = policy.DEFAULT_ORDER, user=None) -> int:
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


def list_most_discussed_articles(*, hours: int = 48, limit: int = 5) -> list:
    """Live articles with the most visible comments posted in the last `hours`, in one query."""
    from django.db.models import Count
    from django.utils import timezone

    since = timezone.now() - dt.timedelta(hours=hours)
    recent = Q(comments__status=Comment.Status.VISIBLE, comments__created_at__gte=since)
    return list(
        Article.objects.published()
        .annotate(recent_comments=Count("comments", filter=recent))
        .filter(recent_comments__gt=0)
        .order_by("-recent_comments", "-published_at", "-pk")
        .select_related("section")[:limit]
    )
