"""`/me/state/`: the reader's state for the public page they are looking at (selectors.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from minbar.news.models import Article
from minbar.serving.selectors import find_state_article, get_reader_state


def _live_article(raw: str | None) -> Article | None:
    """The live article named by `?article=`; a missing, unpublished or hidden one is a 404,
    the same for every reason."""
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    article = find_state_article(article_id=int(raw))
    if article is None or not article.is_live():
        raise Http404
    return article


@require_GET
@never_cache
def reader_state(request: HttpRequest) -> JsonResponse:
    article = _live_article(request.GET.get("article"))
    return JsonResponse(get_reader_state(request, article=article))
