"""SQLite FTS5: analysed shadow text in FTS5 tables whose rowid is the search key."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connections

from minbar.search.backends import Kind, Window
from minbar.search.policy import FIELD_WEIGHTS, Match
from minbar.search.query import Clause, Query
from minbar.search.texts import ArticleText, CommentText

ARTICLE_FTS = "search_article_fts"
COMMENT_FTS = "search_comment_fts"
# Page cache of a rebuild, in KiB (negative: a size, not a page count), i.e. 128 MiB.
BULK_CACHE_KIB = -131072
# Index terms are runs of letters and digits; anything else never gets into a MATCH string.
_TERM = re.compile(r"[^\W_]+")


_BM25_ARTICLE = "bm25({t}, {title}, {standfirst}, {tags}, {body})".format(
    t=ARTICLE_FTS, **FIELD_WEIGHTS
)
# kind: (FTS table, entry table, id column, relevance expression)
_TABLES = {
    "articles": (ARTICLE_FTS, "search_articleentry", "article_id", _BM25_ARTICLE),
    "comments": (COMMENT_FTS, "search_commententry", "comment_id", f"bm25({COMMENT_FTS})"),
}


def quote_term(term: str) -> str:
    """One index term as an FTS5 string: `"term"`. Refuses anything but letters and digits."""
    if not _TERM.fullmatch(term):
        raise ValueError(f"not an index term: {term!r}")
    return '"' + term.replace('"', '""') + '"'


def clause_match(clause: Clause) -> str:
    """`"a"`, `"a"*`, or the phrase `"a" + "b"` (`"a" + "b"*` for a prefix at the end)."""
    text = " + ".join(quote_term(term) for term in clause.terms)
    return f"{text}*" if clause.prefix else text


def fts5_match(query: Query) -> str:
    """The MATCH expression of a searchable query: its clauses ANDed, minus the exclusions."""
    if not query.is_searchable:
        raise ValueError("the query has nothing to look for")
    wanted = " AND ".join(clause_match(clause) for clause in query.positive)
    if not query.negative:
        return wanted
    return f"({wanted})" + "".join(f" NOT {clause_match(c)}" for c in query.negative)


class SqliteBackend:
    vendor = "sqlite"

    def __init__(self, *, using: str = "default") -> None:
        self.connection = connections[using]

    def add_articles(self, texts: Sequence[ArticleText]) -> None:
        if not texts:
            return
        # FTS5 keeps pending rows in memory only while rowids ascend; a smaller rowid flushes
        # them to a new segment, which makes bulk inserts several times slower.
        texts = sorted(texts, key=lambda t: t.key)
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_articleentry (id, article_id, section_id) VALUES (%s, %s, %s)",
                [(t.key, t.article_id, t.section_id) for t in texts],
            )
            cursor.executemany(
                f"INSERT INTO {ARTICLE_FTS} (rowid, title, standfirst, tags, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(t.key, t.title, t.standfirst, t.tags, t.body) for t in texts],
            )

    def add_comments(self, texts: Sequence[CommentText]) -> None:
        if not texts:
            return
        texts = sorted(texts, key=lambda t: t.key)  # see add_articles
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_commententry (id, comment_id, article_id, section_id) "
                "VALUES (%s, %s, %s, %s)",
                [(t.key, t.comment_id, t.article_id, t.section_id) for t in texts],
            )
            cursor.executemany(
                f"INSERT INTO {COMMENT_FTS} (rowid, body) VALUES (%s, %s)",
                [(t.key, t.body) for t in texts],
            )

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A rebuild's session: a page cache big enough for FTS5's merges (this connection)."""
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (before,) = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        try:
            yield
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            # Text first: the entries' delete triggers then find nothing left to remove.
            cursor.execute(f"DELETE FROM {COMMENT_FTS}")
            cursor.execute(f"DELETE FROM {ARTICLE_FTS}")
            cursor.execute("DELETE FROM search_commententry")
            cursor.execute("DELETE FROM search_articleentry")

    def match(
        self, kind: Kind, query: Query, *, window: Window, limit: int, ranked: bool
    ) -> list[Match]:
        """The `limit` newest matches of `kind` in `window`, with bm25 relevance if `ranked`."""
        table, entries, id_column, bm25 = _TABLES[kind]
        where, params = self._where(kind, query, window)
        sql = (
            f"SELECT {table}.rowid, e.{id_column}, {bm25 if ranked else '0.0'} "
            f"FROM {table} JOIN {entries} AS e ON e.id = {table}.rowid "
            f"WHERE {where} ORDER BY {table}.rowid DESC LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            # FTS5 walks the matches newest first (rowid = key, descending) and stops at
            # `limit`, so the cost is bounded however common the words are.
            cursor.execute(sql, [*params, limit])
            # bm25() is negative, more negative for better matches.
            return [Match(key, object_id, -score) for key, object_id, score in cursor.fetchall()]

    def count(self, kind: Kind, query: Query, *, window: Window, limit: int) -> int:
        """How many documents of `kind` match in `window`, counting no further than `limit`."""
        table, entries, _id_column, _bm25 = _TABLES[kind]
        where, params = self._where(kind, query, window)
        join = f"JOIN {entries} AS e ON e.id = {table}.rowid " if window.section_id else ""
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {table} {join}WHERE {where} LIMIT %s)"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return cursor.fetchone()[0]

    def _where(self, kind: Kind, query: Query, window: Window) -> tuple[str, list[object]]:
        table = _TABLES[kind][0]
        where = f"{table} MATCH %s AND {table}.rowid BETWEEN %s AND %s"
        params: list[object] = [fts5_match(query), window.low, window.high]
        if window.section_id is not None:
            where += " AND e.section_id = %s"
            params.append(window.section_id)
        return where, params
