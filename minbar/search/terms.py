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

import functools

from minbar.search.arabic.analyser import analyse

# Longer terms are cut on both sides (PostgreSQL will not index a lexeme over 2 KB, and nothing
# a reader types is that long); two words sharing their first 64 letters meet, which is harmless.
MAX_TERM_LENGTH = 64
# Chunks longer than this are analysed without being remembered (pasted junk would fill memory).
_CACHED_CHUNK_MAX = 48


@functools.lru_cache(maxsize=200_000)
def _chunk_terms(chunk: str, extra_protected: frozenset[str]) -> tuple[str, ...]:
    return _analyse_chunk(chunk, extra_protected)


def _analyse_chunk(chunk: str, extra_protected: frozenset[str]) -> tuple[str, ...]:
    return tuple(term[:MAX_TERM_LENGTH] for term in analyse(chunk, extra_protected=extra_protected))


def index_terms(
    text: str, *, extra_protected: frozenset[str] = frozenset(), limit: int | None = None
) -> list[str]:
    """The analysed terms of `text`, in order; at most `limit` of them when given."""
    terms: list[str] = []
    for chunk in text.split():
        if len(chunk) <= _CACHED_CHUNK_MAX:
            terms.extend(_chunk_terms(chunk, extra_protected))
        else:
            terms.extend(_analyse_chunk(chunk, extra_protected))
        if limit is not None and len(terms) >= limit:
            return terms[:limit]
    return terms


def shadow_text(
    text: str, *, extra_protected: frozenset[str] = frozenset(), limit: int | None = None
) -> str:
    """`index_terms` joined by spaces: what the engines index instead of the text itself."""
    return " ".join(index_terms(text, extra_protected=extra_protected, limit=limit))


def word_terms(word: str, *, extra_protected: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The terms of one displayed word (for highlighting); remembered like any chunk."""
    if len(word) <= _CACHED_CHUNK_MAX:
        return _chunk_terms(word, extra_protected)
    return _analyse_chunk(word, extra_protected)
