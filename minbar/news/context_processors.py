from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from minbar.news.models import Section
from minbar.news.selectors import list_sections


def navigation(request: HttpRequest) -> dict[str, Callable[[], list[Section]]]:
    """The sections for the header, read at most once per rendering and only if a page shows
    them (errors and feeds never do)."""
    found: list[Section] = []
    read = False

    def sections() -> list[Section]:
        nonlocal found, read
        if not read:
            found, read = list_sections(), True
        return found

    return {"nav_sections": sections}
