"""The unread count for the bell on the reader's own pages (server-rendered per reader; public
pages are the same for everyone and get the count from /me/state/ instead)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from minbar.notify.selectors import get_reader_summary


def bell(request: HttpRequest) -> dict[str, Any]:
    def unread() -> int:
        # Read only when a template asks (the signed-in header of a page not kept for all).
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return get_reader_summary(reader_id=user.pk).unread

    counted: Callable[[], int] = unread
    return {"notifications_unread": counted}
