"""PostgreSQL: the same shadow text as a weighted `tsvector('simple')` column, GIN-indexed."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise

from django.db import connections, transaction

from minbar.search.backends import Hit, Kind, Sort, Window, boost_params
from minbar.search.policy import FIELD_WEIGHTS
from minbar.search.query import Clause, Query
from minbar.search.texts import ArticleText, CommentText

_TERM = re.compile(r"[^\W_]+")
# Article fields by tsvector weight; comments are one field, left at the default (D).
FIELD_LABELS = {"title": "A", "standfirst": "B", "tags": "C", "body": "D"}
ARTICLE_LABELS = tuple(FIELD_LABELS.values())
# ts_rank_cd takes weights in the order {D, C, B, A}, each in 0..1.
_TOP = max(FIELD_WEIGHTS.values())
RANK_WEIGHTS = (
    "{"
    + ", ".join(str(FIELD_WEIGHTS[name] / _TOP) for name in ("body", "tags", "standfirst", "title"))
    + "}"
)


# kind: (entry table, id column, relevance expression)
_TABLES = {
    "articles": (
        "search_articleentry",
        "article_id",
        f"ts_rank_cd('{RANK_WEIGHTS}'::float4[], e.document, q)",
    ),
    "comments": ("search_commententry", "comment_id", "ts_rank_cd(e.document, q)"),
}

_ARTICLE_VECTOR = " || ".join(
    f"setweight(to_tsvector('simple', %s), '{label}')" for label in ARTICLE_LABELS
)
# An entry's adjacent term pairs, one lexeme each ("a b"), for the `phrases` column. They go
# to the server as one string, split there: a text[] parameter costs psycopg a Python call per
# element, which made indexing several times slower.
_PAIRS = "array_to_tsvector(string_to_array(%s, ','))"


# The GIN indexes of the entry tables (migrations 0001 and 0006), by kind: (name, definition).
def _gin_indexes(table: str) -> list[tuple[str, str]]:
    return [
        (f"{table}_{column}", f"CREATE INDEX {table}_{column} ON {table} USING gin ({column})")
        for column in ("document", "phrases")
    ]


_GIN_INDEXES: dict[Kind, list[tuple[str, str]]] = {
    "articles": _gin_indexes("search_articleentry"),
    "comments": _gin_indexes("search_commententry"),
}
# maintenance_work_mem while building them: a GIN build sorts its keys in this much memory and
# flushes to the index each time it fills (the server's default, 64 MB, flushes often).
BUILD_MEMORY = "256MB"


def term_pairs(*fields: str) -> list[str]:
    """Every pair of adjacent terms within one field of shadow text, as "a b", once each."""
    pairs: set[str] = set()
    for text in fields:
        terms = text.split()
        pairs.update(f"{a} {b}" for a, b in pairwise(terms))
    return list(pairs)


def _pairs_param(*fields: str) -> str:
    # Index terms are letters and digits only: a comma never occurs in one.
    return ",".join(term_pairs(*fields))


def quote_lexeme(term: str, *, prefix: bool = False, label: str = "") -> str:
    """One index term as a tsquery operand: `'term'`, `'term':*`, `'term':A`, `'term':*A`."""
    if not _TERM.fullmatch(term):
        raise ValueError(f"not an index term: {term!r}")
    text = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
    if prefix or label:
        text += ":" + ("*" if prefix else "") + label
    return text


def clause_tsquery(clause: Clause, *, labels: tuple[str, ...] = ()) -> str:
    """A word, or a phrase (`<->`) that must lie within one field: one alternative per label.

    FTS5 never matches a phrase across columns, while a tsvector numbers the fields' positions
    one after the other; restricting every word of the phrase to one weight keeps them equal.
    """
    last = len(clause.terms) - 1
    if not clause.is_phrase:
        options = [quote_lexeme(term, prefix=clause.prefix) for term in clause.options(0)]
        return options[0] if len(options) == 1 else "(" + " | ".join(options) + ")"
    # A phrase with variants: the same spellings, in the same number, as the SQLite engine
    # (whose phrases cannot hold alternatives) looks for.
    spellings = clause.spellings()

    def one(terms: tuple[str, ...], label: str) -> str:
        return " <-> ".join(
            quote_lexeme(term, prefix=clause.prefix and i == last, label=label)
            for i, term in enumerate(terms)
        )

    def phrase(label: str) -> str:
        if len(spellings) == 1:
            return one(spellings[0], label)
        return " | ".join(f"({one(terms, label)})" for terms in spellings)

    if not labels:
        return f"({phrase('')})"
    return "(" + " | ".join(f"({phrase(label)})" for label in labels) + ")"


def _quote_pair(first: str, second: str) -> str:
    return quote_lexeme(first)[:-1] + " " + quote_lexeme(second)[1:]


def clause_pairs(clause: Clause) -> str:
    """The pairs a phrase must hold, as a `::tsquery` text ("" when it has none to look up:
    a word, or two words the second of which is a prefix): `'a b' & 'b c'`, ORed over the
    spellings of a phrase with variants."""
    last = len(clause.terms) - 1
    options = []
    for terms in clause.spellings():
        pairs = [
            _quote_pair(terms[i], terms[i + 1])
            for i in range(last)
            if not (clause.prefix and i + 1 == last)
        ]
        if not pairs:
            return ""
        options.append(" & ".join(dict.fromkeys(pairs)))
    if len(options) == 1:
        return options[0]
    return " | ".join(f"({option})" for option in options)


def pairs_tsquery_text(query: Query) -> str:
    """What the `phrases` column must hold for the query's phrases ("" when nothing)."""
    if not query.is_searchable:
        raise ValueError("the query has nothing to look for")
    found = [pairs for c in query.positive if c.is_phrase and (pairs := clause_pairs(c))]
    return " & ".join(f"({pairs})" for pairs in found)


