"""The development set (devset.tsv, issue 16): 482 query/document pairs written for Minbar, in
categories, each marked `match` (the query must find the document) or `nomatch` (it must not).

Read by the tests (the pure rule in arabic/test_devset.py, the search page on either engine in
test_devset_search.py) and by `bench/search_devset.py`, which compares Minbar with PostgreSQL's
`arabic` configuration and Lucene's light10. Columns: id, category, expect, query, document,
note (why the pair is there).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

DEVSET = Path(__file__).with_name("devset.tsv")

# What Minbar holds on the set, per category: (must-match found, must-not left out). The tests
# fail if a change loses any of these; raise them when a change gains.
REACHED = {
    "broken-plural": (48, 0),
    "clitics": (48, 0),
    "countries": (15, 10),
    "inflection": (31, 0),
    "names": (50, 18),
    "spelling": (39, 0),
    "trap-endings": (0, 40),
    "trap-initial": (0, 53),
    "trap-other": (0, 43),
    "trap-ta-marbuta": (0, 43),
    "verbs": (32, 0),
}
# The targets over the whole set.
MUST_MATCH_TARGET = 0.90
MUST_NOT_TARGET = 0.98


def read_devset() -> list[dict[str, str]]:
    with DEVSET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def held(row: dict[str, str], found: bool) -> bool:
    return found if row["expect"] == "match" else not found


def tally(rows: list[dict[str, str]], found: list[bool]) -> dict[str, tuple[int, int]]:
    """category → (must-match found, must-not left out)."""
    matched: Counter[str] = Counter()
    avoided: Counter[str] = Counter()
    for row, hit in zip(rows, found, strict=True):
        if row["expect"] == "match":
            matched[row["category"]] += hit
        else:
            avoided[row["category"]] += not hit
    return {c: (matched[c], avoided[c]) for c in {row["category"] for row in rows}}
