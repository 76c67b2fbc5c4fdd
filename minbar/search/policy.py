"""The rules of searching that need no database: limits, search keys, and ranking.

Search keys: an indexed document's key is `seconds << KEY_SHIFT | (id & KEY_LOW_MASK)`, where
`seconds` is its date (publication for an article, the moment it became readable for a comment)
in whole seconds since the epoch. Keys sort by date (then by id within a second), so "newest
first", a date range and "already published" are all key ranges, which both engines walk
without sorting. Two documents collide only when they share a second and their ids are equal
modulo 2**22; the indexer then moves the later one up by one (see `free_key`).

Results: both engines consider only the `MAX_RESULTS` newest matches of a search, and order
them the same way: by date (key), or by engine relevance (bm25 on SQLite, ts_rank_cd on
PostgreSQL) times `freshness_boost`, ties going to the newer key.
"""

from __future__ import annotations

import datetime as dt

KEY_SHIFT = 22
KEY_LOW_MASK = (1 << KEY_SHIFT) - 1

# What a reader may type: longer queries are cut (with a note on the page).
MAX_QUERY_LENGTH = 200
# Words and phrases used from one query; the rest are ignored (with a note).
MAX_CLAUSES = 12
# Terms one query word may stand for (its own and its variants: other spellings of a foreign
# name, an unknown word with a clitic in front); the rest are not looked for. Also the most
# spellings of one phrase an engine is asked for (SQLite's phrases cannot hold alternatives).
MAX_VARIANTS = 16
# "Did you mean": terms of the vocabulary at most this long are kept; a word of up to
# SUGGEST_SHORT letters may differ from its suggestion by one edit, a longer one by two.
VOCABULARY_TERM_MAX = 64
SUGGEST_SHORT = 4
MAX_SPELLINGS = 32
# A prefix (`word*`) must keep at least this many letters after analysis, or it is a plain word
# (FTS5 keeps a prefix index of this length: shorter prefixes would match most of the index).
MIN_PREFIX_LENGTH = 3
# The newest matches a search ranks and shows; the count says "more than" beyond it.
MAX_RESULTS = 1000
RESULTS_PER_PAGE = 10

# Freshness: a document of age 0 gets ×(1 + FRESHNESS_WEIGHT), one FRESHNESS_DAYS old half that
# extra, and old ones tend to ×1.
FRESHNESS_WEIGHT = 0.5
FRESHNESS_DAYS = 30.0

# Relevance weights of an article's fields: the title counts most, then standfirst and tags,
# then the body. bm25() takes them as multipliers; ts_rank_cd as {D, C, B, A} in 0..1.
FIELD_WEIGHTS = {"title": 10.0, "standfirst": 4.0, "tags": 4.0, "body": 1.0}

# Terms kept per field (a PostgreSQL tsvector numbers positions only up to 16383, and phrases
# must behave the same on both engines, so the index stops below that on both).
FIELD_TERM_LIMITS = {"title": 400, "standfirst": 400, "tags": 400, "body": 15_000}
COMMENT_TERM_LIMIT = 15_000


def epoch_seconds(when: dt.datetime) -> int:
    """Whole seconds since the epoch (floor), for an aware datetime."""
    return int(when.timestamp() // 1)


def search_key(when: dt.datetime, object_id: int) -> int:
    return (epoch_seconds(when) << KEY_SHIFT) | (object_id & KEY_LOW_MASK)


def free_key(key: int, taken: set[int]) -> int:
    """`key`, or the next key up that is not in `taken` (a collision; see the module doc)."""
    while key in taken:
        key += 1
    return key


def first_key_at(when: dt.datetime) -> int:
    """The smallest key of a document dated at `when` (to the second) or later."""
    return epoch_seconds(when) << KEY_SHIFT


def last_key_at(when: dt.datetime) -> int:
    """The largest key of a document dated at `when` (to the second) or earlier."""
    return (epoch_seconds(when) << KEY_SHIFT) | KEY_LOW_MASK


def key_seconds(key: int) -> int:
    return key >> KEY_SHIFT


def freshness_boost(*, key: int, now_seconds: int) -> float:
    """The factor relevance is multiplied by (the engines compute the same in SQL)."""
    age_days = max(0, now_seconds - key_seconds(key)) / 86_400
    return 1.0 + FRESHNESS_WEIGHT * FRESHNESS_DAYS / (FRESHNESS_DAYS + age_days)
