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
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minbar.search.arabic.analyser import ANALYSER_VERSION, tokenise
from minbar.search.arabic.stem import is_arabic_word
from minbar.search.backends import get_backend
from minbar.search.documents import (
    ARTICLE_RULE,
    COMMENT_RULE,
    article_batches,
    comment_batches,
    indexable_articles,
    indexable_comments,
    rule_q,
    tag_names,
)
from minbar.search.errors import SearchError
from minbar.search.models import (
    PROTECTED_WORD_MAX,
    ArticleEntry,
    CommentEntry,
    IndexState,
    ProtectedWord,
    VocabularyTerm,
)
from minbar.search.policy import VOCABULARY_TERM_MAX, epoch_seconds, key_seconds
from minbar.search.selectors import forget_protected_words, get_protected_words
from minbar.search.texts import (
    ARTICLE_COLUMNS,
    COMMENT_COLUMNS,
    ArticleText,
    CommentText,
    article_texts,
    comment_texts,
)

STATE = "main"


def protected_digest(words: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()


def _free_keys(texts: Sequence, model: type[ArticleEntry] | type[CommentEntry]) -> list:
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


def _add(
    texts: Sequence,
    model: type[ArticleEntry] | type[CommentEntry],
    add: Callable[[Sequence], None],
    *,
    guarded: bool = True,
) -> None:
    """Insert `texts`; only if a key is taken (rare) look for free keys and insert again.
    `guarded=False`: insert without the savepoint; the caller retries the whole transaction."""
    if not guarded:
        add(texts)
        return
    try:
        with transaction.atomic():
            add(texts)
    except IntegrityError:
        add(_free_keys(texts, model))


def _note_state() -> None:
    """Record the analyser of an index built one change at a time, if none is recorded yet."""
    IndexState.objects.get_or_create(
        name=STATE,
        defaults={
            "analyser_version": ANALYSER_VERSION,
            "protected_digest": protected_digest(get_protected_words()),
        },
    )


def _write_articles(texts: Sequence[ArticleText], *, replace: bool = True) -> int:
    """Replace these articles' entries by `texts` (`replace=False`: they have none)."""
    if replace:
        ArticleEntry.objects.filter(article_id__in=[t.article_id for t in texts]).delete()
    _add(texts, ArticleEntry, get_backend().add_articles)
    return len(texts)


def _write_comments(
    texts: Sequence[CommentText], *, replace: bool = True, guarded: bool = True
) -> int:
    """Replace these comments' entries by `texts` (`replace=False`: they have none)."""
    if replace:
        CommentEntry.objects.filter(comment_id__in=[t.comment_id for t in texts]).delete()
    _add(texts, CommentEntry, get_backend().add_comments, guarded=guarded)
    return len(texts)


def _replace_articles(rows: Sequence[tuple], *, extra: frozenset[str]) -> list[ArticleText]:
    """Index articles given as ARTICLE_COLUMNS rows, replacing their old entries."""
    tags = tag_names(row[0] for row in rows)
    texts = article_texts(rows, tags=tags, extra_protected=extra)
    _write_articles(texts)
    return texts


def _add_to_vocabulary(texts: Sequence[ArticleText]) -> None:
    """Add the new Arabic terms of just-indexed articles to the suggestions' vocabulary (as
    found in one article; a rebuild recounts), so a word is suggested from its first use."""
    terms = {
        term
        for text in texts
        for field in (text.title, text.standfirst, text.tags, text.body)
        for term in field.split()
        if len(term) <= VOCABULARY_TERM_MAX and is_arabic_word(term)
    }
    VocabularyTerm.objects.bulk_create(
        [VocabularyTerm(term=t, first=t[0], length=len(t), documents=1) for t in terms],
        ignore_conflicts=True,
    )


def _add_comment_rows(rows: Sequence[tuple], *, extra: frozenset[str], guarded: bool = True) -> int:
    """Index comments given as COMMENT_COLUMNS rows; their old entries are gone already (the
    callers removed them, or the comments are new)."""
    texts = comment_texts(rows, extra_protected=extra)
    return _write_comments(texts, replace=False, guarded=guarded)


def _reindex_comments_of(article_id: int, *, extra: frozenset[str]) -> None:
    CommentEntry.objects.filter(article_id=article_id).delete()
    rows = list(indexable_comments([article_id]).values_list(*COMMENT_COLUMNS))
    if rows:
        _add_comment_rows(rows, extra=extra)


@transaction.atomic
def do_index_article(*, article_id: int) -> None:
    """Index the article as it now stands, or take it (and its comments) out of the index.

    Its comments are indexed again when what their entries hold from the article (publication
    time, section) changed, or when the article comes back.
    """
    _note_state()
    extra = get_protected_words()
    row = indexable_articles().filter(pk=article_id).values_list(*ARTICLE_COLUMNS).first()
    old = ArticleEntry.objects.filter(article_id=article_id).values("id", "section_id").first()
    if row is None:  # gone, or a draft again
        ArticleEntry.objects.filter(article_id=article_id).delete()
        CommentEntry.objects.filter(article_id=article_id).delete()
        return
    _add_to_vocabulary(_replace_articles([row], extra=extra))
    _pk, section_id, published_at, *_text = row
    moved = old is None or (
        key_seconds(old["id"]) != epoch_seconds(published_at) or old["section_id"] != section_id
    )
    if moved:
        _reindex_comments_of(article_id, extra=extra)


def do_index_comments(*, article_id: int, comment_ids: Iterable[int]) -> None:
    """Index these comments as they now stand; those no longer visible leave the index.

    Runs after every vote and moderation decision, so it stays lean: the analyser is noted by
    `do_index_article` (a comment is found only with its article), and the rare taken key is
    handled by doing the transaction again rather than by a savepoint around every insert."""
    comment_ids = list(comment_ids)
    if not comment_ids:
        return
    try:
        _index_comments(article_id, comment_ids, guarded=False)
    except IntegrityError:
        _index_comments(article_id, comment_ids, guarded=True)


@transaction.atomic
def _index_comments(article_id: int, comment_ids: list[int], *, guarded: bool) -> None:
    rows = list(
        indexable_comments([article_id]).filter(pk__in=comment_ids).values_list(*COMMENT_COLUMNS)
    )
    CommentEntry.objects.filter(comment_id__in=comment_ids).delete()
    if rows:
        _add_comment_rows(rows, extra=get_protected_words(), guarded=guarded)


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


class _Analysis:
    """Runs the analysis of batch n+1 in another process while this one writes batch n.

    Analysis is pure Python and writing is mostly the database's work, so on two cores the two
    overlap. The worker starts only when there is a second batch (small rebuilds, tests, stay in
    one process) and is spawned, not forked: it imports only `search.texts`, never Django.
    """

    def __init__(self, *, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.pending: deque[Future] = deque()
        self.batches = 0

    def submit(self, function: Callable, *args: Any, **kwargs: Any) -> None:
        self.batches += 1
        if self.workers > 0 and self.batches > 1 and self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        if self.pool is None:
            done: Future = Future()
            done.set_result(function(*args, **kwargs))
            self.pending.append(done)
        else:
            self.pending.append(self.pool.submit(function, *args, **kwargs))

    def ready(self) -> Iterator[Any]:
        """Results in order: each one as soon as enough later batches are queued behind it."""
        while len(self.pending) > max(1, self.workers):
            yield self.pending.popleft().result()

    def rest(self) -> Iterator[Any]:
        while self.pending:
            yield self.pending.popleft().result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def do_rebuild_index(
    *,
    batch_size: int = 5000,
    clear: bool = False,
    workers: int = 1,
    progress: Callable[[str, int], None] | None = None,
) -> RebuildReport:
    """Index every indexable article and comment again, then drop entries that should not be.

    Batches commit one by one, so readers keep searching (old and new entries side by side)
    and writers wait at most one batch. `clear` empties the index first: faster when most
    entries are stale anyway (and on PostgreSQL the GIN indexes are then built once, after the
    rows, not entry by entry), but searches find less, and slowly, until the rebuild ends.
    `workers` processes analyse text while this one writes (0: all in this process).
    """
    backend = get_backend()
    extra = get_protected_words()
    if clear:
        with transaction.atomic():
            backend.clear()

    # An empty index (after `clear`, or never built) has no old entries to look for.
    replace = {
        "articles": not clear and ArticleEntry.objects.exists(),
        "comments": not clear and CommentEntry.objects.exists(),
    }

    def write(kind: str, texts: list, writer: Callable[..., int], done: int) -> int:
        with transaction.atomic():
            done += writer(texts, replace=replace[kind])
        if progress:
            progress(kind, done)
        return done

    def run(
        batches: Iterable[list],
        analyse: Callable,
        writer: Callable[..., int],
        kind: str,
        kw: Callable[[list], dict[str, Any]] | None = None,
    ) -> int:
        """Analyse batch n+1 (maybe elsewhere) while writing batch n; how many were written."""
        done = 0
        analysis = _Analysis(workers=workers)
        try:
            for rows in batches:
                analysis.submit(analyse, rows, extra_protected=extra, **kw(rows) if kw else {})
                for texts in analysis.ready():
                    done = write(kind, texts, writer, done)
            for texts in analysis.rest():
                done = write(kind, texts, writer, done)
        finally:
            analysis.close()
        return done

    with backend.bulk(cleared=clear):
        started = time.perf_counter()
        articles = run(
            article_batches(size=batch_size),
            article_texts,
            _write_articles,
            "articles",
            kw=lambda rows: {"tags": tag_names(row[0] for row in rows)},
        )
        with transaction.atomic():
            removed_articles, _detail = ArticleEntry.objects.filter(
                ~rule_q(ARTICLE_RULE, through="article")
            ).delete()
        backend.build_indexes("articles")  # counted in the rate: part of writing the entries
        article_seconds = time.perf_counter() - started

        started = time.perf_counter()
        comments = run(
            comment_batches(size=batch_size),
            comment_texts,
            _write_comments,
            "comments",
        )
        with transaction.atomic():
            removed_comments, _detail = CommentEntry.objects.filter(
                ~rule_q(COMMENT_RULE, through="comment")
            ).delete()
        backend.build_indexes("comments")
        comment_seconds = time.perf_counter() - started

    do_refresh_vocabulary()
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


def do_refresh_vocabulary(*, batch_size: int = 5000) -> int:
    """Replace the "did you mean" vocabulary by the Arabic terms of the articles' index, as
    the engine holds them; how many terms. `do_rebuild_index` ends with it; run it alone
    (`rebuild_search_index --vocabulary-only`) to take in what was indexed since."""
    backend = get_backend()
    rows = [
        VocabularyTerm(term=term, first=term[0], length=len(term), documents=documents)
        for term, documents in backend.vocabulary()
        if term and len(term) <= VOCABULARY_TERM_MAX and is_arabic_word(term)
    ]
    with transaction.atomic():
        VocabularyTerm.objects.all().delete()
        VocabularyTerm.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


# --- protected words -------------------------------------------------------------------------


def check_protected_word(word: str) -> str:
    """The word as it will be stored, or a SearchError saying what is wrong with it."""
    word = word.strip()
    if not word:
        raise SearchError("empty", _("Write the word to protect."), field="word")
    if len(word) > PROTECTED_WORD_MAX:
        raise SearchError(
            "length",
            _("A protected word has at most %(max)s letters.") % {"max": PROTECTED_WORD_MAX},
            field="word",
        )
    if len(tokenise(word)) != 1:
        raise SearchError(
            "one-word", _("Write one word only, without spaces or punctuation."), field="word"
        )
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
