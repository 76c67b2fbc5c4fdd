"""The reader's state: what a public page cannot say because it is the same for everyone.

`get_reader_state` is what `/me/state/` answers (static/js/minbar.js applies it): who is
signed in and their header links, a CSRF token, and on an article their votes on the comments
of the page, their own comments (those still editable, with the time left), their comments
awaiting review rendered in place, whether they may post and why not, and staff links.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import router
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.accounts.models import AnyUser, User
from minbar.accounts.permissions import load_permissions_to_show
from minbar.discussion import policy as discussion_policy
from minbar.discussion.errors import DiscussionError
from minbar.discussion.models import Comment
from minbar.discussion.selectors import (
    ShownComment,
    edit_seconds_left,
    list_comments_for_display,
    own_comments_and_votes,
    with_live_replies,
)
from minbar.moderation import access as moderation_access
from minbar.moderation import policy as moderation_policy
from minbar.moderation import ratelimit
from minbar.moderation import selectors as moderation
from minbar.moderation.gate import check_not_sanctioned, wait_message
from minbar.news.models import Article
from minbar.news.selectors import STATE_FIELDS, find_article_for_state
from minbar.notify.selectors import ReaderSummary, get_reader_summary
from minbar.serving.discussions import page_comment_ids


@dataclass(frozen=True)
class PostingState:
    may_post: bool
    # "", "sign-in", "closed", "banned", "suspended" (may_post False), or "wait" (may post
    # after `wait` seconds).
    code: str = ""
    message: str = ""
    held: bool = False  # their comments wait for a moderator before they show
    held_message: str = ""
    wait: int = 0


def _posting_wait(user: User) -> int:
    now = timezone.now()
    if moderation_policy.is_new_account(joined_at=user.date_joined, now=now):
        return ratelimit.wait(
            "comment-new-account", ident=str(user.pk), anchor=user.date_joined.timestamp()
        )
    return ratelimit.wait("comment", ident=str(user.pk))


def _is_held(user: User, *, article: Article, trusted: bool) -> bool:
    if trusted:
        return False
    mode = moderation.get_article_premoderation(article)
    if mode == moderation_policy.ALL:
        return True
    if mode != moderation_policy.NEW_READERS:
        return False
    site = moderation.get_site_settings()
    return moderation_policy.is_new_reader(
        visible_comments=moderation.count_visible_comments(user),
        required=site.new_reader_comments,
    )


def get_posting_state(
    user: AnyUser, *, article: Article, is_moderator: bool | None = None
) -> PostingState:
    """Whether `user` may post on `article` now, as the posting checks would answer."""
    if not user.is_authenticated or not user.is_active:
        return PostingState(may_post=False, code="sign-in", message=_("Sign in to comment."))
    if not moderation.comments_are_open(article):
        return PostingState(
            may_post=False, code="closed", message=_("Comments are closed on this article.")
        )
    try:
        check_not_sanctioned(user)
    except DiscussionError as refused:
        return PostingState(may_post=False, code=refused.code, message=refused.message)
    if is_moderator is None:
        is_moderator = moderation_access.is_moderator(user)
    held = _is_held(user, article=article, trusted=user.is_staff or is_moderator)
    held_message = _("Your comment will appear once a moderator has approved it.") if held else ""
    wait = _posting_wait(user)
    if wait:
        return PostingState(
            may_post=True,
            code="wait",
            message=wait_message(wait),
            held=held,
            held_message=held_message,
            wait=wait,
        )
    return PostingState(may_post=True, held=held, held_message=held_message)


def _header(request: HttpRequest, *, is_moderator: bool, summary: ReaderSummary) -> dict[str, Any]:
    user = cast(User, request.user)  # signed in: get_reader_state asks only then
    links = [{"href": reverse("accounts:settings"), "label": _("Account settings")}]
    if is_moderator:
        links.append({"href": reverse("moderation:home"), "label": _("Moderation")})
    if user.is_staff and user.has_perm("news.change_article"):
        links.append({"href": reverse("admin:index"), "label": _("Newsroom")})
    unread = summary.unread
    return {
        "notifications": {
            "href": reverse("notify:inbox"),
            "label": _("Notifications"),
            "unread": unread,
            "unreadLabel": ngettext("%(n)s unread", "%(n)s unread", unread) % {"n": unread},
        },
        "name": user.public_name,
        "profile": reverse("accounts:profile", args=[user.username]),
        "links": links,
        "signOut": {"href": reverse("account_logout"), "label": _("Sign out")},
    }


def _messages(request: HttpRequest) -> list[dict[str, str]]:
    return [{"level": m.tags, "text": str(m)} for m in get_messages(request)]


def _pending_html(item_comment: Comment, *, article: Article) -> str:
    item = ShownComment(
        comment=item_comment,
        visual_depth=min(item_comment.depth, discussion_policy.MAX_VISUAL_DEPTH),
        is_own_pending=True,
    )
    return render_to_string(
        "discussion/_comment.html", {"item": item, "discussion": {"is_open": False}}
    )


def _staff_links(user: User, *, article: Article, is_moderator: bool) -> list[dict[str, str]]:
    links = []
    if is_moderator:
        links.append(
            {
                "href": reverse("moderation:article", args=[article.pk]),
                "label": _("Moderate this discussion"),
            }
        )
    if user.is_staff and user.has_perm("news.change_article"):
        links.append(
            {
                "href": reverse("admin:news_article_change", args=[article.pk]),
                "label": _("Edit this article"),
            }
        )
    return links


def _discussion(
    request: HttpRequest, *, article: Article, is_moderator: bool, summary: ReaderSummary
) -> dict[str, Any]:
    user = cast(User, request.user)  # signed in: get_reader_state asks only then
    ids = list(page_comment_ids(request, article=article))
    mine = own_comments_and_votes(article_id=article.pk, reader_id=user.pk, comment_ids=ids)
    own = mine.own
    now = timezone.now()
    left = {pk: edit_seconds_left(created_at, now=now) for pk, _status, created_at in own}
    recent = [pk for pk, seconds in left.items() if seconds]
    replied = with_live_replies(recent) if recent else set()  # asked only in the first minutes
    editable: dict[str, dict[str, Any]] = {}
    for pk in recent:
        if pk in replied:
            continue
        minutes = (left[pk] + 59) // 60
        editable[str(pk)] = {
            "seconds": left[pk],
            "label": ngettext("%(n)s minute left", "%(n)s minutes left", minutes) % {"n": minutes},
        }
    pending = [pk for pk, status, _created_at in own if status == "pending"]
    posting = get_posting_state(user, article=article, is_moderator=is_moderator)
    return {
        "votes": {str(k): v for k, v in mine.votes.items()},
        "own": [pk for pk, status, _created_at in own if status == "visible"],
        "editable": editable,
        "pending": [
            {"id": c.pk, "parent": c.parent_id, "html": _pending_html(c, article=article)}
            for c in (list_comments_for_display(pending) if pending else [])
        ],
        "posting": asdict(posting),
        "staff": _staff_links(user, article=article, is_moderator=is_moderator),
        "following": article.pk in summary.follows,
    }


def state_article_key(article_id: int) -> str:
    return f"state-article:{article_id}"


def forget_state_article(article_id: int) -> None:
    """This worker's copy, at once (the others' last a second at most)."""
    caches["worker"].delete(state_article_key(article_id))


def find_state_article(*, article_id: int) -> Article | None:
    """The article the state is asked about (news.selectors.STATE_FIELDS only), or None. With
    the worker's page cache on, this worker keeps its row as long as it keeps the pages that
    ask (MINBAR_PAGE_CACHE_SECONDS): whether it is live is still decided now, on every ask."""
    if not settings.MINBAR_PAGE_CACHE:
        return find_article_for_state(article_id=article_id)
    worker = caches["worker"]
    key = state_article_key(article_id)
    values = worker.get(key)
    if values is None:
        article = find_article_for_state(article_id=article_id)
        if article is None:
            return None
        values = tuple(getattr(article, name) for name in STATE_FIELDS)  # plain data
        worker.set(key, values, settings.MINBAR_PAGE_CACHE_SECONDS)
    return Article.from_db(router.db_for_read(Article), STATE_FIELDS, values)


def get_reader_state(request: HttpRequest, *, article: Article | None) -> dict[str, Any]:
    """The overlay for one page view (see the module doc)."""
    user = request.user
    state: dict[str, Any] = {"signedIn": user.is_authenticated, "messages": _messages(request)}
    if not user.is_authenticated:
        return state
    load_permissions_to_show(user)  # what follows only shows links and flags
    is_moderator = moderation_access.is_moderator(user)
    # The bell's count and the followed discussions: one cache read (notify keeps them).
    summary = get_reader_summary(reader_id=user.pk or 0)  # signed in: it has one
    state["header"] = _header(request, is_moderator=is_moderator, summary=summary)
    state["csrf"] = get_token(request)
    if article is not None:
        state["discussion"] = _discussion(
            request, article=article, is_moderator=is_moderator, summary=summary
        )
    return state
