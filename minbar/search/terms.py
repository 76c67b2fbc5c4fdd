"""Text → index terms, fast enough to index a whole archive, identical to the analyser.

`index_terms(text)` returns exactly `analyse(text)` (each term cut to `MAX_TERM_LENGTH`), but
analyses each whitespace-separated chunk once per process and remembers it: news text repeats
the same chunks ("الحكومة", "في", "قال،") so most words become a dictionary look-up. This is
sound because the analyser works word by word and a word never spans whitespace (normalising
keeps whitespace as whitespace); a test compares the two on awkward text to keep it so.

Pure: no Django, no database. The indexer and the query parser both call it, so a document and a
query always meet on the same terms.
"""

from __future__ import annotations

from minbar.search.arabic.analyser import analyse

# Longer terms are cut on both sides (PostgreSQL will not index a lexeme over 2 KB, and nothing
# a reader types is that long); two words sharing their first 64 letters meet, which is harmless.
MAX_TERM_LENGTH = 64
# Chunks longer than this are analysed without being remembered (pasted junk would fill memory).
_CACHED_CHUNK_MAX = 48


# Remembered chunks, per set of protected words; emptied when full (news text keeps a working
# set far below this, and pasted junk must not grow memory without bound).
_CACHE_MAX = 200_000
_caches: dict[frozenset[str], dict[str, tuple[str, ...]]] = {}


def _analyse_chunk(chunk: str, extra_protected: frozenset[str]) -> tuple[str, ...]:
    return tuple(term[:MAX_TERM_LENGTH] for term in analyse(chunk, extra_protected=extra_protected))


def _cache_for(extra_protected: frozenset[str]) -> dict[str, tuple[str, ...]]:
    cache = _caches.get(extra_protected)
    if cache is None:
        if len(_caches) > 8:  # protected words changed several times: drop the old sets
            _caches.clear()
        cache = _caches.setdefault(extra_protected, {})
    return cache


def index_terms(
    text: str, *, extra_protected: frozenset[str] = frozenset(), limit: int | None = None
) -> list[str]:
    """The analysed terms of `text`, in order; at most `limit` of them when given."""
    cache = _cache_for(extra_protected)
    get = cache.get
    terms: list[str] = []
    extend = terms.extend  # this loop runs once per word of the archive: kept lean
    for chunk in text.split():
        found = get(chunk)
        if found is None:
            found = _analyse_chunk(chunk, extra_protected)
            if len(chunk) <= _CACHED_CHUNK_MAX:
                if len(cache) >= _CACHE_MAX:
                    cache.clear()
                cache[chunk] = found
        extend(found)
    return terms if limit is None else terms[:limit]


def shadow_text(
    text: str, *, extra_protected: frozenset[str] = frozenset(), limit: int | None = None
) -> str:
    """`index_terms` joined by spaces: what the engines index instead of the text itself."""
    return " ".join(index_terms(text, extra_protected=extra_protected, limit=limit))


def word_terms(word: str, *, extra_protected: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The terms of one displayed word (for highlighting); remembered like any chunk."""
    found = _cache_for(extra_protected).get(word)
    return found if found is not None else tuple(index_terms(word, extra_protected=extra_protected))
