"""The anonymous whole-page cache.

A page is shared when the view says so (`share_page`), the request carries no personal cookie
(session, messages) and no query but `page`/`order`, and the response is a plain 200 without
cookies. It is kept in this process (`_local`, bounded in bytes) and in the "pages" cache
(Redis in production, shared by every worker), keyed by scheme, host, path and query — the
language is in the path. It is served while none of the version stamps it depends on moved
after its rendering started (see versions.py), never longer than MINBAR_PAGE_CACHE_SECONDS, and
for lists never past the next scheduled publication.

The same lookup runs in two places: `PageCacheApp`, a WSGI wrapper that answers hits before
Django starts (production, see minbar/serving/wsgi.py), and `PageCacheMiddleware`, the
outermost middleware, which answers hits when the wrapper is not in front (tests, runserver)
and stores what the view rendered. Signed-in readers bypass it and get `private, no-store`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from minbar.serving import versions

log = logging.getLogger(__name__)

ALLOWED_QUERY = frozenset({"page", "order"})
MAX_QUERY = 64
# Plus settings.SESSION_COOKIE_NAME. A reader pinned to the primary just wrote: no shared copy.
PERSONAL_COOKIES = frozenset({"messages", "minbar_primary"})
# Keys this module puts in the WSGI environ (which is request.META inside Django).
KEY = "minbar.pagecache.key"
DEPS = "minbar.pagecache.deps"
STARTED = "minbar.started"  # when this request reached Django, before any read
ENTRY_PREFIX = "p:"
VARY_OK = frozenset({"cookie", "accept-language"})
NOT_STORED_HEADERS = frozenset(
    {"cache-control", "etag", "x-minbar-cache", "date", "set-cookie", "expires", "age"}
)


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str
    deps: tuple[str, ...]
    started: float
    expires: float


class LocalEntries:
    """This process's copies, least recently used first out once over the byte budget."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, entry: Entry) -> None:
        budget = settings.MINBAR_PAGE_CACHE_LOCAL_BYTES
        with self._lock:
            old = self._entries.pop(entry.key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[entry.key] = entry
            self._bytes += len(entry.body)
            while self._bytes > budget and self._entries:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def drop(self, key: str) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


_local = LocalEntries()


# --- what may be shared ------------------------------------------------------------------------


def _has_personal_cookie(cookie_header: str) -> bool:
    personal = PERSONAL_COOKIES | {settings.SESSION_COOKIE_NAME}
    return any(part.split("=", 1)[0].strip() in personal for part in cookie_header.split(";"))


def is_personal(environ) -> bool:
    """The request comes from someone who may see a page of their own."""
    cookie = environ.get("HTTP_COOKIE", "")
    return bool(environ.get("HTTP_AUTHORIZATION")) or (
        bool(cookie) and _has_personal_cookie(cookie)
    )


def cache_key(environ) -> str | None:
    """The key of the shared page this request asks for, or None when it must not be shared."""
    if not settings.MINBAR_PAGE_CACHE:
        return None
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    if is_personal(environ):
        return None
    query = environ.get("QUERY_STRING", "")
    if query:
        if len(query) > MAX_QUERY:
            return None
        try:
            pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
        except ValueError:
            return None
        if any(name not in ALLOWED_QUERY for name, _value in pairs):
            return None
    return "|".join(
        (
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_X_FORWARDED_PROTO", ""),
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            query,
        )
    )


def _store_key(key: str) -> str:
    return ENTRY_PREFIX + hashlib.blake2b(key.encode("utf-8", "surrogateescape")).hexdigest()[:40]


# --- finding and answering ---------------------------------------------------------------------


def find(key: str) -> Entry | None:
    """The entry for `key` if it is still good; None when absent, stale or the store is down."""
    if not versions.available():
        return None
    now = time.time()
    entry = _local.get(key)
    if entry is None or entry.expires <= now:
        try:
            entry = versions.store().get(_store_key(key))
        except Exception as exc:
            versions.failed(exc)
            return None
        if entry is None or entry.key != key or entry.expires <= now:
            return None
        local = False
    else:
        local = True
    stamps = versions.read(entry.deps)
    if stamps is None:
        return None
    if not versions.fresh(stamps, names=entry.deps, since=entry.started):
        _local.drop(key)
        return None
    if not local:
        _local.put(entry)
    return entry


def cache_control(*, expires: float, now: float) -> str:
    shared = max(0, min(settings.MINBAR_PAGE_CACHE_SHARED_SECONDS, int(expires - now)))
    stale = settings.MINBAR_PAGE_CACHE_STALE_SECONDS
    return f"public, max-age=0, s-maxage={shared}, stale-while-revalidate={stale}"


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): a proxy that compresses may have weakened the tag."""
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


def _answer_headers(entry: Entry, *, now: float, not_modified: bool) -> list[tuple[str, str]]:
    headers = [
        (name, value)
        for name, value in entry.headers
        if not (not_modified and name.lower() in ("content-length", "content-type"))
    ]
    headers.append(("ETag", entry.etag))
    headers.append(("Cache-Control", cache_control(expires=entry.expires, now=now)))
    headers.append(("X-Minbar-Cache", "hit"))
    return headers


def answer_wsgi(entry: Entry, environ, start_response):
    now = time.time()
    not_modified = etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), entry.etag)
    headers = _answer_headers(entry, now=now, not_modified=not_modified)
    if not_modified:
        start_response("304 Not Modified", headers)
        return [b""]
    start_response("200 OK", headers)
    return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.body]


def answer_django(entry: Entry, request) -> HttpResponse:
    now = time.time()
    not_modified = etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), entry.etag)
    response = HttpResponse(
        b"" if not_modified else entry.body, status=304 if not_modified else 200
    )
    for name, value in _answer_headers(entry, now=now, not_modified=not_modified):
        response[name] = value
    if not_modified:
        del response["Content-Type"]
    return response


class PageCacheApp:
    """WSGI wrapper: answers shared pages that are still good before Django does any work."""

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        key = cache_key(environ)
        if key is not None:
            entry = find(key)
            if entry is not None:
                return answer_wsgi(entry, environ, start_response)
            environ[KEY] = key
        return self.application(environ, start_response)


# --- declaring and storing ---------------------------------------------------------------------


def share_page(
    request,
    *,
    article_id: int | None = None,
    lists: bool = False,
    counters_of: Iterable[int] = (),
) -> None:
    """Let this page be cached for every anonymous reader, saying what it shows.

    `article_id`: the article's own page (content and discussion); `lists`: a list of
    articles or a feed; `counters_of`: articles whose comment counter the page shows.
    """
    deps = request.META.setdefault(DEPS, set())
    if article_id is not None:
        deps.add(versions.article(article_id))
    if lists:
        deps.add(versions.LISTS)
    deps.update(versions.counter(pk) for pk in counters_of)


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Cache-Control"):
        return False  # the view decided itself
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if not vary <= VARY_OK:
        return False
    user = getattr(request, "_cached_user", None)
    return not (user is not None and user.is_authenticated)


def _make_entry(request, response, *, key: str, started: float) -> Entry | None:
    deps = tuple(sorted(request.META.get(DEPS, ())))
    now = time.time()
    expires = started + settings.MINBAR_PAGE_CACHE_SECONDS
    if versions.LISTS in deps:
        from minbar.serving.selectors import next_scheduled_publication

        upcoming = next_scheduled_publication()
        if upcoming is not None:
            expires = min(expires, upcoming.timestamp())
    if expires <= now:
        return None
    body = response.content
    return Entry(
        key=key,
        headers=tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in NOT_STORED_HEADERS
        ),
        body=body,
        etag='"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
        deps=deps,
        started=started,
        expires=expires,
    )


def _store(entry: Entry) -> None:
    versions.ensure(entry.deps, since=entry.started)
    _local.put(entry)
    try:
        timeout = max(1, int(entry.expires - time.time()) + 1)
        versions.store().set(_store_key(entry.key), entry, timeout=timeout)
    except Exception as exc:
        versions.failed(exc)


def clear_local() -> None:
    """Forget this process's copies (tests)."""
    _local.clear()


