"""Every change to comments and votes. `check_*` applies the rules to a request and raises
DiscussionError with a reader-facing message; `do_*` changes state atomically, keeps the
counters exact and announces the change after commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.accounts.models import AnyUser, User
from minbar.core.announce import announce
from minbar.core.signals import comment_posted, discussion_changed
from minbar.core.tasks import announce_in_background
from minbar.core.text import clean_user_text, render_comment_markdown
from minbar.discussion import policy, selectors
from minbar.discussion.changes import announce_changes
from minbar.discussion.errors import DiscussionError
from minbar.discussion.gate import get_gate
from minbar.discussion.models import COMMENT_MAX, Comment, CommentVote
from minbar.news.models import Article

VISIBLE = Comment.Status.VISIBLE
DELETED = Comment.Status.DELETED


def _announce(
    article_id: int,
    comment_ids: list[int],
    *,
    counter_moved: bool | None = None,
    posted: Comment | None = None,
) -> None:
    announce(
        discussion_changed,
        sender=Comment,
        article_id=article_id,
        comment_ids=comment_ids,
        counter_moved=counter_moved,
        posted=posted,
    )


def _move_count(article_id: int, delta: int) -> None:
    if delta:
        Article.objects.filter(pk=article_id).update(comment_count=F("comment_count") + delta)


# --- posting ---------------------------------------------------------------------------------


def check_comment_text(text: str) -> str:
    """The text as it will be stored, or a refusal. Length is checked before any work."""
    if len(text) > COMMENT_MAX * 2:
        raise DiscussionError("too-long", _too_long_message(), field="text")
    text = clean_user_text(text).strip()
    if not text:
        raise DiscussionError("empty", _("Write something before posting."), field="text")
    if len(text) > COMMENT_MAX:
        raise DiscussionError("too-long", _too_long_message(), field="text")
    return text


def _too_long_message() -> str:
    return _("A comment can be at most %(max)s characters long.") % {"max": COMMENT_MAX}


def check_comments_open(article: Article) -> None:
    """Open means the article's own flag and the automatic closing N days after publication
    (moderation's rule, applied when reading)."""
    if not article.is_live():
        raise DiscussionError("not-found", _("This article is not published."), status=404)
    if not get_gate().comments_are_open(article):
        raise DiscussionError(
            "closed", _("Comments are closed on this article."), status=403, field="text"
        )


def check_reply_target(article: Article, *, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = Comment.objects.filter(pk=parent_id).first()
    if parent is None or parent.article_id != article.pk:
        raise DiscussionError(
            "bad-parent", _("The comment you are replying to does not exist."), field="parent"
        )
    if parent.status != VISIBLE:
        raise DiscussionError(
            "bad-parent",
            _("The comment you are replying to has been removed."),
            field="parent",
        )
    return parent


def check_post_comment(
    *, article: Article, author: User, text: str, parent_id: int | None = None
) -> Comment:
    """Apply every rule to a reader's new comment, then post it."""
    if not author.is_authenticated or not author.is_active:
        raise DiscussionError("sign-in", _("Sign in to comment."), status=403)
    text = check_comment_text(text)
    check_comments_open(article)
    parent = check_reply_target(article, parent_id=parent_id)
    status = get_gate().check_post(article=article, author=author, text=text, parent=parent)
    return do_post_comment(article=article, author=author, text=text, parent=parent, status=status)


@transaction.atomic
def do_post_comment(
    *,
    article: Article,
    author: User,
    text: str,
    parent: Comment | None = None,
    status: str = VISIBLE,
    created_at: dt.datetime | None = None,
) -> Comment:
    """Store a comment (text already checked) and count it if it is visible."""
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author=author,
        body=text,
        body_html=render_comment_markdown(text),
        status=status,
        created_at=created_at or timezone.now(),
    )
    if status == VISIBLE:
        _move_count(article.pk, +1)
    _announce(article.pk, [comment.pk], counter_moved=status == VISIBLE, posted=comment)
    # Indexing and notifications: in the worker, queued in this transaction.
    announce_in_background(comment_posted, comment_id=comment.pk, article_id=article.pk)
    return comment


# --- editing and deleting --------------------------------------------------------------------


def _has_live_replies(comment: Comment) -> bool:
    return comment.replies.exclude(status__in=[DELETED, Comment.Status.REJECTED]).exists()


def check_edit_comment(comment: Comment, *, editor: User, text: str) -> Comment:
    if comment.author_id != editor.pk:
        raise DiscussionError("forbidden", _("You can only edit your own comments."), status=403)
    if comment.status == DELETED:
        raise DiscussionError("gone", _("This comment has been deleted."), status=410)
    if not policy.within_edit_window(created_at=comment.created_at, now=timezone.now()):
        raise DiscussionError("edit-window", _edit_window_message(), status=403)
    if _has_live_replies(comment):
        raise DiscussionError(
            "has-replies", _("A comment cannot be edited once someone has replied."), status=403
        )
    text = check_comment_text(text)
    status = get_gate().check_edit(comment, editor=editor, text=text)
    comment = do_edit_comment(comment, text=text)
    if status != comment.status:
        # An edit that brings in suspect words sends the comment back to the moderators.
        do_change_comment_status(comment, status=status)
    return comment


def _edit_window_message() -> str:
    minutes = int(policy.EDIT_WINDOW.total_seconds() // 60)
    return ngettext(
        "Comments can only be edited in the first %(n)s minute.",
        "Comments can only be edited in the first %(n)s minutes.",
        minutes,
    ) % {"n": minutes}


@transaction.atomic
def do_edit_comment(comment: Comment, *, text: str) -> Comment:
    comment.body = text
    comment.body_html = render_comment_markdown(text)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    _announce(comment.article_id, [comment.pk])
    return comment


def check_delete_comment(comment: Comment, *, user: AnyUser) -> None:
    if comment.author_id != user.pk:
        raise DiscussionError("forbidden", _("You can only delete your own comments."), status=403)
    if comment.status == DELETED:
        raise DiscussionError("gone", _("This comment has been deleted."), status=410)
    do_delete_comment(comment)


@transaction.atomic
def do_delete_comment(comment: Comment) -> None:
    """The author's deletion: the text is wiped; a thread with replies keeps a placeholder."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    was_visible = locked.status == VISIBLE
    locked.status = DELETED
    locked.body = ""
    locked.body_html = ""
    locked.save(update_fields=["status", "body", "body_html"])
    _move_count(locked.article_id, -1 if was_visible else 0)
    comment.status = DELETED
    _announce(locked.article_id, [locked.pk], counter_moved=was_visible)


@transaction.atomic
def do_change_comment_status(comment: Comment, *, status: str) -> Comment:
    """The one place where a comment changes visibility (moderation, imports): the article's
    count moves with it in the same transaction."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    before = locked.status == VISIBLE
    after = status == VISIBLE
    locked.status = status
    locked.save(update_fields=["status"])
    _move_count(locked.article_id, int(after) - int(before))
    comment.status = status
    _announce(locked.article_id, [locked.pk], counter_moved=before != after)
    return comment


# --- votes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    comment_id: int
    score: int
    upvotes: int
    downvotes: int
    my_vote: int
    # False when the reader's vote is recorded but does not move the score (decision 0008).
    counted: bool = True


def check_cast_vote(comment: Comment, *, voter: User, value: int) -> Tally:
    """+1, -1, or 0 to take one's vote back. Setting the same vote twice changes nothing."""
    if value not in (-1, 0, 1):
        raise DiscussionError("bad-vote", _("A vote is up or down."))
    if comment.author_id == voter.pk:
        raise DiscussionError("own-comment", _("You cannot vote on your own comment."), status=403)
    if comment.status != VISIBLE:
        raise DiscussionError("gone", _("This comment can no longer be voted on."), status=410)
    counted = get_gate().check_vote(voter=voter)
    return do_cast_vote(comment, voter=voter, value=value, counted=counted)


def do_cast_vote(comment: Comment, *, voter: User, value: int, counted: bool = True) -> Tally:
    """Set the reader's vote; the comment's counters move by the difference, atomically.
    A vote that is not `counted` is recorded (the reader sees it as theirs) but the counters
    leave it out; casting it again once the reader counts makes it count.

    Concurrent requests of one reader meet at the unique constraint: the loser of the insert
    race retries as an update of the row the winner wrote.
    """
    for _attempt in range(3):
        try:
            return _cast_vote_once(comment, voter=voter, value=value, counted=counted)
        except IntegrityError:
            continue
    return _cast_vote_once(comment, voter=voter, value=value, counted=counted)


@transaction.atomic
def _cast_vote_once(comment: Comment, *, voter: User, value: int, counted: bool) -> Tally:
    existing = CommentVote.objects.select_for_update().filter(comment=comment, voter=voter).first()
    old, old_counted = (existing.value, existing.is_counted) if existing else (0, False)
    counted = counted and value != 0
    if (old, old_counted) != (value, counted):
        if existing and value == 0:
            existing.delete()
        elif existing:
            existing.value, existing.is_counted = value, counted
            existing.save(update_fields=["value", "is_counted"])
        else:
            with transaction.atomic():
                CommentVote.objects.create(
                    comment=comment, voter=voter, value=value, is_counted=counted
                )
    d_up = int(value == 1 and counted) - int(old == 1 and old_counted)
    d_down = int(value == -1 and counted) - int(old == -1 and old_counted)
    if d_up or d_down:
        Comment.objects.filter(pk=comment.pk).update(
            upvotes=F("upvotes") + d_up, downvotes=F("downvotes") + d_down
        )
    fresh = Comment.objects.values("upvotes", "downvotes", "imported_score", "article_id").get(
        pk=comment.pk
    )
    if d_up or d_down:
        rank = policy.best_rank(
            upvotes=fresh["upvotes"],
            downvotes=fresh["downvotes"],
            imported_score=fresh["imported_score"],
        )
        Comment.objects.filter(pk=comment.pk).update(best_rank=rank)
        _announce(fresh["article_id"], [comment.pk], counter_moved=False)
    return Tally(
        comment_id=comment.pk,
        score=fresh["imported_score"] + fresh["upvotes"] - fresh["downvotes"],
        upvotes=fresh["upvotes"],
        downvotes=fresh["downvotes"],
        my_vote=value,
        counted=counted or value == 0,
    )


# --- repairing the counters (the recount command) -----------------------------------------


@transaction.atomic
def do_repair_counters(mismatches: list[selectors.Mismatch]) -> int:
    """Set the counters of the mismatched rows from their rows, in one transaction. Each UPDATE
    counts in the statement itself, so a vote landing meanwhile is not lost."""
    article_ids = sorted({m.pk for m in mismatches if m.model == "article"})
    comment_ids = sorted({m.pk for m in mismatches if m.model == "comment"})
    for start in range(0, len(article_ids), 500):
        Article.objects.filter(pk__in=article_ids[start : start + 500]).update(
            comment_count=selectors.count_visible_comments_of_article()
        )
    for start in range(0, len(comment_ids), 500):
        chunk = comment_ids[start : start + 500]
        Comment.objects.filter(pk__in=chunk).update(
            upvotes=selectors.count_counted_votes(1), downvotes=selectors.count_counted_votes(-1)
        )
        rows = (
            Comment.objects.select_for_update()
            .filter(pk__in=chunk)
            .only("pk", "upvotes", "downvotes", "imported_score", "best_rank")
        )
        fixed = []
        for row in rows:
            row.best_rank = policy.best_rank(
                upvotes=row.upvotes, downvotes=row.downvotes, imported_score=row.imported_score
            )
            fixed.append(row)
        Comment.objects.bulk_update(fixed, fields=["best_rank"], batch_size=500)
    if article_ids or comment_ids:
        _announce_recounted(article_ids, comment_ids)
    return len(article_ids) + len(comment_ids)


def _announce_recounted(article_ids: list[int], comment_ids: list[int]) -> None:
    by_article: dict[int, list[int]] = {}
    for pk, article_id in Comment.objects.filter(pk__in=comment_ids).values_list(
        "pk", "article_id"
    ):
        by_article.setdefault(article_id, []).append(pk)
    announce_changes(articles=article_ids, discussions=by_article)
