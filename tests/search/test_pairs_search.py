"""The shared query/document pairs, through the real search over HTTP: each `match` row's
article is found by its query, each `no-match` row's is not (20/20 and 5/5, on either engine).

The table is the team's, next to the checkout: `<repo>/../shared/search/arabic-pairs.tsv`
(or MINBAR_ARABIC_PAIRS).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from tests.conftest import service_missing
from tests.factories import make_article
from tests.search.helpers import all_found_articles

REPO_ROOT = Path(__file__).resolve().parents[2]
PAIRS = Path(
    os.environ.get("MINBAR_ARABIC_PAIRS")
    or REPO_ROOT.parent / "shared" / "search" / "arabic-pairs.tsv"
)


def _rows() -> list[dict[str, str]]:
    if not PAIRS.is_file():
        return []
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.django_db
def test_every_pair_behaves_as_marked_through_the_search_page(client, committed):
    rows = _rows()
    if not rows:
        service_missing(f"no query/document pairs at {PAIRS} (set MINBAR_ARABIC_PAIRS)")
    # One article per row, all in one index: a query must find its own row's article (match)
    # or leave it out (no-match), whatever else it finds.
    with committed():
        articles = {
            row["id"]: make_article(title=f"مقال {n}", body=f"جاء في النص: {row['document']}.")
            for n, row in enumerate(rows, start=1)
        }
    outcomes = {"match": [0, 0], "no-match": [0, 0]}
    failures = []
    for row in rows:
        found = articles[row["id"]].pk in all_found_articles(client, row["query"])
        ok = found if row["expect"] == "match" else not found
        outcomes[row["expect"]][0] += ok
        outcomes[row["expect"]][1] += 1
        if not ok:
            failures.append(f"{row['id']} {row['query']} / {row['document']}: found={found}")
    assert not failures, failures
    assert outcomes["match"][0] == outcomes["match"][1] >= 20
    assert outcomes["no-match"][0] == outcomes["no-match"][1] >= 5
