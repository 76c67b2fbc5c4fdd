"""The discussion under an article, rendered once per version and kept in the "pages" cache.

Each article has a version counter in the cache; every committed change to its comments, votes
or the article itself moves it (receivers.py, from `transaction.on_commit`). The rendered
discussion (heading, featured strip, the page of comments, pagination) is kept under
(article, order, page, language, open or closed) as plain data carrying the version it was
rendered for: its HTML, and apart from it the count shown and the ids of the comments on it
(what the reader's state needs). It is read together with the counter, in one round trip, and
used only when the versions agree; entries expire after MINBAR_FRAGMENT_SECONDS. The HTML is
rendered with no request, so nothing about a reader can get into it.

The version is read before anything else the list shows is read: a change committing while
the list renders moves the counter after the commit, so what was rendered is stored under the
old version and never served again. A counter that was lost (evicted, Redis emptied) starts
again at a random value, never at a number an old entry may carry.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from minbar.discussion import policy
from minbar.discussion.forms import CommentForm
from minbar.discussion.selectors import get_discussion
from minbar.moderation.selectors import comments_are_open
from minbar.news.models import Article

TEMPLATE = "discussion/_discussion.html"
PAGE_PARAMETER = re.compile(r"^(?:[1-9][0-9]{0,5}|last)$")
# One sample count per plural category of Unicode's rules (what the browser's Intl.PluralRules
# answers): the page carries the label of each, rendered with the catalogue's own plural forms.
PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


@dataclass(frozen=True)
class RenderedDiscussion:
    html: SafeString
    count: int
    comment_ids: tuple[int, ...]


def _store() -> BaseCache:
    return caches["pages"]


def _version_key(article_id: int) -> str:
    return f"discussion-version:{article_id}"


def discussion_version(article_id: int) -> int | None:
    """The article's discussion version; None when the store does not answer."""
    store = _store()
    key = _version_key(article_id)
    version = store.get(key)
    if version is None:
        store.add(key, secrets.randbits(48), timeout=None)
        version = store.get(key)
    return version


def bump_discussion_version(article_id: int) -> int | None:
    """Called after a change has committed; never raises (a down store serves nothing old).
    The new version, or None when the counter was lost and starts again (or the store is down)."""
    store = _store()
    key = _version_key(article_id)
    try:
        return int(store.incr(key))
    except ValueError:  # no counter yet: whatever is cached was cached under no version
        store.add(key, secrets.randbits(48), timeout=None)
    except Exception:
        pass
    return None


def _key(article_id: int, *, order: str, page: str, is_open: bool) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    state = "open" if is_open else "closed"
    return f"discussion:{article_id}:{order}:{page}:{language}:{state}"


def live_attributes(article: Article, *, version: int | None) -> dict[str, Any] | None:
    """What the discussion's section carries for static/js/live.js (nothing when off)."""
    if not settings.MINBAR_LIVE_DISCUSSION or version is None:
        return None
    plural = {
        category: ngettext(
            "%(count)s new comment: show it", "%(count)s new comments: show them", sample
        )
        for category, sample in PLURAL_SAMPLES.items()
    }
    labels = {
        "new": plural,
        "reset": gettext("The discussion has changed: show it as it is now"),
        "deleted": gettext("This comment was deleted."),
        "edited": gettext("edited"),
    }
    language = translation.get_language() or settings.LANGUAGE_CODE
    arabic_digits = settings.MINBAR_ARABIC_DIGITS and language == "ar"
    return {
        "url": reverse("serving:live", args=[article.pk]),
        "comments_url": reverse("serving:live-comments", args=[article.pk]),
        "version": version,
        "poll_ms": int(settings.MINBAR_LIVE_POLL_SECONDS * 1000),
        "labels": json.dumps(labels, ensure_ascii=False, sort_keys=True),
        "numbers": "arab" if arabic_digits else "latn",
    }


@dataclass(frozen=True)
class _Lookup:
    key: str | None = None  # None: this page is not kept
    version: int | None = None
    found: dict[str, Any] | None = None  # what is kept for this version, or None


