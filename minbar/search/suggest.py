""" "Did you mean …": the closest spelling of a query that found nothing, from the index's own
vocabulary. Pure: the caller passes the vocabulary's candidates (see selectors).

Distances are counted on index terms, i.e. on folded text (hamza and alef forms, ta marbuta,
alef maqsura, harakat and tatweel are already gone, clitics and endings too), so a suggestion
fixes what a reader actually mistyped, not spelling variants the search already accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz.distance import Levenshtein

from minbar.search.policy import SUGGEST_SHORT
from minbar.search.query import Query


def allowed_edits(term: str) -> int:
    return 1 if len(term) <= SUGGEST_SHORT else 2


def closest(term: str, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The candidate (term, documents) nearest to `term` within `allowed_edits`, the more
    frequent first among equals; None when there is none."""
    limit = allowed_edits(term)
    best: tuple[int, int, str] | None = None
    for candidate, documents in candidates:
        distance = Levenshtein.distance(term, candidate, score_cutoff=limit)
        if candidate != term and distance <= limit:
            key = (distance, -documents, candidate)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def suggestion(
    query: Query,
    *,
    known: Callable[[set[str]], set[str]],
    candidates: Callable[[str], Iterable[tuple[str, int]]],
) -> str:
    """The query rewritten with each unknown term replaced by its closest known one, or ""
    when every term is known or some unknown term has no close spelling. `known(terms)` says
    which terms the vocabulary holds; `candidates(term)` lists (term, documents) near it."""
    wanted = [c for c in query.positive if not c.prefix]
    if not wanted or len(wanted) != len(query.positive):
        return ""
    terms = {term for clause in wanted for term in clause.terms}
    missing = terms - known(terms)
    if not missing:
        return ""
    fixed: dict[str, str] = {}
    for term in sorted(missing):
        found = closest(term, candidates(term))
        if found is None:
            return ""
        fixed[term] = found
    words = []
    for clause in (*wanted, *query.negative):
        text = " ".join(fixed.get(term, term) for term in clause.terms)
        text = f'"{text}"' if clause.is_phrase else text
        words.append(f"-{text}" if clause.negated else text)
    return " ".join(words)
