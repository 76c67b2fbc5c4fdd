"""Reads for the reader's pages: a profile in a fixed number of queries, and the look-alike
lookup behind the username rules."""

from __future__ import annotations

import html
from dataclasses import dataclass

import nh3
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from minbar.accounts.models import User
from minbar.accounts.policy import is_unclaimed_import, username_key
from minbar.discussion.models import Comment
from minbar.news.models import Article

LATEST_COMMENTS = 10
EXCERPT_CHARS = 200


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


def find_username_like(username: str, *, exclude_user_id: int | None = None) -> str | None:
    """The existing username that looks the same as `username` (same folded key), if any."""
    users = User.objects.filter(username_key=username_key(username))
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.values_list("username", flat=True).first()


def is_name_shown_by_another(name: str, *, exclude_user_id: int | None = None) -> bool:
    """Whether a reader other than `exclude_user_id` shows a name that looks the same as
    `name`: as their username or as their display name (same folded key). One query."""
    key = username_key(name)
    if not key:
        return False
    users = User.objects.filter(Q(username_key=key) | Q(display_name_key=key))
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.exists()


def find_account_for_sign_in(login: str) -> User | None:
    """The account a sign-in form's "username or email" names, or None.

    An address (usernames cannot hold "@") is looked up the way allauth does, preferring a
    verified one; a username in any letter case. One lookup either way, so that the sign-in
    limit (minbar.accounts.limits) and the password check (minbar.accounts.backends) agree on
    whose budget an attempt spends."""
    login = login.strip()
    if not login:
        return None
    if "@" in login:
        from allauth.account.utils import filter_users_by_email

        users = filter_users_by_email(login, prefer_verified=True)
        return users[0] if users else None
    matches = [
        user
        for user in User.objects.filter(username__iexact=login)[:2]
        if user.username.lower() == login.lower()
    ]
    return matches[0] if len(matches) == 1 else None


def list_claimable_accounts(*, email: str) -> list[User]:
    """Unclaimed imported accounts carrying `email` (any case: staff type it in the admin)."""
    candidates = User.objects.filter(email__iexact=email, is_active=False, last_login=None)
    return [
        user
        for user in candidates
        if is_unclaimed_import(
            is_active=user.is_active,
            has_usable_password=user.has_usable_password(),
            has_signed_in=user.last_login is not None,
        )
    ]


def _shown_comments(reader: User):
    """The reader's comments that anyone can read: visible, under an article that is live.

    A comment under a draft or unpublished article is left out, so the profile never leaks the
    title of an article readers cannot open.
    """
    return Comment.objects.visible().filter(author=reader, article__in=Article.objects.published())


def _excerpt(body_html: str) -> str:
    """The comment as plain text, cut at a word near EXCERPT_CHARS (the template escapes it)."""
    text = " ".join(html.unescape(nh3.clean(body_html, tags=set())).split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[: EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


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
        .order_by("-created_at", "-pk")[:LATEST_COMMENTS]
    ]  # fmt: skip
    return ReaderProfile(
        reader=reader,
        comment_count=totals["count"],
        total_score=totals["score"],
        latest_comments=latest,
    )
