"""Query-time variants of a word: other spellings of a foreign name, clitic forms of an
unknown word. Pure: no Django. Filled in below."""

from __future__ import annotations


def query_variants(term: str) -> tuple[str, ...]:
    return ()
