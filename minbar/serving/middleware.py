"""Public pages: the same bytes for every reader, so that nginx, a CDN and each worker may keep
them; everything else private.

A view declares its page public with `@public_page`. The page then must not read anything about
the reader (session, user, CSRF token, messages): if it does, the response is made private
instead and never stored, and the mistake is logged. A public page says
`Cache-Control: public, max-age=0, s-maxage=…, stale-while-revalidate=…` and carries an ETag
(If-None-Match answers 304, through Django's ConditionalGetMiddleware). Each worker keeps it for
MINBAR_PAGE_CACHE_SECONDS with Django's own two cache middlewares, told to keep public pages
only (`UpdatePublicPageCacheMiddleware`, `FetchPublicPageCacheMiddleware`).

A reader who has just written (any POST that succeeded) gets a cookie for MINBAR_FRESH_SECONDS
that makes their requests skip the caches (here and in nginx) and store what they read: they
see their own change at once, and so does everyone after them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar, cast

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.handlers.exception import convert_exception_to_response
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.template.response import SimpleTemplateResponse
from django.urls import NoReverseMatch, get_urlconf, resolve, reverse
from django.utils import translation
from django.utils.cache import (
    add_never_cache_headers,
    has_vary_header,
    patch_cache_control,
    set_response_etag,
)
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from minbar.accounts.models import AnyUser

log = logging.getLogger(__name__)

_P = ParamSpec("_P")
_R = TypeVar("_R", bound=HttpResponseBase)

FRESH_COOKIE = "minbar_fresh"
# Says "someone is signed in here" to minbar.js (which cannot read the session cookie), so that
# the pages of readers who are not signed in ask /me/state/ nothing. Not a credential.
READER_COOKIE = "minbar_reader"
PUBLIC = "public_page"  # request attribute (templates: request.public_page)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CACHE_ALIAS = "page-bodies"
KEY_PREFIX = "public"


def reader_was_read(request: HttpRequest) -> bool:
    """Whether anything personal was looked at while making this response."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return bool(
        (session is not None and session.accessed)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (messages is not None and messages.used)
    )


def _public_headers(response: HttpResponseBase) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.MINBAR_PAGE_SHARED_SECONDS,
        stale_while_revalidate=settings.MINBAR_PAGE_STALE_SECONDS,
    )
    if not response.streaming and not response.has_header("ETag"):
        set_response_etag(response)


