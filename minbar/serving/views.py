"""`/me/state/`: the reader's state for the public page they are looking at (selectors.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from minbar.news.models import Article
from minbar.serving.selectors import get_reader_state


def _live_article(raw: str | None) -> Article | None:
    """The live article named by `?article=`; a missing, unpublished or hidden one is a 404,
    the same for every reason."""
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    # Only what the state needs: the text and its revisions are large and unused here.
    fields = ("pk", "slug", "status", "published_at", "comments_open", "comment_count")
    article = Article.objects.only(*fields).filter(pk=int(raw)).first()
    if article is None or not article.is_live():
        raise Http404
    return article


@require_GET
@never_cache
def reader_state(request: HttpRequest) -> JsonResponse:
    article = _live_article(request.GET.get("article"))
    return JsonResponse(get_reader_state(request, article=article))
