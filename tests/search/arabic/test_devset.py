"""The development set through the pure matching rule (analyser + query parser + `matches`),
the rule both engines follow (test_devset_search.py checks them on it through the page)."""

from __future__ import annotations

import pytest

from minbar.search.query import matches, parse_query
from minbar.search.terms import index_terms
from tests.search.devset import (
    MUST_MATCH_TARGET,
    MUST_NOT_TARGET,
    REACHED,
    held,
    read_devset,
    tally,
)

ROWS = read_devset()


def found(row: dict[str, str]) -> bool:
    return matches(parse_query(row["query"]), index_terms(row["document"]))


def test_devset_is_well_formed_and_large_enough() -> None:
    assert len({row["id"] for row in ROWS}) == len(ROWS) >= 300
    assert {row["expect"] for row in ROWS} == {"match", "nomatch"}
    assert sum(row["expect"] == "nomatch" for row in ROWS) >= 100
    assert len({(row["query"], row["document"]) for row in ROWS}) == len(ROWS)
    assert {row["category"] for row in ROWS} == set(REACHED)


def test_search_meets_the_targets_over_the_devset() -> None:
    results = [found(row) for row in ROWS]
    matched = [held(r, f) for r, f in zip(ROWS, results, strict=True) if r["expect"] == "match"]
    avoided = [held(r, f) for r, f in zip(ROWS, results, strict=True) if r["expect"] != "match"]
    assert sum(matched) / len(matched) >= MUST_MATCH_TARGET
    assert sum(avoided) / len(avoided) >= MUST_NOT_TARGET


@pytest.mark.parametrize("category", sorted(REACHED))
def test_search_keeps_what_it_reached_in_each_category(category: str) -> None:
    rows = [row for row in ROWS if row["category"] == category]
    got = tally(rows, [found(row) for row in rows])[category]
    wrong = [
        f"{row['id']} {row['expect']}: {row['query']} | {row['document']}"
        for row in rows
        if not held(row, found(row))
    ]
    reached = REACHED[category]
    assert got[0] >= reached[0] and got[1] >= reached[1], wrong