def tsquery_text(query: Query, *, labels: tuple[str, ...] = ()) -> str:
    """The `to_tsquery('simple', …)` text of a searchable query."""
    if not query.is_searchable:
        raise ValueError("the query has nothing to look for")
    parts = [clause_tsquery(c, labels=labels) for c in query.positive]
    parts += [f"!{clause_tsquery(c, labels=labels)}" for c in query.negative]
    return " & ".join(parts)


def _needs_gin(query: Query) -> bool:
    """Whether to make the planner use the GIN index. A word with variants (a name's
    spellings, an unknown word's clitic forms) is one lexeme to the reader but a dozen ORed
    to PostgreSQL, whose estimate then grows with each: it would scan the table (or walk the
    keys) expecting to stop early, and scan it all when, as for a misspelling, nothing
    matches. Such words are rare, so the GIN index is the right way in."""
    return any(clause.variants for clause in query.clauses)


class PostgresBackend:
    vendor = "postgresql"
    # A comment's entry, text included, is one INSERT (see add_comments).
    adds_a_comment_in_one_statement = True

    def __init__(self, *, using: str = "default") -> None:
        self.connection = connections[using]

    def add_articles(self, texts: Sequence[ArticleText]) -> None:
        if not texts:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_articleentry (id, article_id, section_id, document, phrases) "
                f"VALUES (%s, %s, %s, {_ARTICLE_VECTOR}, {_PAIRS})",
                [
                    (
                        t.key, t.article_id, t.section_id, t.title, t.standfirst, t.tags, t.body,
                        _pairs_param(t.title, t.standfirst, t.tags, t.body),
                    )
                    for t in texts
                ],
            )  # fmt: skip

    def add_comments(self, texts: Sequence[CommentText]) -> None:
        if not texts:
            return
        sql = (
            "INSERT INTO search_commententry "
            "(id, comment_id, article_id, section_id, document, phrases) "
            f"VALUES (%s, %s, %s, %s, to_tsvector('simple', %s), {_PAIRS})"
        )
        rows = [
            (t.key, t.comment_id, t.article_id, t.section_id, t.body, _pairs_param(t.body))
            for t in texts
        ]
        with self.connection.cursor() as cursor:
            if len(rows) == 1:  # a comment just posted: one statement, no batch to set up
                cursor.execute(sql, rows[0])
            else:
                cursor.executemany(sql, rows)

    @contextmanager
    def bulk(self, *, cleared: bool = False) -> Iterator[None]:
        """A rebuild's session: commits need not wait for the disk (a crash loses at most the
        last batches, and the rebuild can run again). On `cleared` (emptied) tables the GIN
        indexes are dropped for the session and built whole by `build_indexes`: one CREATE
        INDEX costs a fraction of inserting every entry's lexemes into them row by row."""
        with self.connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
            # An earlier cleared rebuild that was killed before the end left its indexes out.
            for kind in _GIN_INDEXES:
                self.build_indexes(kind)
            if cleared:
                for indexes in _GIN_INDEXES.values():
                    for name, _definition in indexes:
                        cursor.execute(f"DROP INDEX IF EXISTS {name}")
        try:
            yield
        finally:
            for kind in _GIN_INDEXES:
                self.build_indexes(kind)
            with self.connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        # A GIN index takes bulk inserts into a pending list that every search then reads
        # whole until a vacuum merges it; a cleared index also leaves its old rows dead. Vacuum
        # (outside a transaction: a rebuild run by the command), or at least merge the pending
        # lists, and give the planner fresh statistics either way.
        with self.connection.cursor() as cursor:
            for table in ("search_articleentry", "search_commententry"):
                if not self.connection.in_atomic_block:
                    cursor.execute(f"VACUUM (ANALYZE) {table}")
                    continue
                for column in ("document", "phrases"):
                    cursor.execute(
                        "SELECT gin_clean_pending_list(%s::regclass)", [f"{table}_{column}"]
                    )
                cursor.execute(f"ANALYZE {table}")

    def build_indexes(self, kind: Kind) -> None:
        """Create the GIN indexes of `kind`'s entries that a cleared `bulk` session dropped
        (none when they exist), with memory enough to sort each in one pass."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "AND indexname = ANY(%s)",
                [[name for name, _definition in _GIN_INDEXES[kind]]],
            )
            present = {name for (name,) in cursor.fetchall()}
            missing = [(n, d) for n, d in _GIN_INDEXES[kind] if n not in present]
            if not missing:
                return
            if self.connection.in_atomic_block:
                # A rebuild inside a transaction (tests): CREATE INDEX refuses to run while
                # deferred foreign-key checks are pending. Run them now, then defer again.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SHOW maintenance_work_mem")
            (before,) = cursor.fetchone()
            cursor.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
            try:
                for _name, definition in missing:
                    cursor.execute(definition)
            finally:
                cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [before])

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            # Not TRUNCATE: it refuses to run while deferred foreign-key checks are pending.
            cursor.execute("DELETE FROM search_commententry")
            cursor.execute("DELETE FROM search_articleentry")

    def vocabulary(self) -> Iterator[tuple[str, int]]:
        """(term, articles holding it) for every term of the articles' documents."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat('SELECT document FROM search_articleentry')"
            )
            yield from cursor.fetchall()

    def page(
        self,
        kind: Kind,
        query: Query,
        *,
        window: Window,
        candidates: int,
        sort: Sort,
        now_seconds: int,
        offset: int,
        size: int,
    ) -> list[Hit]:
        """(key, id) of the hits at [offset, offset + size) in `sort` order, among the
        `candidates` newest matches; relevance is ts_rank_cd times the freshness boost, ties go
        to the newer key (the same rules as the SQLite engine)."""
        hits, _total = self.counted_page(
            kind, query, window=window, candidates=candidates, sort=sort,
            now_seconds=now_seconds, offset=offset, size=size,
        )  # fmt: skip
        return hits

    def counted_page(
        self,
        kind: Kind,
        query: Query,
        *,
        window: Window,
        candidates: int,
        sort: Sort,
        now_seconds: int,
        offset: int,
        size: int,
    ) -> tuple[list[Hit], int | None]:
        """`page`, and how many documents match, counting no further than `candidates + 1`
        (None when the page is empty); by relevance both come from one walk."""
        entries, id_column, rank = _TABLES[kind]
        where, params = self._where(kind, query, window)
        # Walking the keys backwards and testing each row is quick for words, but a phrase
        # (positions, and weights on articles) can only be tested on the row itself: with no
        # pairs to look up (`"a b*"`), let the GIN index find the rows holding its words first
        # (`+ 0` keeps the planner off the key index for the ordering). With pairs, the planner
        # weighs the pairs' index against the walk from the pairs' own statistics.
        gin = _needs_gin(query)
        unpaired = any(c.is_phrase for c in query.clauses) and not pairs_tsquery_text(query)
        order = "e.id + 0" if gin or unpaired else "e.id"
        if sort == "date":
            # By date the page is only the `size` newest matches after `offset`, a short walk;
            # counted apart, the matches may be counted in the table's order, which is cheaper
            # than along the keys.
            sql = (
                f"SELECT e.id, e.{id_column} FROM {entries} AS e, to_tsquery('simple', %s) AS q "
                f"WHERE {where} ORDER BY {order} DESC LIMIT %s OFFSET %s"
            )
            params += [min(size, max(0, candidates - offset)), offset]
            with self._cursor(gin=gin) as cursor:
                cursor.execute(sql, params)
                hits = [(key, object_id) for key, object_id in cursor.fetchall()]
            if not hits:
                return hits, None
            return hits, self.count(kind, query, window=window, limit=candidates + 1)
        # The newest `candidates` + 1 matches (one more says "more than"), counted; only the
        # first `candidates` of them are ranked and paged.
        sql = (
            "SELECT k, object_id, total FROM (SELECT k, object_id, relevance, "
            "row_number() OVER (ORDER BY k DESC) AS n, count(*) OVER () AS total FROM ("
            f"SELECT e.id AS k, e.{id_column} AS object_id, ({rank})::float8 AS relevance "
            f"FROM {entries} AS e, to_tsquery('simple', %s) AS q WHERE {where} "
            f"ORDER BY {order} DESC LIMIT %s) AS newest) AS counted WHERE n <= %s "
            "ORDER BY relevance * (1.0::float8 + %s::float8 / (%s::float8 + "
            "GREATEST(0, %s::bigint - (k >> %s))::float8 / 86400.0::float8)) DESC, "
            "k DESC LIMIT %s OFFSET %s"
        )
        params += [candidates + 1, candidates, *boost_params(now_seconds), size, offset]
        with self._cursor(gin=gin) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total = rows[0][2] if rows else None
        return [(key, object_id) for key, object_id, _total in rows], total

    def count(self, kind: Kind, query: Query, *, window: Window, limit: int) -> int:
        """How many documents of `kind` match in `window`, counting no further than `limit`."""
        entries, _id_column, _rank = _TABLES[kind]
        gin = _needs_gin(query)
        where, params = self._where(kind, query, window)
        if gin:  # not along the key index either: only the GIN index is left
            where = where.replace("e.id BETWEEN", "e.id + 0 BETWEEN")
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {entries} AS e, "
            f"to_tsquery('simple', %s) AS q WHERE {where} LIMIT %s) AS found"
        )
        with self._cursor(gin=gin) as cursor:
            cursor.execute(sql, [*params, limit])
            return cursor.fetchone()[0]

    @contextmanager
    def _cursor(self, *, gin: bool) -> Iterator:
        """A cursor; with `gin`, in a transaction whose planner may not scan tables whole."""
        if not gin:
            with self.connection.cursor() as cursor:
                yield cursor
            return
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            yield cursor

    def _where(self, kind: Kind, query: Query, window: Window) -> tuple[str, list[object]]:
        labels = ARTICLE_LABELS if kind == "articles" else ()
        params: list[object] = [tsquery_text(query, labels=labels)]
        pairs = pairs_tsquery_text(query)
        if pairs:
            # The phrases' pairs find the rows (their own GIN index); the document checks the
            # query on those rows only, through ts_match_vq, the function behind @@, which the
            # planner does not take to the document's index (whose posting lists for common
            # words would be intersected for nothing). The document is tested first: the pairs
            # are stored out of line.
            where = "ts_match_vq(e.document, q) AND e.phrases @@ %s::tsquery AND "
            params.append(pairs)
        else:
            where = "e.document @@ q AND "
        where += "e.id BETWEEN %s AND %s"
        params += [window.low, window.high]
        if window.section_id is not None:
            where += " AND e.section_id = %s"
            params.append(window.section_id)
        return where, params
