"""The comment list, rendered once per discussion version and shared by every reader.

Signed-in readers never get a cached page, but most of their page is the same for all of them:
the list of comments. It is kept per (article, order, page, language, open or closed, anonymous
or signed-in) as one HTML string per comment, rendered for a *neutral* signed-in reader (one
who wrote none of the comments, with a placeholder for the CSRF token), and served while the
article's version stamp is older than its rendering, like the page cache (versions.py).

What differs per reader is then cheap: the CSRF token is put in by one string replacement,
the reader's own comments (edit/delete links, no vote buttons) are rendered for them alone,
and their votes come from `data-my-votes` (static/js/minbar.js). A reader with a comment of
their own awaiting review (the list knows who has one), and the newsroom staff, get the list
rendered for them alone.

`find_comment_list` is called by discussion.selectors.get_discussion before it reads the
comments; `render_comment_items` (the `{% comment_items %}` tag) renders or reuses the list.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import mark_safe

from minbar.serving import versions
from minbar.serving.pagecache import STARTED

PREFIX = "f:"
LOOKUP = "minbar.fragments.lookup"  # request.META: (key, started) of this request's lookup
CSRF_MARK = "MINBAR-CSRF-TOKEN-7f3a9c"
TEMPLATE = "discussion/_comment.html"
LOCAL_ENTRIES = 64


class NeutralReader:
    """A signed-in reader who wrote none of the comments: what the shared list is rendered for."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    is_active = True
    pk = id = None
    public_name = username = ""

    def has_perm(self, *args, **kwargs) -> bool:
        return False


NEUTRAL = NeutralReader()


class AuthorReader(NeutralReader):
    """The author of one comment, as far as that comment's HTML can tell (own controls)."""

    def __init__(self, pk: int) -> None:
        self.pk = self.id = pk


@dataclass(frozen=True, slots=True)
class SharedItem:
    """One comment: as `get_discussion` made it (kept to render it for its author), and its
    HTML for every other reader."""

    item: object
    html: str
    # Its HTML for its own author (edit and delete instead of vote and report), rendered on
    # the first request that needs it and kept in this process for the list's life.
    own: list = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.item.comment.pk

    @property
    def author_id(self) -> int:
        return self.item.comment.author_id


@dataclass(frozen=True, slots=True)
class SharedList:
    key: str
    items: tuple[SharedItem, ...]
    page_number: int
    threads: int
    per_page: int
    started: float
    expires: float
    deps: tuple[str, ...]
    featured: tuple = ()
    # Readers with a comment awaiting review on the article: they get a list of their own.
    pending_authors: frozenset = frozenset()

    def page(self):
        paginator = Paginator(range(self.threads), self.per_page, allow_empty_first_page=True)
        return paginator.page(self.page_number)

    def shown(self) -> list:
        """The items as get_discussion made them when the list was rendered."""
        return [i.item for i in self.items]


class _Local:
    def __init__(self) -> None:
        self._entries: OrderedDict[str, SharedList] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> SharedList | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, entry: SharedList) -> None:
        with self._lock:
            self._entries[entry.key] = entry
            self._entries.move_to_end(entry.key)
            while len(self._entries) > LOCAL_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_local = _Local()


def clear_local() -> None:
    _local.clear()
    with _articles_lock:
        _articles.clear()


def _variant(user) -> str | None:
    """Which shared list this reader may use; None: render for them alone."""
    if not user.is_authenticated:
        return "anonymous"
    if user.is_staff or user.is_superuser:
        return None
    return "reader"


def _pending_authors(article_id: int) -> frozenset:
    from minbar.discussion.models import Comment

    return frozenset(
        Comment.objects.filter(article_id=article_id, status=Comment.Status.PENDING)
        .values_list("author_id", flat=True)
        .distinct()
    )


def find_comment_list(request, *, article, order: str, is_open: bool) -> SharedList | None:
    """The shared list this request may use if one is still good, else None.

    Also notes the key and the time in the request, so that the list rendered on a miss is
    stored under it (see `render_comment_items`).
    """
    if not settings.MINBAR_FRAGMENT_CACHE or not versions.available():
        return None
    raw_page = request.GET.get("page", "1")
    if not (raw_page.isascii() and raw_page.isdigit()) or len(raw_page) > 6:
        return None
    variant = _variant(request.user)
    if variant is None:
        return None
    key = "|".join(
        (
            str(article.pk),
            order,
            str(int(raw_page)),
            translation.get_language() or "",
            "open" if is_open else "closed",
            variant,
        )
    )
    # The request's start (before the article was read) when known: never later than the truth.
    started = min(time.time(), request.META.get(STARTED, float("inf")))
    request.META[LOOKUP] = (key, started, versions.article(article.pk))
    entry = _local.get(key)
    now = time.time()
    local = entry is not None and entry.expires > now
    if not local:
        try:
            entry = versions.store().get(PREFIX + key)
        except Exception as exc:
            versions.failed(exc)
            return None
        if entry is None or entry.key != key or entry.expires <= now:
            return None
    stamps = versions.read(entry.deps)
    if stamps is None or not versions.fresh(stamps, names=entry.deps, since=entry.started):
        return None
    if not local:
        _local.put(entry)
    if variant == "reader" and request.user.pk in entry.pending_authors:
        del request.META[LOOKUP]  # their own pending comment: render for them, store nothing
        return None
    return entry


