"""Read a Minbar archive file as a stream (ijson), so that memory follows the number of ids,
not the size of the text.

The document's small top-level fields (`format`, `version`, `site`, `readers`, `moderation`…)
are read whole; the articles, with their comments, one at a time. `check_file` is the first
pass (everything checked, nothing kept but ids and usernames); `article_batches` is the second
one, which reads the file again and hands the checked articles over a few at a time.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

import ijson
from django.utils.translation import gettext as _

from minbar.archive.validate import (
    ArchiveDocument,
    ArchiveError,
    ArchiveInvalid,
    ArticleEntry,
    _Checker,
    _Object,
)

_BOM = codecs.BOM_UTF8
_OPEN = {"start_map", "start_array"}
_CLOSE = {"end_map", "end_array"}
_CHUNK = 1 << 16


class _StreamObject(_Object):
    """A JSON object built from events, remembering the keys it saw twice."""

    def __init__(self) -> None:
        super().__init__()
        self.duplicates = ()

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            self.duplicates = (*self.duplicates, key)
        super().__setitem__(key, value)


class _ArticleList(list):
    """Stands for `articles` in the top-level object: a list whose items are read apart."""


def _invalid(message: str) -> ArchiveInvalid:
    return ArchiveInvalid([ArchiveError("", message)])


@contextmanager
def _opened(path: str) -> Iterator[BinaryIO]:
    """The file, past a UTF-8 byte order mark."""
    with open(path, "rb") as handle:
        if handle.read(len(_BOM)) != _BOM:
            handle.seek(0)
        yield handle


def _check_utf8(path: str) -> None:
    """Refuse a file that is not UTF-8, naming the byte (read in chunks, not whole)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with _opened(path) as handle:
        start = handle.tell()
        while True:
            chunk = handle.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                position = start + offset + error.start - len(decoder.getstate()[0])
                message = _("The file is not UTF-8 text (byte %(position)s).") % {
                    "position": max(position, start + offset)
                }
                raise _invalid(message) from None
            if not chunk:
                return
            offset += len(chunk)


def _build(event: str, value: Any, events: Iterator) -> Any:
    """The whole value that starts with (event, value)."""
    if event not in _OPEN:
        return value
    builder = ijson.ObjectBuilder(map_type=_StreamObject)
    builder.event(event, value)
    depth = 1
    while depth:
        _prefix, event, value = next(events)
        builder.event(event, value)
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
    return builder.value


def _skip(event: str, events: Iterator) -> None:
    depth = 1 if event in _OPEN else 0
    while depth:
        _prefix, event, _value = next(events)
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1


def _events(handle: BinaryIO) -> Iterator:
    return ijson.parse(handle, use_float=True)


def _head(path: str) -> Any:
    """The top-level value with the items of `articles` left out (an `_ArticleList` there)."""
    with _opened(path) as handle:
        events = _events(handle)
        _prefix, event, value = next(events)
        if event != "start_map":
            found = _build(event, value, events)
            for _rest in events:
                pass
            return found
        top = _StreamObject()
        for _prefix, event, value in events:
            if event == "end_map":
                break
            key = value
            _prefix, event, value = next(events)
            if key == "articles" and event == "start_array":
                _skip(event, events)
                top[key] = _ArticleList()
            else:
                top[key] = _build(event, value, events)
        for _rest in events:  # what follows the object is an error too
            pass
        return top


def _articles(path: str) -> Iterator[Any]:
    """Each item of the top-level `articles` list, built whole, in file order."""
    with _opened(path) as handle:
        events = _events(handle)
        _prefix, event, _value = next(events)
        if event != "start_map":
            return
        for _prefix, event, value in events:
            if event == "end_map":
                return
            key = value
            _prefix, event, value = next(events)
            if key != "articles" or event != "start_array":
                _skip(event, events)
                continue
            for _prefix, event, value in events:
                if event == "end_array":
                    break
                yield _build(event, value, events)


@contextmanager
def _reading() -> Iterator[None]:
    """Turn what the JSON reader says into the file's one error."""
    try:
        yield
    except (ijson.JSONError, StopIteration, RuntimeError) as error:
        lines = str(error).strip().splitlines()
        problem = lines[0] if lines else _("the file ends too early")
        message = _("The file is not valid JSON: %(problem)s") % {"problem": problem}
        raise _invalid(message) from None


def check_file(path: str) -> tuple[ArchiveDocument, dict[str, list[str]]]:
    """The first pass: check the whole file, keeping the top-level fields (without the
    articles) and every username's pointers; raises ArchiveInvalid with every error."""
    _check_utf8(path)
    checker = _Checker()
    with _reading():
        head = _head(path)
        listed = isinstance(head, dict) and isinstance(head.get("articles"), _ArticleList)
        articles = _articles(path) if listed else None
        document = checker.document(head, articles=articles, keep=False)
    if checker.errors:
        raise ArchiveInvalid(checker.errors, authors=checker.authors)
    assert document is not None
    return document, checker.authors


def article_batches(
    path: str, *, version: int, articles: int, comments: int
) -> Iterator[list[ArticleEntry]]:
    """The second pass: the checked articles again, in batches of at most `articles` articles
    and (unless one article has more) `comments` comments. The file was checked by
    `check_file`; one changed in between is refused."""
    checker = _Checker()
    checker.version = version
    batch: list[ArticleEntry] = []
    held = 0
    with _reading():
        for index, value in enumerate(_articles(path)):
            entry = checker.article(value, f"/articles/{index}")
            if entry is None:
                raise ArchiveInvalid(checker.errors)
            if batch and (len(batch) >= articles or held + len(entry.comments) > comments):
                yield batch
                batch, held = [], 0
            batch.append(entry)
            held += len(entry.comments)
    if batch:
        yield batch
