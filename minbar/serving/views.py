"""`/me/state/`: the reader's state for the public page they are looking at (selectors.py);
`/live/<article>/`: what changed in its discussion since a version, and the new comments
rendered (live.py, decision 0019), public."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from minbar.news.models import Article
from minbar.news.selectors import find_article_for_state
from minbar.serving.live import MAX_COMMENTS, changes_since, render_new_comments
from minbar.serving.middleware import public_page
from minbar.serving.selectors import find_state_article, get_reader_state

VERSION = re.compile(r"[0-9]{1,18}")
IDS = re.compile(rf"[0-9]{{1,18}}(?:,[0-9]{{1,18}}){{0,{MAX_COMMENTS - 1}}}")


def _live_article(raw: str | None, *, kept: bool = True) -> Article | None:
    """The live article named by `?article=`; a missing, unpublished or hidden one is a 404,
    the same for every reason. `kept`: as the worker keeps it with its pages (the state);
    else read now (the live discussion, whose bound does not count the worker's second)."""
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    find = find_state_article if kept else find_article_for_state
    article = find(article_id=int(raw))
    if article is None or not article.is_live():
        raise Http404
    return article


@require_GET
@never_cache
def reader_state(request: HttpRequest) -> JsonResponse:
    article = _live_article(request.GET.get("article"))
    return JsonResponse(get_reader_state(request, article=article))


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _live_only(request: HttpRequest, article_id: int) -> Article:
    """The live article, for the live discussion; 404 when that is off. The worker's own copy
    of public pages is skipped (nginx's second is the only one), so that a change reaches the
    pages within one second plus their polling interval."""
    if not settings.MINBAR_LIVE_DISCUSSION:
        raise Http404
    # Django's cache middleware reads this flag (set as it sets it; not a declared attribute).
    setattr(request, "_cache_update_cache", False)  # noqa: B010
    article = _live_article(str(article_id), kept=False)
    assert article is not None
    return article


@require_GET
@public_page
def live_changes(request: HttpRequest, article_id: int) -> JsonResponse:
    """`?since=V`: what changed since version V (the same bytes for every page at V)."""
    article = _live_only(request, article_id)
    since = request.GET.get("since", "")
    if not VERSION.fullmatch(since):
        return _bad_request(_("The discussion's version is missing or not a number."))
    changes = changes_since(article=article, since=int(since))
    if changes is None:  # the store is down: the page waits and asks again
        response = JsonResponse({"error": _("Please try again in a few seconds.")}, status=503)
        response["Retry-After"] = "10"
        return response
    return JsonResponse(changes)


@require_GET
@public_page
def live_comments(request: HttpRequest, article_id: int) -> JsonResponse:
    """`?ids=1,2&v=W`: those comments rendered as the public page shows them (the version only
    names the copy: every page that saw the same new comments at W asks the same address)."""
    article = _live_only(request, article_id)
    ids = request.GET.get("ids", "")
    if not IDS.fullmatch(ids) or not VERSION.fullmatch(request.GET.get("v", "")):
        return _bad_request(_("The list of comments is missing or not valid."))
    return JsonResponse(
        {"comments": render_new_comments(article=article, ids=[int(i) for i in ids.split(",")])}
    )