def _lookup(request: HttpRequest, *, article: Article, html: bool) -> _Lookup:
    """What is kept for the discussion page the request names, read in one round trip with
    the version it must carry: the count and ids, and the HTML when asked (the reader's state
    needs only the ids). An entry of another version is not found."""
    page = request.GET.get("page", "1")
    if not (settings.MINBAR_FRAGMENT_CACHE and article.is_live() and PAGE_PARAMETER.match(page)):
        return _Lookup()
    order = policy.parse_order(request.GET.get("order"))
    key = _key(article.pk, order=order, page=page, is_open=comments_are_open(article))
    version_key = _version_key(article.pk)
    keys = [version_key, key, key + ":html"] if html else [version_key, key]
    found = _store().get_many(keys)
    version = found.get(version_key)
    if version is None:
        version = discussion_version(article.pk)
        return _Lookup(key=key if version is not None else None, version=version)
    meta = found.get(key)
    if meta is None or meta["version"] != version:
        return _Lookup(key=key, version=version)
    if not html:
        return _Lookup(key=key, version=version, found=meta)
    body = found.get(key + ":html")
    if body is None or body["version"] != version:
        return _Lookup(key=key, version=version)
    return _Lookup(key=key, version=version, found={**meta, "html": body["html"]})


def render_discussion(request: HttpRequest, *, article: Article) -> RenderedDiscussion:
    """The discussion part of the article page asked for (`?order=`, `?page=`), the same for
    every reader. Raises Http404 for a page that does not exist."""
    kept = _lookup(request, article=article, html=True)
    if (found := kept.found) is not None:
        return RenderedDiscussion(
            html=mark_safe(found["html"]), count=found["count"], comment_ids=tuple(found["ids"])
        )
    version = kept.version
    if kept.key is not None:
        # Read after the version: the count and flags as of now, not as of the page's start.
        article.refresh_from_db(fields=["comment_count", "comments_open"])
    elif settings.MINBAR_LIVE_DISCUSSION and article.is_live():
        version = discussion_version(article.pk)  # read before the list, as above
    discussion = get_discussion(article=article, **_asked(request))
    context = {
        "article": article,
        "discussion": discussion,
        "comment_form": CommentForm(),
        # The version this list shows, which the page's live updates start from (live.py).
        "live": live_attributes(article, version=version),
    }
    html = render_to_string(TEMPLATE, context)
    rendered = RenderedDiscussion(
        html=mark_safe(html),
        count=discussion.count,
        comment_ids=tuple(item.comment.pk for item in discussion.items),
    )
    if kept.key is not None:
        # Plain data only: strings and numbers, each with the version it was rendered for.
        meta = {"version": kept.version, "count": rendered.count, "ids": list(rendered.comment_ids)}
        body = {"version": kept.version, "html": str(html)}
        _store().set_many(
            {kept.key: meta, kept.key + ":html": body}, timeout=settings.MINBAR_FRAGMENT_SECONDS
        )
    return rendered


def page_comment_ids(request: HttpRequest, *, article: Article) -> tuple[int, ...]:
    """The ids of the comments on the discussion page the request names: from the rendered
    page when it is kept (rendering and keeping it when not), else read. With the worker's
    page cache on, this worker keeps them as long as it keeps the page they were read for
    (MINBAR_PAGE_CACHE_SECONDS): the reader's state matches the page they have."""
    page = request.GET.get("page", "1")
    if not (settings.MINBAR_PAGE_CACHE and PAGE_PARAMETER.match(page)):
        return _page_comment_ids(request, article=article)
    order = policy.parse_order(request.GET.get("order"))
    key = f"page-ids:{article.pk}:{order}:{page}"
    worker = caches["worker"]
    ids = worker.get(key)
    if ids is None:
        ids = _page_comment_ids(request, article=article)
        worker.set(key, ids, settings.MINBAR_PAGE_CACHE_SECONDS)
    return ids


def _page_comment_ids(request: HttpRequest, *, article: Article) -> tuple[int, ...]:
    kept = _lookup(request, article=article, html=False)
    if kept.found is not None:
        return tuple(kept.found["ids"])
    if kept.key is not None:
        return render_discussion(request, article=article).comment_ids
    discussion = get_discussion(article=article, **_asked(request))
    return tuple(item.comment.pk for item in discussion.items)


def _asked(request: HttpRequest) -> dict[str, str]:
    """The order and page the address names (`?order=`, `?page=`), as `get_discussion` takes
    them: an unknown order is the default one; a page that names none is its 404."""
    return {
        "order": policy.parse_order(request.GET.get("order")),
        "page": request.GET.get("page", "1"),
    }
