"""The whole development set through the search page, on whichever engine the suite runs on
(CI runs it on SQLite and on PostgreSQL): every pair gives exactly the answer of the pure rule
(`query.matches` over the analyser's terms, what arabic/test_devset.py and the bench measure),
so both engines behave alike and as measured.

One article per pair, titled with a tag of its own; each query is sent with its pair's tag, so
the page answers "does this query find this document" in one request.
"""

from __future__ import annotations

import pytest

from minbar.search.query import matches, parse_query
from minbar.search.terms import index_terms
from tests.factories import make_article
from tests.search.devset import REACHED, held, read_devset, tally
from tests.search.helpers import found_articles

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def tag(n: int) -> str:
    return f"pair{n}x"


def test_every_devset_pair_behaves_on_the_page_as_the_rule_says(client, committed):
    rows = read_devset()
    with committed():
        articles = [make_article(title=tag(n), body=row["document"]) for n, row in enumerate(rows)]
    differ, found = [], []
    for n, (row, article) in enumerate(zip(rows, articles, strict=True)):
        on_page = article.pk in found_articles(client, f"{row['query']} {tag(n)}")
        by_rule = matches(parse_query(row["query"]), index_terms(row["document"]))
        found.append(on_page)
        if on_page != by_rule:
            differ.append(f"{row['id']}: page={on_page} rule={by_rule} {row['query']}")
    assert not differ, differ
    counts = tally(rows, found)
    assert all(counts[c][0] >= m and counts[c][1] >= n for c, (m, n) in REACHED.items())
    assert sum(held(row, hit) for row, hit in zip(rows, found, strict=True)) >= 0.95 * len(rows)