class PageCacheMiddleware:
    """Outermost middleware: answers and stores shared pages; marks personal pages no-store."""

    FEEDS = frozenset(
        {
            "feed-rss",
            "feed-atom",
            "section-feed-rss",
            "section-feed-atom",
            "tag-feed-rss",
            "tag-feed-atom",
        }
    )

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        key = meta.get(KEY)
        if key is None:
            key = cache_key(meta)
            if key is not None:
                entry = find(key)
                if entry is not None:
                    return answer_django(entry, request)
        started = meta[STARTED] = time.time()
        response = self.get_response(request)
        if key is not None and DEPS in meta and _storable(request, response):
            entry = versions.available() and _make_entry(
                request, response, key=key, started=started
            )
            if entry:
                _store(entry)
                response["ETag"] = entry.etag
                response["Cache-Control"] = cache_control(expires=entry.expires, now=time.time())
                response["X-Minbar-Cache"] = "miss"
                if etag_matches(meta.get("HTTP_IF_NONE_MATCH", ""), entry.etag):
                    return answer_django(entry, request)
        elif (
            is_personal(meta)
            and not response.has_header("Cache-Control")
            and not request.path_info.startswith(settings.STATIC_URL)
        ):
            response["Cache-Control"] = "private, no-store"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.namespace == "news" and match.url_name in self.FEEDS:
            share_page(request, lists=True)
        return None

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if isinstance(exception, OperationalError | InterfaceError):
            # The database is restarting or unreachable: say so, and when to come back.
            log.warning("database unavailable: %s", exception)
            response = HttpResponse(
                _("The site is busy for a moment. Please try again in a few seconds."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "5"
            response["Cache-Control"] = "no-store"
            return response
        return None
