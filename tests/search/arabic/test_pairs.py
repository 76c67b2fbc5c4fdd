"""The shared query/document pairs: what search must find, and what it must not confuse.

The table lives outside the repository, in the team's shared folder next to the checkout
(`<repo>/../shared/search/arabic-pairs.tsv`); set MINBAR_ARABIC_PAIRS to use another file. The
test skips, saying why, when the file is not there.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from minbar.search.arabic import analyse

REPO_ROOT = Path(__file__).resolve().parents[3]
PAIRS = Path(
    os.environ.get("MINBAR_ARABIC_PAIRS")
    or REPO_ROOT.parent / "shared" / "search" / "arabic-pairs.tsv"
)


def _rows() -> list[dict[str, str]]:
    if not PAIRS.is_file():
        return []
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


def test_pairs_file_is_well_formed() -> None:
    if not ROWS:
        pytest.skip(f"no query/document pairs at {PAIRS} (set MINBAR_ARABIC_PAIRS)")
    assert {row["expect"] for row in ROWS} <= {"match", "no-match"}
    assert len({row["id"] for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize(
    "row",
    [pytest.param(row, id=row["id"]) for row in ROWS]
    or [pytest.param(None, marks=pytest.mark.skip(reason=f"no pairs file at {PAIRS}"))],
)
def test_pair(row: dict[str, str]) -> None:
    """Every query term is among the document's terms for `match`, and not all are otherwise."""
    query_terms = analyse(row["query"])
    document_terms = set(analyse(row["document"]))
    found = bool(query_terms) and all(term in document_terms for term in query_terms)
    why = f"{row['what it exercises']}: {query_terms} in {sorted(document_terms)}"
    if row["expect"] == "match":
        assert found, why
    else:
        assert not found, why
