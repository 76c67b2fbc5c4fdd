"""The one password check of a sign-in (settings.AUTHENTICATION_BACKENDS).

allauth's backend and Django's ModelBackend each checked the password, and allauth checked an
address twice (once as an address, once as a username that might hold "@"): a wrong password
for an existing address cost three hashes, for an unknown one two, a difference a stopwatch
can read. Here the account is found once (`selectors.find_account_for_sign_in`, the same
lookup the sign-in limit uses) and exactly one password hash is computed, against the account's
own hash or, for an unknown account, a throwaway one (allauth's `_mitigate_timing_attack`).

A failed check ends the sign-in (PermissionDenied, Django's documented way to stop the backends
after this one), so the backends listed after it never hash again; they stay listed because
sessions opened through them name them.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from minbar.accounts import selectors
from minbar.accounts.models import User


class SignInBackend(AuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> User | None:
        login = credentials.get("email") or credentials.get("username")
        if not login or not credentials.get("password"):
            return None  # not a password sign-in: leave it to the others
        user = super().authenticate(request, **credentials)
        if user is None:
            raise PermissionDenied
        return user

    def _authenticate(self, request: HttpRequest | None, **credentials: Any) -> User | None:
        login = credentials.get("email") or credentials.get("username") or ""
        account = selectors.find_account_for_sign_in(login)
        return self._check_password(account, credentials.get("password") or "")
