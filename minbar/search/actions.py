"""Every write to the search index, and to the protected words it is built with.

The index follows the site through `minbar.core.signals` (see receivers.py): `do_index_article`
and `do_index_comments` bring the entries of what changed in step with the database, whatever
the change was (publish, edit, unpublish, restore, post, edit, delete, moderation, vote), by
reading the current state and replacing the entries. `do_rebuild_index` does the same for
everything, in batches, without emptying the index first (searches keep working meanwhile).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minbar.news.models import Article
from minbar.search.arabic.analyser import ANALYSER_VERSION, tokenise
from minbar.search.backends import ArticleText, CommentText, get_backend
from minbar.search.documents import (
    COMMENT_COLUMNS,
    INDEXED_STATUSES,
    article_text,
    comment_texts,
    indexable_articles,
    indexable_comments,
    is_indexable_article,
)
from minbar.search.models import (
    PROTECTED_WORD_MAX,
    ArticleEntry,
    CommentEntry,
    IndexState,
    ProtectedWord,
)
from minbar.search.selectors import forget_protected_words, get_protected_words

STATE = "main"


def protected_digest(words: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()


def _free_keys(texts: Sequence, model: type[Model]) -> list:
    """The texts with keys no other entry holds (see policy: collisions are rare but legal)."""
    taken = set(model.objects.filter(id__in=[t.key for t in texts]).values_list("id", flat=True))
    result = []
    for text in texts:
        key = text.key
        while key in taken:
            key += 1
            if model.objects.filter(id=key).exists():
                taken.add(key)
        taken.add(key)
        result.append(text if key == text.key else dataclasses.replace(text, key=key))
    return result


def _note_state() -> None:
    """Record the analyser of an index built one change at a time, if none is recorded yet."""
    IndexState.objects.get_or_create(
        name=STATE,
        defaults={
            "analyser_version": ANALYSER_VERSION,
            "protected_digest": protected_digest(get_protected_words()),
        },
    )


def _article_texts(articles: Iterable[Article], *, extra: frozenset[str]) -> list[ArticleText]:
    return [
        article_text(a, tag_names=[t.name for t in a.tags.all()], extra_protected=extra)
        for a in articles
    ]


def _replace_comments(rows: Sequence[tuple], *, extra: frozenset[str]) -> int:
    """Index comments given as COMMENT_COLUMNS rows, replacing their old entries."""
    CommentEntry.objects.filter(comment_id__in=[row[0] for row in rows]).delete()
    texts: list[CommentText] = _free_keys(comment_texts(rows, extra_protected=extra), CommentEntry)
    get_backend().add_comments(texts)
    return len(texts)


def _reindex_comments_of(article_id: int, *, extra: frozenset[str]) -> None:
    CommentEntry.objects.filter(article_id=article_id).delete()
    rows = list(indexable_comments([article_id]).values_list(*COMMENT_COLUMNS))
    if rows:
        _replace_comments(rows, extra=extra)


@transaction.atomic
def do_index_article(*, article_id: int) -> None:
    """Index the article as it now stands, or take it (and its comments) out of the index.

    Its comments are indexed again when what their entries hold from the article (publication
    time, section) changed, or when the article comes back.
    """
    _note_state()
    extra = get_protected_words()
    article = Article.objects.filter(pk=article_id).prefetch_related("tags").first()
    old = ArticleEntry.objects.filter(article_id=article_id).values("date", "section_id").first()
    if article is None or not is_indexable_article(
        status=article.status, published_at=article.published_at
    ):
        ArticleEntry.objects.filter(article_id=article_id).delete()
        CommentEntry.objects.filter(article_id=article_id).delete()
        return
    ArticleEntry.objects.filter(article_id=article_id).delete()
    texts = _free_keys(_article_texts([article], extra=extra), ArticleEntry)
    get_backend().add_articles(texts)
    if old != {"date": article.published_at, "section_id": article.section_id}:
        _reindex_comments_of(article_id, extra=extra)


@transaction.atomic
def do_index_comments(*, article_id: int, comment_ids: Iterable[int]) -> None:
    """Index these comments as they now stand; those no longer visible leave the index."""
    _note_state()
    comment_ids = list(comment_ids)
    if not comment_ids:
        return
    rows = list(
        indexable_comments([article_id]).filter(pk__in=comment_ids).values_list(*COMMENT_COLUMNS)
    )
    CommentEntry.objects.filter(comment_id__in=comment_ids).delete()
    if rows:
        _replace_comments(rows, extra=get_protected_words())


# --- rebuilding ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildReport:
    articles: int
    comments: int
    article_seconds: float
    comment_seconds: float
    removed_articles: int
    removed_comments: int

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.article_seconds if self.article_seconds else 0.0

    @property
    def comments_per_second(self) -> float:
        return self.comments / self.comment_seconds if self.comment_seconds else 0.0


def _batches_by_pk(queryset, *, size: int, columns: tuple[str, ...] | None = None):
    """Rows of `queryset` in pk order, `size` at a time, without OFFSET (keyset pagination)."""
    last = 0
    while True:
        page = queryset.filter(pk__gt=last).order_by("pk")
        page = list(page.values_list(*columns)[:size] if columns else page[:size])
        if not page:
            return
        yield page
        last = page[-1][0] if columns else page[-1].pk


def do_rebuild_index(
    *,
    batch_size: int = 1000,
    clear: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> RebuildReport:
    """Index every indexable article and comment again, then drop entries that should not be.

    Batches commit one by one, so readers keep searching (old and new entries side by side)
    and writers wait at most one batch. `clear` empties the index first (faster when most
    entries are stale anyway, but searches find less until the rebuild ends).
    """
    backend = get_backend()
    extra = get_protected_words()
    if clear:
        with transaction.atomic():
            backend.clear()

    started = time.perf_counter()
    articles = 0
    live = indexable_articles().prefetch_related("tags")
    for batch in _batches_by_pk(live, size=batch_size):
        with transaction.atomic():
            ArticleEntry.objects.filter(article_id__in=[a.pk for a in batch]).delete()
            backend.add_articles(_free_keys(_article_texts(batch, extra=extra), ArticleEntry))
        articles += len(batch)
        if progress:
            progress("articles", articles)
    with transaction.atomic():
        removed_articles, _detail = ArticleEntry.objects.filter(
            ~Q(article__status__in=INDEXED_STATUSES) | Q(article__published_at__isnull=True)
        ).delete()
    article_seconds = time.perf_counter() - started

    started = time.perf_counter()
    comments = 0
    for rows in _batches_by_pk(indexable_comments(), size=batch_size, columns=COMMENT_COLUMNS):
        with transaction.atomic():
            comments += _replace_comments(rows, extra=extra)
        if progress:
            progress("comments", comments)
    with transaction.atomic():
        removed_comments, _detail = CommentEntry.objects.filter(
            ~Q(comment__status="visible")
            | ~Q(article__status__in=INDEXED_STATUSES)
            | Q(article__published_at__isnull=True)
        ).delete()
    comment_seconds = time.perf_counter() - started

    IndexState.objects.update_or_create(
        name=STATE,
        defaults={
            "analyser_version": ANALYSER_VERSION,
            "protected_digest": protected_digest(extra),
            "rebuilt_at": timezone.now(),
        },
    )
    return RebuildReport(
        articles=articles,
        comments=comments,
        article_seconds=article_seconds,
        comment_seconds=comment_seconds,
        removed_articles=removed_articles,
        removed_comments=removed_comments,
    )


# --- protected words -------------------------------------------------------------------------


def check_protected_word(word: str) -> str:
    """The word as it will be stored, or a ValidationError saying what is wrong with it."""
    word = word.strip()
    if not word:
        raise ValidationError(_("Write the word to protect."))
    if len(word) > PROTECTED_WORD_MAX:
        raise ValidationError(
            _("A protected word has at most %(max)s letters.") % {"max": PROTECTED_WORD_MAX}
        )
    if len(tokenise(word)) != 1:
        raise ValidationError(_("Write one word only, without spaces or punctuation."))
    return word


def do_save_protected_word(word: ProtectedWord) -> ProtectedWord:
    """Store a (checked) protected word; new analysis uses it at once, after commit."""
    word.save()
    transaction.on_commit(forget_protected_words)
    return word


def do_delete_protected_words(words: Iterable[ProtectedWord]) -> int:
    pks = [word.pk for word in words]
    deleted, _detail = ProtectedWord.objects.filter(pk__in=pks).delete()
    transaction.on_commit(forget_protected_words)
    return deleted
