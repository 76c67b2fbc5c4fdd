"""Text → index terms, the same way for indexing and for querying.

`analyse` is the only entry point search backends need: they index `analyse_to_text(body)` (the
"shadow text") in SQLite FTS5 (unicode61) or PostgreSQL `to_tsvector('simple', …)`, and turn a
query into terms with `analyse(query)`. Both tokenisers split on anything that is not a letter or
digit, so terms are made of letters and digits only and survive them unchanged.

Any change in the output of `analyse` (normaliser, stemmer, lexicon) makes existing indexes stale:
bump `ANALYSER_VERSION`, so backends know to reindex, and regenerate the golden file.
"""

from __future__ import annotations

import re

from minbar.search.arabic.normalise import normalise
from minbar.search.arabic.stem import stem

__all__ = ["ANALYSER_VERSION", "analyse", "analyse_to_text", "tokenise"]

ANALYSER_VERSION: int = 3

_TOKEN = re.compile(r"[^\W_]+")


def tokenise(text: str) -> list[str]:
    """Normalise `text` and split it into words: maximal runs of letters and digits, in order.

    Everything else (spaces, Latin and Arabic punctuation, symbols, underscores, combining marks
    that survive normalisation) separates words and is dropped.
    """
    return _TOKEN.findall(normalise(text))


def analyse(text: str, *, extra_protected: frozenset[str] = frozenset()) -> list[str]:
    """Return the index terms of `text`, one per word, in order; never raises.

    Each word of `tokenise(text)` is stemmed (see `stem`): Arabic words lose clitics and
    suffixes, countries and their nisba adjectives share the country's term; Latin words and
    numbers stay as they are (casefolded by `normalise`, not stemmed). `extra_protected` names
    words the stemmer must keep whole, on top of `lexicon.PROTECTED`; pass the same set when
    indexing and when querying. Every term is a non-empty run of letters and digits.
    """
    return [stem(word, extra_protected=extra_protected) for word in tokenise(text)]


def analyse_to_text(text: str, *, extra_protected: frozenset[str] = frozenset()) -> str:
    """Return `analyse(text, …)` joined by single spaces: the shadow text to index."""
    return " ".join(analyse(text, extra_protected=extra_protected))
