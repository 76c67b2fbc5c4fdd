"""SQLite FTS5: analysed shadow text in FTS5 tables whose rowid is the search key."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import connections

from minbar.search.backends import Window
from minbar.search.policy import FIELD_WEIGHTS, Match
from minbar.search.query import Clause, Query
from minbar.search.texts import ArticleText, CommentText

ARTICLE_FTS = "search_article_fts"
COMMENT_FTS = "search_comment_fts"
# Index terms are runs of letters and digits; anything else never gets into a MATCH string.
_TERM = re.compile(r"[^\W_]+")


_BM25_ARTICLE = "bm25({t}, {title}, {standfirst}, {tags}, {body})".format(
    t=ARTICLE_FTS, **FIELD_WEIGHTS
)


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
        adapt = self.connection.ops.adapt_datetimefield_value
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_articleentry (id, article_id, section_id, date) "
                "VALUES (%s, %s, %s, %s)",
                [(t.key, t.article_id, t.section_id, adapt(t.date)) for t in texts],
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
        adapt = self.connection.ops.adapt_datetimefield_value
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_commententry (id, comment_id, article_id, section_id, date) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(t.key, t.comment_id, t.article_id, t.section_id, adapt(t.date)) for t in texts],
            )
            cursor.executemany(
                f"INSERT INTO {COMMENT_FTS} (rowid, body) VALUES (%s, %s)",
                [(t.key, t.body) for t in texts],
            )

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            # Text first: the entries' delete triggers then find nothing left to remove.
            cursor.execute(f"DELETE FROM {COMMENT_FTS}")
            cursor.execute(f"DELETE FROM {ARTICLE_FTS}")
            cursor.execute("DELETE FROM search_commententry")
            cursor.execute("DELETE FROM search_articleentry")

    def match_articles(
        self, query: Query, *, window: Window, limit: int, ranked: bool
    ) -> list[Match]:
        return self._match(
            query, table=ARTICLE_FTS, entries="search_articleentry", id_column="article_id",
            rank=_BM25_ARTICLE if ranked else "0.0", window=window, limit=limit,
        )  # fmt: skip

    def match_comments(
        self, query: Query, *, window: Window, limit: int, ranked: bool
    ) -> list[Match]:
        return self._match(
            query, table=COMMENT_FTS, entries="search_commententry", id_column="comment_id",
            rank=f"bm25({COMMENT_FTS})" if ranked else "0.0", window=window, limit=limit,
        )  # fmt: skip

    def _match(
        self,
        query: Query,
        *,
        table: str,
        entries: str,
        id_column: str,
        rank: str,
        window: Window,
        limit: int,
    ) -> list[Match]:
        # FTS5 walks the matches newest first (rowid = key, descending) and stops at `limit`,
        # so the cost is bounded however common the words are.
        params: list[object] = [fts5_match(query), window.low, window.high]
        section = ""
        if window.section_id is not None:
            section = "AND e.section_id = %s "
            params.append(window.section_id)
        params.append(limit)
        sql = (
            f"SELECT {table}.rowid, e.{id_column}, {rank} "
            f"FROM {table} JOIN {entries} AS e ON e.id = {table}.rowid "
            f"WHERE {table} MATCH %s AND {table}.rowid BETWEEN %s AND %s {section}"
            f"ORDER BY {table}.rowid DESC LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            # bm25() is negative, more negative for better matches.
            return [Match(key, object_id, -score) for key, object_id, score in cursor.fetchall()]
