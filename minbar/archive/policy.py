"""Pure rules of the archive format that both directions share: no database here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

FORMAT = "minbar-archive"
# The version export writes by default, and the ones import reads (docs/archive-format-v2.md).
VERSION = 1
LATEST = 2
VERSIONS = (1, 2)
# A comment in an archive may be longer than a reader may post (COMMENT_MAX): an import is
# history, so it is taken whole, up to this many characters.
HISTORY_COMMENT_MAX = 100_000
ARTICLE_STATUSES = ("draft", "scheduled", "published")
COMMENT_STATUSES = ("visible", "pending", "rejected", "deleted")
DEFAULT_ARTICLE_STATUS = "published"
DEFAULT_COMMENT_STATUS = "visible"
DEFAULT_LANGUAGE = "ar"
# The spec gives every optional field a default but names none for the section, which the site
# requires; an article without one goes to "General".
DEFAULT_SECTION = "عام"
# Comment.imported_score is a 32-bit integer on PostgreSQL.
SCORE_MIN = -(2**31)
SCORE_MAX = 2**31 - 1
# Comment.depth is a PositiveSmallIntegerField.
MAX_DEPTH = 32767

# The id a comment born on Minbar is exported under (it has no import id): `c<pk>`, or
# `c<pk>-minbar[-n]` when an imported comment of the same article already uses `c<pk>`.
_NATIVE_ID = re.compile(r"c([0-9]{1,18})(?:-minbar(?:-[0-9]+)?)?")


def native_comment_id(pk: int, *, taken: set[str]) -> str:
    """The export id of a Minbar-born comment, never one of `taken` (which it joins)."""
    candidate = f"c{pk}"
    n = 1
    while candidate in taken:
        candidate = f"c{pk}-minbar" if n == 1 else f"c{pk}-minbar-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def native_pk(comment_id: str) -> int | None:
    """The primary key that an exported Minbar-born comment id names, if it has that form."""
    match = _NATIVE_ID.fullmatch(comment_id)
    return int(match.group(1)) if match else None


T = TypeVar("T")


def parents_first(
    items: Iterable[T],
    *,
    sort_key: Callable[[T], Any],
    ident: Callable[[T], Hashable],
    parent: Callable[[T], Hashable | None],
) -> list[T]:
    """`items` in `sort_key` order, except that a reply whose parent sorts after it waits for the
    parent and follows it at once. The result depends only on the keys, ids and parents, so
    an exported discussion imported elsewhere exports again in the same order."""
    ordered = sorted(items, key=sort_key)
    known = {ident(item) for item in ordered}
    waiting: dict[Hashable, list[T]] = {}
    placed: set[Hashable] = set()
    result: list[T] = []

    def place(item: T) -> None:
        stack = [item]
        while stack:
            current = stack.pop()
            result.append(current)
            placed.add(ident(current))
            stack.extend(reversed(waiting.pop(ident(current), [])))

    for item in ordered:
        up = parent(item)
        if up is None or up in placed or up not in known:
            place(item)
        else:
            waiting.setdefault(up, []).append(item)
    return result


def thread_shape(parents: dict[int, int | None]) -> dict[int, tuple[int | None, int]]:
    """(root id, depth) of every comment, from each comment's parent id (None at the top)."""
    shape: dict[int, tuple[int | None, int]] = {}
    for pk in parents:
        chain = []
        current = pk
        while current not in shape:
            up = parents[current]
            if up is None:
                break
            chain.append(current)
            current = up
        shape.setdefault(current, (None, 0))
        for item in reversed(chain):
            parent = parents[item]
            assert parent is not None
            parent_root, parent_depth = shape[parent]
            shape[item] = (parent_root or parent, parent_depth + 1)
    return shape


def dump_archive(document: dict[str, Any]) -> str:
    """The document as the file holds it: UTF-8 text, two-space indents, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _nested(value: Any, level: int) -> str:
    """`value` as `dump_archive` writes it `level` spaces in."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + " " * level)


def _nested_pieces(value: Any, level: int) -> Iterator[str]:
    """`_nested(value, level)` in pieces: a list given as an iterator (not a list) is written
    an item at a time, as `json.dumps(..., indent=2)` writes a list."""
    if isinstance(value, list | tuple | dict | str) or not isinstance(value, Iterable):
        yield _nested(value, level)
        return
    inner = " " * (level + 2)
    first = True
    for item in value:
        yield ("[\n" if first else ",\n") + inner + _nested(item, level + 2)
        first = False
    yield "[]" if first else "\n" + " " * level + "]"


def iter_dump(
    head: dict[str, Any], articles: Iterable[Any], tail: Callable[[], dict[str, Any]]
) -> Iterator[str]:
    """`dump_archive({**head, "articles": [*articles], **tail()})`, byte for byte, in pieces:
    one article at a time (and one item at a time of a head value given as an iterator, such
    as the readers). `tail` is called once the articles have been read."""
    yield "{"
    for key, value in head.items():
        yield f"\n  {json.dumps(key, ensure_ascii=False)}: "
        yield from _nested_pieces(value, 2)
        yield ","
    yield '\n  "articles": ['
    first = True
    for article in articles:
        yield ("\n    " if first else ",\n    ") + _nested(article, 4)
        first = False
    yield "]" if first else "\n  ]"
    for key, value in tail().items():
        yield f",\n  {json.dumps(key, ensure_ascii=False)}: {_nested(value, 2)}"
    yield "\n}\n"
