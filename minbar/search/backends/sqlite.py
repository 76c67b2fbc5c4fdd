"""SQLite FTS5: analysed shadow text in FTS5 tables whose rowid is the search key."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connections

from minbar.search.backends import Hit, Kind, Sort, Window, boost_params
from minbar.search.policy import FIELD_WEIGHTS
from minbar.search.query import Clause, Query
from minbar.search.texts import ArticleText, CommentText

ARTICLE_FTS = "search_article_fts"
COMMENT_FTS = "search_comment_fts"
# Page cache of a rebuild, in KiB (negative: a size, not a page count), i.e. 128 MiB.
BULK_CACHE_KIB = -131072
# Index terms are runs of letters and digits; anything else never gets into a MATCH string.
_TERM = re.compile(r"[^\W_]+")


# Each FTS table ends with a `section` column holding one token, `s<section id>`, so that a
# section filter is one more doclist for FTS5 to intersect rather than a join per match. The
# reader's words are matched only in the text columns.
_BM25_ARTICLE = "bm25({t}, {title}, {standfirst}, {tags}, {body}, 0.0)".format(
    t=ARTICLE_FTS, **FIELD_WEIGHTS
)
# kind: (FTS table, entry table, id column, relevance expression, text columns)
_TABLES = {
    "articles": (
        ARTICLE_FTS, "search_articleentry", "article_id", _BM25_ARTICLE,
        "title standfirst tags body",
    ),
    "comments": (
        COMMENT_FTS, "search_commententry", "comment_id", f"bm25({COMMENT_FTS}, 1.0, 0.0)", "body",
    ),
}  # fmt: skip


def section_token(section_id: int) -> str:
    return f"s{int(section_id)}"


def quote_term(term: str) -> str:
    """One index term as an FTS5 string: `"term"`. Refuses anything but letters and digits."""
    if not _TERM.fullmatch(term):
        raise ValueError(f"not an index term: {term!r}")
    return '"' + term.replace('"', '""') + '"'


def _phrase(terms: tuple[str, ...], *, prefix: bool) -> str:
    text = " + ".join(quote_term(term) for term in terms)
    return f"{text}*" if prefix else text


def clause_match(clause: Clause) -> str:
    """`"a"`, `"a"*`, or the phrase `"a" + "b"` (`"a" + "b"*` for a prefix at the end); with
    variants, the alternatives ORed in brackets: FTS5 phrases cannot hold alternatives, so a
    phrase becomes one phrase per spelling (`Clause.spellings`)."""
    spellings = clause.spellings()
    if len(spellings) == 1:
        return _phrase(spellings[0], prefix=clause.prefix)
    return "(" + " OR ".join(_phrase(s, prefix=clause.prefix) for s in spellings) + ")"


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
    # An entry and its FTS5 row are two INSERTs: they go in a transaction.
    adds_a_comment_in_one_statement = False

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
                f"INSERT INTO {ARTICLE_FTS} (rowid, title, standfirst, tags, body, section) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (t.key, t.title, t.standfirst, t.tags, t.body, section_token(t.section_id))
                    for t in texts
                ],
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
                f"INSERT INTO {COMMENT_FTS} (rowid, body, section) VALUES (%s, %s, %s)",
                [(t.key, t.body, section_token(t.section_id)) for t in texts],
            )

    @contextmanager
    def bulk(self, *, cleared: bool = False) -> Iterator[None]:
        """A rebuild's session: a page cache big enough for FTS5's merges (this connection).
        FTS5 merges its own segments as it goes: `cleared` changes nothing here."""
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (before,) = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        try:
            yield
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    def build_indexes(self, kind: Kind) -> None:
        """Nothing to build: FTS5 keeps its index in step (see `bulk`)."""

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            # An FTS5 table deletes row by row (each row's terms taken out of the index): it is
            # dropped and made again from its own definition instead. Text first: the entries'
            # delete triggers then find nothing left to remove.
            for table in (COMMENT_FTS, ARTICLE_FTS):
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
                (definition,) = cursor.fetchone()
                cursor.execute(f"DROP TABLE {table}")
                cursor.execute(definition)
            cursor.execute("DELETE FROM search_commententry")
            cursor.execute("DELETE FROM search_articleentry")

    def vocabulary(self) -> Iterator[tuple[str, int]]:
        """(term, articles holding it) for every term of the articles' text columns."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_article_vocab "
                f"USING fts5vocab(main, {ARTICLE_FTS}, 'row')"
            )
            cursor.execute("SELECT term, doc FROM temp.search_article_vocab")
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
        """(key, id) of the hits at [offset, offset + size) in `sort` order.

        Only the `candidates` newest matches are considered: FTS5 walks the matches newest first
        (rowid = key, descending) and stops there, so the cost is bounded however common the
        words are. Relevance is bm25 (negated: FTS5 returns it negative) times the freshness
        boost of `policy`; ties go to the newer key.
        """
        table, entries, id_column, bm25, _columns = _TABLES[kind]
        where, params = self._where(kind, query, window)
        newest = (
            f"FROM {table} JOIN {entries} AS e ON e.id = {table}.rowid "
            f"WHERE {where} ORDER BY {table}.rowid DESC"
        )
        if sort == "date":
            sql = f"SELECT {table}.rowid, e.{id_column} {newest} LIMIT %s OFFSET %s"
            params += [min(size, max(0, candidates - offset)), offset]
        else:
            sql = (
                f"SELECT k, object_id FROM (SELECT {table}.rowid AS k, e.{id_column} AS object_id, "
                f"-{bm25} AS relevance {newest} LIMIT %s) "
                "ORDER BY relevance * (1.0 + %s / (%s + max(0, %s - (k >> %s)) / 86400.0)) DESC, "
                "k DESC LIMIT %s OFFSET %s"
            )
            params += [candidates, *boost_params(now_seconds), size, offset]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

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
        (None when the page is empty). Two statements here: FTS5 counts a doclist without
        reading the entries or scoring, which is cheaper than counting in the page's walk."""
        hits = self.page(
            kind, query, window=window, candidates=candidates, sort=sort,
            now_seconds=now_seconds, offset=offset, size=size,
        )  # fmt: skip
        if not hits:
            return hits, None
        return hits, self.count(kind, query, window=window, limit=candidates + 1)

    def count(self, kind: Kind, query: Query, *, window: Window, limit: int) -> int:
        """How many documents of `kind` match in `window`, counting no further than `limit`."""
        table = _TABLES[kind][0]
        where, params = self._where(kind, query, window)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT %s)"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return cursor.fetchone()[0]

    def _where(
        self, kind: Kind, query: Query, window: Window
    ) -> tuple[str, list[str | int | float]]:
        table, *_rest, columns = _TABLES[kind]
        match = f"{{{columns}}} : ({fts5_match(query)})"
        if window.section_id is not None:
            match += f' AND section : "{section_token(window.section_id)}"'
        where = f"{table} MATCH %s AND {table}.rowid BETWEEN %s AND %s"
        return where, [match, window.low, window.high]
