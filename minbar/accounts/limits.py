"""The sign-in and sign-up limits: allauth counts them (settings.ACCOUNT_RATE_LIMITS, sliding
windows of attempt times in the default cache); this module says whose budget an attempt spends
and how long a refused reader must wait.

* Per account: a failed sign-in by username and one by email address of the same account spend
  one budget (`sign_in_key`), so an attacker does not get twice the guesses by switching; an
  unknown name or address is its own budget, lower-cased.
* Per client: allauth keys by `REMOTE_ADDR`, which ClientIPMiddleware has set to the reader's
  address behind a trusted proxy (settings.MINBAR_TRUSTED_PROXIES), IPv6 by its /64.
* `retry_after` reads the same counters, so Retry-After is the real wait: the moment the oldest
  attempt that still fills the window leaves it.

The limits, their numbers and why: docs/decisions/0011-client-addresses-and-sign-in-limits.md.
"""

from __future__ import annotations

import math
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest

from minbar.accounts import selectors

APP = "allauth.account"

# allauth names its limits by action; the pages that answer them are named by URL.
ACTIONS_BY_VIEW = {
    "accounts:login": "login",
    "accounts:signup": "signup",
    "accounts:password-reset": "reset_password",
    "accounts:password-reset-from-key": "reset_password_from_key",
    "accounts:password-change": "change_password",
    "account_email": "manage_email",
    "account_reauthenticate": "reauthenticate",
}


def sign_in_key(login: str) -> str:
    """Whose budget a sign-in attempt with this username or address spends."""
    account = selectors.find_account_for_sign_in(login)
    if account is not None:
        return f"account:{account.pk}"
    return "login:" + login.strip().lower()


def retry_after(
    request: HttpRequest, *, action: str, key: str | None = None, now: float | None = None
) -> int | None:
    """Whole seconds until allauth's `action` lets this request through, or None when none of
    its rates is full. Per-account rates are read only when `key` is given."""
    now = time.time() if now is None else now
    waits = []
    for rate in allauth_ratelimit.get_rates(app=APP, action=action):
        if rate.per == "key" and key is None:
            continue
        if rate.per == "user" and not request.user.is_authenticated:
            continue
        cache_key = allauth_ratelimit.get_cache_key(
            request, app=APP, action=action, rate=rate, key=key
        )
        live = sorted(t for t in cache.get(cache_key) or [] if t > now - rate.duration)
        if len(live) >= rate.amount:
            # One attempt is allowed again when all but amount - 1 of them have left the window.
            waits.append(live[len(live) - rate.amount] + rate.duration - now)
    return max(1, math.ceil(max(waits))) if waits else None


def retry_after_for_view(request: HttpRequest, *, fallback: int = 60) -> int:
    """Retry-After of allauth's 429 page (config.urls.handler429), from the page's URL name.
    `fallback` only when the page is not one allauth limits (never seen in the site's flows)."""
    match = getattr(request, "resolver_match", None)
    action = ACTIONS_BY_VIEW.get(match.view_name if match else "")
    if action is None:
        return fallback
    return retry_after(request, action=action) or fallback