def _render_one(template, context, item, *, reader, csrf: str) -> str:
    with context.push(item=item, user=reader, csrf_token=csrf):
        return template.render(context)


def _own_html(template, context, shared: SharedItem) -> str:
    if not shared.own:
        reader = AuthorReader(shared.author_id)
        shared.own.append(
            _render_one(template, context, shared.item, reader=reader, csrf=CSRF_MARK)
        )
    return shared.own[0]


def render_comment_items(context) -> str:
    """The `<li>` of every comment on this page of the discussion, shared where possible."""
    request = context.get("request")
    discussion = context["discussion"]
    template = context.template.engine.get_template(TEMPLATE)
    reader = context.get("user")
    shared = getattr(discussion, "shared", None)
    lookup = request.META.get(LOOKUP) if request is not None else None
    member = reader is not None and reader.is_authenticated
    pending = frozenset()
    if shared is None and lookup is not None and member:
        pending = _pending_authors(discussion.article.pk)
        if reader.pk in pending:
            lookup = None  # the list shows their comment awaiting review: not to be shared
    if shared is None and lookup is None:
        # No sharing for this request (staff, pending comment of one's own, cache off).
        csrf = context.get("csrf_token")
        return mark_safe(
            "".join(
                _render_one(template, context, item, reader=reader, csrf=csrf)
                for item in discussion.items
            )
        )
    if shared is None:
        shared = _render_and_store(
            template, context, discussion, lookup, member=member, pending=pending
        )
    token = get_token(request) if member else ""
    me = reader.pk if member else None
    parts = [
        _own_html(template, context, i) if me is not None and i.author_id == me else i.html
        for i in shared.items
    ]
    html = "".join(parts)
    if member:
        html = html.replace(CSRF_MARK, token)
    return mark_safe(html)


def _render_and_store(
    template, context, discussion, lookup, *, member: bool, pending: frozenset
) -> SharedList:
    key, started, dep = lookup
    reader = NEUTRAL if member else context.get("user")
    csrf = CSRF_MARK if member else ""
    items = []
    for item in discussion.items:
        items.append(
            SharedItem(
                item=item, html=_render_one(template, context, item, reader=reader, csrf=csrf)
            )
        )
    page = discussion.page
    shared = SharedList(
        key=key,
        items=tuple(items),
        page_number=page.number,
        threads=page.paginator.count,
        per_page=page.paginator.per_page,
        started=started,
        expires=started + settings.MINBAR_PAGE_CACHE_SECONDS,
        deps=(dep,),
        featured=tuple(getattr(discussion, "featured", ())),
        pending_authors=pending,
    )
    versions.ensure(shared.deps, since=started)
    _local.put(shared)
    try:
        versions.store().set(PREFIX + key, shared, timeout=settings.MINBAR_PAGE_CACHE_SECONDS)
    except Exception as exc:
        versions.failed(exc)
    return shared


# --- the article itself -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SharedArticle:
    article: object
    started: float
    expires: float
    deps: tuple[str, ...]


_articles: OrderedDict[str, SharedArticle] = OrderedDict()
_articles_lock = threading.Lock()
ARTICLE_PREFIX = "fa:"


def find_article(request, *, slug: str):
    """The live article at `slug` as last read (with its section, tags and authors), while its
    version stamp says it has not changed; None otherwise (then read it, and `keep_article`).

    Only live articles are kept, and a live article is readable by everyone: that is all
    news.access.access_article_for_reading decides for them today. Keep the two in step.
    """
    if not settings.MINBAR_FRAGMENT_CACHE or not versions.available():
        return None
    now = time.time()
    with _articles_lock:
        entry = _articles.get(slug)
    local = entry is not None and entry.expires > now
    if not local:
        try:
            entry = versions.store().get(ARTICLE_PREFIX + slug)
        except Exception as exc:
            versions.failed(exc)
            return None
        if entry is None or entry.expires <= now:
            return None
    stamps = versions.read(entry.deps)
    if stamps is None or not versions.fresh(stamps, names=entry.deps, since=entry.started):
        return None
    if not entry.article.is_live():
        return None
    if not local:
        _remember(slug, entry)
    return entry.article


def _remember(slug: str, entry: SharedArticle) -> None:
    with _articles_lock:
        _articles[slug] = entry
        _articles.move_to_end(slug)
        while len(_articles) > LOCAL_ENTRIES:
            _articles.popitem(last=False)


def keep_article(request, article) -> None:
    """Remember a live article just read for this request, for the next ones."""
    if not settings.MINBAR_FRAGMENT_CACHE or not versions.available() or not article.is_live():
        return
    started = request.META.get(STARTED)
    if started is None:
        return
    entry = SharedArticle(
        article=article,
        started=started,
        expires=started + settings.MINBAR_PAGE_CACHE_SECONDS,
        deps=(versions.article(article.pk),),
    )
    versions.ensure(entry.deps, since=started)
    _remember(article.slug, entry)
    try:
        versions.store().set(
            ARTICLE_PREFIX + article.slug, entry, timeout=settings.MINBAR_PAGE_CACHE_SECONDS
        )
    except Exception as exc:
        versions.failed(exc)
