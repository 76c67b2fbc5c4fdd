"""What every page's search box needs from search: the longest query it takes (one source with
the search page's own form, `policy.MAX_QUERY_LENGTH`)."""

from __future__ import annotations

from django.http import HttpRequest

from minbar.search import policy


def search_box(request: HttpRequest) -> dict[str, int]:
    return {"search_query_max": policy.MAX_QUERY_LENGTH}
