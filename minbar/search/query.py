"""The reader's query language, parsed into analysed clauses. Pure: no Django, no database.

    word word      every word must match (in any field)
    "a phrase"     these words, next to each other, in this order, within one field
    word*          a word starting with this (after analysis: "الحكو*" looks for حكو…)
    -word -"a b"   documents with this word or phrase are left out

Everything else is plain text: `OR`, `AND`, `NOT`, `NEAR(`, `^`, `:`, brackets and any other
punctuation are either words like any other ("or") or separators. An unmatched `"` is ignored.
Each word goes through the same analysis as the index (`terms.index_terms`), so a clause holds
index terms made only of letters and digits, which the engines' query builders quote themselves:
nothing the reader typed reaches an engine as syntax.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from minbar.search.arabic.analyser import tokenise
from minbar.search.arabic.stem import prefix_stem
from minbar.search.names import query_variants
from minbar.search.policy import MAX_CLAUSES, MAX_SPELLINGS, MIN_PREFIX_LENGTH
from minbar.search.terms import MAX_TERM_LENGTH, index_terms

QUOTE = '"'
NOT = "-"
PREFIX = "*"


class Problem(Enum):
    """Why a query cannot be searched."""

    EMPTY = "empty"  # nothing but spaces
    NO_WORDS = "no-words"  # only punctuation or operators
    ONLY_EXCLUSIONS = "only-exclusions"  # "-word" with nothing to look for


@dataclass(frozen=True, slots=True)
class Clause:
    """One word (one term) or phrase (several terms, adjacent, in order).

    `variants[i]`, when given, lists other terms that count as `terms[i]` (spellings of a
    foreign name, an unknown word with a clitic in front): see `names.query_variants`.
    """

    terms: tuple[str, ...]
    prefix: bool = False  # the last term is a prefix
    negated: bool = False
    variants: tuple[tuple[str, ...], ...] = ()

    @property
    def is_phrase(self) -> bool:
        return len(self.terms) > 1

    def options(self, position: int) -> tuple[str, ...]:
        """The term at `position` and its variants: any of them matches there."""
        extra = self.variants[position] if self.variants else ()
        return (self.terms[position], *extra)

    def spellings(self, *, limit: int = MAX_SPELLINGS) -> list[tuple[str, ...]]:
        """Every sequence of terms the clause accepts, the reader's own first, at most `limit`
        (for engines whose phrases cannot hold alternatives)."""
        found: list[tuple[str, ...]] = [()]
        for position in range(len(self.terms)):
            found = [(*done, option) for done in found for option in self.options(position)]
            found = found[:limit]
        return found


@dataclass(frozen=True, slots=True)
class Query:
    clauses: tuple[Clause, ...] = ()
    problem: Problem | None = None
    # Clauses beyond MAX_CLAUSES that were left out.
    dropped: int = 0
    positive: tuple[Clause, ...] = field(init=False)
    negative: tuple[Clause, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "positive", tuple(c for c in self.clauses if not c.negated))
        object.__setattr__(self, "negative", tuple(c for c in self.clauses if c.negated))

    @property
    def is_searchable(self) -> bool:
        return self.problem is None

    def highlight_terms(self) -> frozenset[str]:
        """Terms to mark in results: every term of what the reader looks for, except prefixes."""
        return frozenset(
            term
            for clause in self.positive
            for position in range(len(clause.terms) - (1 if clause.prefix else 0))
            for term in clause.options(position)
        )

    def highlight_prefixes(self) -> tuple[str, ...]:
        return tuple(sorted({c.terms[-1] for c in self.positive if c.prefix}))


def _pieces(text: str) -> list[tuple[str, bool, bool]]:
    """Split the raw text into (body, negated, prefix) pieces; quotes make one piece each."""
    if text.count(QUOTE) % 2:
        # The last quote has no partner: it is plain punctuation.
        cut = text.rfind(QUOTE)
        text = f"{text[:cut]} {text[cut + 1 :]}"
    pieces: list[tuple[str, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        while i < n and text[i] == NOT:
            i += 1
        negated = i > start and i < n and not text[i].isspace()
        if i < n and text[i] == QUOTE:
            close = text.index(QUOTE, i + 1)
            body = text[i + 1 : close]
            i = close + 1
            prefix = i < n and text[i] == PREFIX
            while i < n and text[i] == PREFIX:
                i += 1
            pieces.append((body, negated, prefix))
            continue
        begin = i
        while i < n and not text[i].isspace() and text[i] != QUOTE:
            i += 1
        body = text[begin:i]
        stripped = body.rstrip(PREFIX)
        pieces.append((stripped, negated, stripped != body))
    return pieces


@functools.lru_cache(maxsize=16)
def _protected_terms(extra_protected: frozenset[str]) -> frozenset[str]:
    return frozenset(
        term
        for word in extra_protected
        for term in index_terms(word, extra_protected=extra_protected)
    )


def _variants(
    body: str, terms: tuple[str, ...], *, prefix: bool, protected: frozenset[str]
) -> tuple[tuple[str, ...], ...]:
    """Each term's variants (see `names`); none for a prefix, or for the staff's protected
    words, which are known words."""
    words = tokenise(body)
    if len(words) != len(terms):
        return ()
    found = tuple(
        () if (prefix and i == len(terms) - 1) or term in protected else query_variants(word, term)
        for i, (word, term) in enumerate(zip(words, terms, strict=True))
    )
    return found if any(found) else ()


def parse_query(text: str, *, extra_protected: frozenset[str] = frozenset()) -> Query:
    """Parse what the reader typed; never raises. See the module docstring for the language.

    `extra_protected` must be the set the index was built with (the staff's protected words).
    """
    if not text.strip():
        return Query(problem=Problem.EMPTY)
    protected = _protected_terms(extra_protected)
    clauses: list[Clause] = []
    seen: set[Clause] = set()
    for body, negated, prefix in _pieces(text):
        terms = tuple(index_terms(body, extra_protected=extra_protected))
        if not terms:
            continue
        if prefix:
            # The last word is the start of words, not a word: its end is not an ending.
            words = tokenise(body)
            if len(words) == len(terms):
                terms = (*terms[:-1], prefix_stem(words[-1])[:MAX_TERM_LENGTH])
        variants = _variants(body, terms, prefix=prefix, protected=protected)
        clause = Clause(
            terms=terms,
            prefix=prefix and len(terms[-1]) >= MIN_PREFIX_LENGTH,
            negated=negated,
            variants=variants if any(variants) else (),
        )
        if clause not in seen:
            seen.add(clause)
            clauses.append(clause)
    kept, dropped = tuple(clauses[:MAX_CLAUSES]), max(0, len(clauses) - MAX_CLAUSES)
    if not kept:
        return Query(problem=Problem.NO_WORDS)
    if all(clause.negated for clause in kept):
        return Query(clauses=kept, problem=Problem.ONLY_EXCLUSIONS, dropped=dropped)
    return Query(clauses=kept, dropped=dropped)


def _clause_matches(clause: Clause, terms: Sequence[str]) -> bool:
    last = len(clause.terms) - 1
    if not clause.is_phrase:
        options = clause.options(0)
        return any(t.startswith(options) if clause.prefix else t in options for t in terms)

    def fits(spelling: tuple[str, ...], start: int) -> bool:
        for offset, wanted in enumerate(spelling):
            term = terms[start + offset]
            if not (
                term.startswith(wanted) if clause.prefix and offset == last else term == wanted
            ):
                return False
        return True

    spellings = clause.spellings()
    return any(fits(s, start) for start in range(len(terms) - last) for s in spellings)


def matches(query: Query, terms: Sequence[str]) -> bool:
    """Whether a document whose text has the index terms `terms` (in order, one field) is a
    hit for `query`, by the rule both engines follow: every positive clause is there (a phrase
    as consecutive terms, any variant counting for its term), no negated one is. Pure; the
    engine tests check that SQLite and PostgreSQL agree with it."""
    if not query.is_searchable:
        return False
    return all(_clause_matches(c, terms) for c in query.positive) and not any(
        _clause_matches(c, terms) for c in query.negative
    )
