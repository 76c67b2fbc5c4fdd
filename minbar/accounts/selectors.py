"""Reads for the reader's pages: a profile in a fixed number of queries, and the look-alike
lookup behind the username rules."""

from __future__ import annotations

from django.db.models import Q

from minbar.accounts.models import User
from minbar.accounts.policy import is_unclaimed_import, username_key


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
