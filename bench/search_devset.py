"""Search quality on the development set: Minbar beside PostgreSQL `arabic` and Lucene light10.

    .venv/bin/python bench/search_devset.py [--pg postgres://postgres@127.0.0.1:5432/test]
                                            [--failures minbar|postgres|lucene]

Reads tests/search/devset.tsv (category, expect, query, document) and, for each system, says
whether the query finds the document:

* Minbar: the document's index terms (`terms.index_terms`) against the parsed query
  (`query.parse_query`, name variants included) with the engines' rule (`query.matches`);
  tests/search/test_devset_search.py checks that both engines, through the search page, give
  exactly these answers.
* PostgreSQL: `to_tsvector('arabic', document) @@ plainto_tsquery('arabic', query)` (the
  Snowball Arabic stemmer and its stop words), when PostgreSQL answers at --pg.
* Lucene light10: `bench/search_light10.py` (a port checked against liblucene8-java); every
  query word's term among the document's terms.

Prints, per category, how many must-match pairs were found and how many must-not pairs were
left out, for each system, then the totals against the targets (must-not >= 98%, must-match
>= 90%).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEVSET = ROOT / "tests" / "search" / "devset.tsv"
PG_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")

from bench import search_light10  # noqa: E402
from minbar.search.query import matches, parse_query  # noqa: E402
from minbar.search.terms import index_terms  # noqa: E402


def read_devset(path: Path = DEVSET) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def minbar_found(row: dict[str, str]) -> bool:
    query = parse_query(row["query"])
    return query.is_searchable and matches(query, index_terms(row["document"]))


def lucene_found(row: dict[str, str]) -> bool:
    wanted = search_light10.analyse(row["query"])
    have = set(search_light10.analyse(row["document"]))
    return bool(wanted) and all(term in have for term in wanted)


def postgres_found(rows: list[dict[str, str]], url: str) -> list[bool] | None:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as connection:
            found = connection.execute(
                "SELECT to_tsvector('arabic', d) @@ plainto_tsquery('arabic', q) "
                "FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(q, d, n) ORDER BY n",
                [[row["query"] for row in rows], [row["document"] for row in rows]],
            ).fetchall()
    except Exception as exc:  # no server, no database: say so and go on without it
        print(f"PostgreSQL not compared ({type(exc).__name__}: {exc})".strip())
        return None
    return [bool(value) for (value,) in found]


def held(row: dict[str, str], found: bool) -> bool:
    return found if row["expect"] == "match" else not found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default=PG_URL)
    parser.add_argument("--failures", choices=("minbar", "postgres", "lucene"))
    args = parser.parse_args()

    rows = read_devset()
    systems: dict[str, list[bool]] = {
        "minbar": [minbar_found(row) for row in rows],
    }
    pg = postgres_found(rows, args.pg)
    if pg is not None:
        systems["postgres"] = pg
    systems["lucene"] = [lucene_found(row) for row in rows]

    # category -> system -> expect -> [held, total]
    table: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(
        lambda: defaultdict(lambda: {"match": [0, 0], "nomatch": [0, 0]})
    )
    for i, row in enumerate(rows):
        for name, found in systems.items():
            for category in (row["category"], "ALL"):
                cell = table[category][name][row["expect"]]
                cell[0] += held(row, found[i])
                cell[1] += 1

    names = list(systems)
    header = f"{'category':<18}" + "".join(f"{n + ' match':>18}{n + ' not':>16}" for n in names)
    print(f"{len(rows)} pairs from {DEVSET.relative_to(ROOT)}")
    print(header)
    print("-" * len(header))
    categories = [*sorted(c for c in table if c != "ALL"), "ALL"]
    for category in categories:
        line = f"{category:<18}"
        for name in names:
            for expect, width in (("match", 18), ("nomatch", 16)):
                done, total = table[category][name][expect]
                line += f"{f'{done}/{total}' if total else '-':>{width}}"
        print(line)
    print()
    for name in names:
        (m, mt), (n, nt) = (table["ALL"][name][e] for e in ("match", "nomatch"))
        print(
            f"{name:<9} must-match {m / mt:6.1%} (target 90%)   must-not {n / nt:6.1%} (target 98%)"
        )

    if args.failures and args.failures in systems:
        print(f"\n{args.failures} gets these wrong:")
        for i, row in enumerate(rows):
            if not held(row, systems[args.failures][i]):
                print(
                    f"  {row['id']:<22} {row['expect']:<8} {row['query']} | {row['document']}"
                    f"  ({row['note']})"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