def public_page(
    view: Callable[Concatenate[HttpRequest, _P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, _P], HttpResponseBase]:
    """Declare the view's page the same for every reader (see the module doc). A response the
    view marked itself (`private` for a newsroom preview) is left as it is."""

    @functools.wraps(view)
    def declared(request: HttpRequest, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponseBase:
        setattr(request, PUBLIC, True)
        response = view(request, *args, **kwargs)
        if response.has_header("Cache-Control"):
            return response
        if reader_was_read(request):
            log.error("public page %s read the reader: served private", request.path)
            patch_cache_control(response, private=True, no_store=True)
            return response
        if response.status_code != 200:
            return response
        if getattr(response, "is_rendered", True):
            _public_headers(response)
        else:  # a TemplateResponse (sitemaps): its ETag once its content exists
            cast(SimpleTemplateResponse, response).add_post_render_callback(_public_headers)
        return response

    return declared


class UpdatePublicPageCacheMiddleware(UpdateCacheMiddleware):
    """Django's cache middleware, storing public pages only, for MINBAR_PAGE_CACHE_SECONDS in
    this worker's memory ("page-bodies"). Second from the outside: it keeps the response every
    inner middleware has finished."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        super().__init__(get_response)
        self.page_timeout = settings.MINBAR_PAGE_CACHE_SECONDS
        self.key_prefix = KEY_PREFIX
        self.cache_alias = CACHE_ALIAS

    def _should_update_cache(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        return (
            # Django's own hook, private and so not in django-stubs.
            super()._should_update_cache(request, response)  # type: ignore[misc]
            and getattr(request, PUBLIC, False)
            and "public" in response.get("Cache-Control", "")
            and not response.cookies
            and not has_vary_header(response, "Cookie")
        )


class FetchPublicPageCacheMiddleware(FetchFromCacheMiddleware):
    """Django's cache middleware answering from what the update half kept, right after the
    language is known (it is in the cache key): a kept page costs no URL resolving, view or
    query. Off with MINBAR_PAGE_CACHE; a reader with the fresh cookie reads past it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        super().__init__(get_response)
        self.key_prefix = KEY_PREFIX
        self.cache_alias = CACHE_ALIAS

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if not settings.MINBAR_PAGE_CACHE:
            # The flag Django's update half reads (set as it does; not a declared attribute).
            setattr(request, "_cache_update_cache", False)  # noqa: B010
            return None
        if FRESH_COOKIE in request.COOKIES:
            setattr(request, "_cache_update_cache", request.method in ("GET", "HEAD"))  # noqa: B010
            return None
        return super().process_request(request)


def private_page(response: _R) -> _R:
    """Mark a response as this reader's alone (a newsroom preview on a public address)."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _known_reader(request: HttpRequest) -> AnyUser | None:
    """The reader, if this request has already looked them up (signing in or out sets the user
    itself); None when nobody asked, so that nothing is read for this."""
    user = request.__dict__.get("user")
    if user is not None and not isinstance(user, SimpleLazyObject):
        return user
    return getattr(request, "_cached_user", None)


def _mark_reader(request: HttpRequest, response: HttpResponseBase) -> None:
    reader = _known_reader(request)
    if reader is None:
        return
    marked = READER_COOKIE in request.COOKIES
    if reader.is_authenticated and not marked:
        response.set_cookie(
            READER_COOKIE,
            "1",
            max_age=settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
    elif not reader.is_authenticated and marked:
        response.delete_cookie(READER_COOKIE, samesite="Lax")


class PrivateUnlessPublicMiddleware:
    """Outermost: a response not declared public is private. Also the last check that a public
    page stayed the same for everyone (no cookie set, no `Vary: Cookie`), the reader cookie on
    private responses, and the 503 that a database outage becomes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        control = response.get("Cache-Control", "")
        if "public" in control:
            vary = response.get("Vary", "").lower()
            if response.cookies or "cookie" in vary:
                log.error("public page %s varies by reader: served private", request.path)
                response["Cache-Control"] = "private, no-store"
                del response["ETag"]
            return response
        if not control and not request.path_info.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "private, no-store"
        _mark_reader(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable(exception)
        return None


def database_unavailable(exception: Exception) -> HttpResponse:
    """The database is restarting or unreachable: say so, and when to come back."""
    log.warning("database unavailable: %s", exception)
    response = HttpResponse(
        _("The site is busy for a moment. Please try again in a few seconds."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


# What the reader's state needs of the middleware after ReaderStateMiddleware, in
# settings.MIDDLEWARE's order: the session, the CSRF cookie its token comes from, the user and
# the messages, and the security headers. The rest does nothing for a private JSON GET: the
# worker's page cache and ConditionalGet keep and validate public pages only, the client
# address is counted by nothing the state reads, CSP, X-Frame-Options and allauth's account
# redirects are for documents, WhiteNoise for static files, CommonMiddleware for addresses
# without their slash (the state's is matched exactly), FreshAfterWrite for writes.
STATE_MIDDLEWARE = frozenset(
    {
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    }
)
# The answer to someone with neither a session nor messages: nothing about them to read.
NOBODY = b'{"signedIn": false, "messages": []}'


@functools.lru_cache(maxsize=8)
def _state_view(urlconf: str) -> tuple[frozenset[str], Callable[..., HttpResponseBase] | None]:
    """The addresses of the reader's state (one per language) and the view the URLconf names;
    none for a URLconf without it."""
    paths = set()
    views = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # the language prefix is matched as the active one
            try:
                path = reverse("serving:state", urlconf=urlconf)
            except NoReverseMatch:
                return frozenset(), None
            paths.add(path)
            views.add(resolve(path, urlconf=urlconf).func)
    [view] = views
    return frozenset(paths), view


class ReaderStateMiddleware:
    """`GET /me/state/` by a short path (decision 0020): asked after every page a signed-in
    reader opens, it is the one request per view that reaches the app. Right after the language
    is known, it answers
    - someone with no session cookie and no messages cookie: the same bytes for all, read from
      nothing (whoever they are, they are not signed in here and have no messages waiting; the
      article is not looked up, so the answer says nothing about it either);
    - anyone else: the URLconf's own view behind only the middleware it needs
      (STATE_MIDDLEWARE, Django's own classes chained as Django chains them), a database
      outage still the 503 the outermost middleware gives.
    Every other request goes the whole way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        found = settings.MIDDLEWARE.index(f"{__name__}.{type(self).__name__}")
        self.chain_names = [m for m in settings.MIDDLEWARE[found + 1 :] if m in STATE_MIDDLEWARE]
        self._chains: dict[Callable[..., HttpResponseBase], Callable[..., HttpResponseBase]] = {}

    def _chain(self, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        kept = self._chains.get(view)
        if kept is not None:
            return kept

        def answer(request: HttpRequest) -> HttpResponseBase:
            try:
                return view(request)
            except (OperationalError, InterfaceError) as exception:
                return database_unavailable(exception)

        # Synchronous throughout (gunicorn's workers), as Django's handler adapts them for WSGI.
        chain = cast(Callable[..., HttpResponseBase], convert_exception_to_response(answer))
        for name in reversed(self.chain_names):
            chain = cast(
                Callable[..., HttpResponseBase],
                convert_exception_to_response(import_string(name)(chain)),
            )
        self._chains[view] = chain
        return chain

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "GET":
            return self.get_response(request)
        paths, view = _state_view(get_urlconf() or settings.ROOT_URLCONF)
        if view is None or request.path_info not in paths:
            return self.get_response(request)
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies:
            response = HttpResponse(NOBODY, content_type="application/json")
            add_never_cache_headers(response)
            if READER_COOKIE in cookies:  # signed out elsewhere, or the session ended
                response.delete_cookie(READER_COOKIE, samesite="Lax")
            return response
        return self._chain(view)(request)


class FreshAfterWriteMiddleware:
    """A write that succeeded gives its reader a few seconds past the page caches."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_cookie(
                FRESH_COOKIE,
                "1",
                max_age=settings.MINBAR_FRESH_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
