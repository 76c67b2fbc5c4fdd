"""The two search engines behind one small interface, chosen by the database in use.

Both keep the same rows (`ArticleEntry`, `CommentEntry`, keyed by search key) and differ only
in where the analysed text lives and how a parsed query is matched and scored:

* SQLite: FTS5 tables `search_article_fts(title, standfirst, tags, body)` and
  `search_comment_fts(body)` whose rowid is the entry's key (tokenizer unicode61, diacritics
  kept: the text is already analysed), kept in step on delete by triggers; scored with bm25().
* PostgreSQL: a `document tsvector` column on the entry tables (fields weighted A/B/C/D, config
  'simple', GIN index); scored with ts_rank_cd().

The raw SQL of search lives only in these modules, always with bound parameters; the engine
query text is built from analysed terms that the builders quote themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from django.db import connections

from minbar.search import policy
from minbar.search.query import Query
from minbar.search.texts import ArticleText, CommentText

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

Kind = Literal["articles", "comments"]
Sort = Literal["relevance", "date"]
# A hit as an engine returns it: (search key, article or comment id).
Hit = tuple[int, int]


def boost_params(now_seconds: int) -> list[int | float]:
    """Parameters of the engines' freshness expression, in its order:
    relevance × (1 + W·D / (D + age_days)), age_days = max(0, now − key >> SHIFT) / 86400."""
    return [
        policy.FRESHNESS_WEIGHT * policy.FRESHNESS_DAYS,
        policy.FRESHNESS_DAYS,
        now_seconds,
        policy.KEY_SHIFT,
    ]


@dataclass(frozen=True, slots=True)
class Window:
    """Which entries a search looks at: keys in [low, high], optionally one section."""

    low: int
    high: int
    section_id: int | None = None


class Backend(Protocol):
    vendor: str
    # Whether add_comments writes one comment with a single statement (no transaction needed).
    adds_a_comment_in_one_statement: bool
    connection: BaseDatabaseWrapper

    def add_articles(self, texts: Sequence[ArticleText]) -> None: ...

    def add_comments(self, texts: Sequence[CommentText]) -> None: ...

    def bulk(self, *, cleared: bool = False) -> AbstractContextManager[None]: ...

    def build_indexes(self, kind: Kind) -> None: ...

    def clear(self) -> None: ...

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
    ) -> list[Hit]: ...

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
    ) -> tuple[list[Hit], int | None]: ...

    def count(self, kind: Kind, query: Query, *, window: Window, limit: int) -> int: ...

    def vocabulary(self) -> Iterator[tuple[str, int]]: ...


def get_backend(*, using: str = "default") -> Backend:
    """The engine of the database `using` (an alias of settings.DATABASES)."""
    if connections[using].vendor == "postgresql":
        from minbar.search.backends.postgres import PostgresBackend

        return PostgresBackend(using=using)
    from minbar.search.backends.sqlite import SqliteBackend

    return SqliteBackend(using=using)
