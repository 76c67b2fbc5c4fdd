""" "Did you mean": the closest spelling, as a table (pure; the page test covers the rest)."""

from __future__ import annotations

import pytest

from minbar.search.query import parse_query
from minbar.search.suggest import closest, suggestion

VOCABULARY = {"حكومه": 40, "حكمه": 3, "موازنه": 12, "وزير": 50, "وزن": 9, "انتخاب": 30}


def near(term: str) -> list[tuple[str, int]]:
    return [(t, n) for t, n in VOCABULARY.items() if t[0] == term[0]]


def known(terms: set[str]) -> set[str]:
    return terms & set(VOCABULARY)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("حكومع", "حكومه"),  # one letter wrong
        ("حكوومه", "حكومه"),  # one letter too many
        ("حكمع", "حكمه"),  # short words: one edit at most
        ("وزيز", "وزير"),  # the more frequent of two at the same distance
        ("انتخبات", "انتخاب"),  # longer words: two edits
        ("حقيبه", None),  # too far from anything
    ],
)
def test_closest_spelling_is_within_a_few_edits_of_the_folded_term(term, expected):
    assert closest(term, near(term)) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("الحكومع", "حكومه"),
        ("حكومع الموازنه", "حكومه موازنه"),
        ('"حكومع الموازنه"', '"حكومه موازنه"'),
        ("الحكومة", ""),  # known: nothing to suggest
        ("حكومع طماطم", ""),  # one word has no close spelling: no suggestion
        ("حكومع*", ""),  # prefixes are not corrected
        ("حكومع -وزير", "حكومه -وزير"),  # exclusions are kept as typed
    ],
)
def test_suggestion_rewrites_only_unknown_terms(typed, expected):
    assert suggestion(parse_query(typed), known=known, candidates=near) == expected
