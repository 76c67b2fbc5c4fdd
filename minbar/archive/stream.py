"""Read a Minbar archive file as a stream (ijson), so that memory follows the number of ids,
not the size of the text.

The document's small top-level fields (`format`, `version`, `site`, `personal_data`) are read
whole; the long lists (`articles`, `readers` and each list of `moderation`) one item at a time,
each by its own read of the file. `check_file` is the first pass (everything checked, nothing
kept but ids and usernames); `article_batches`, `reader_batches` and `moderation_batches` are
the second one, which reads the file again and hands the checked items over a few at a time.

A file that is not JSON is refused with the place of the fault (line, column and the JSON
pointer of what was being read), in the reader's language: ijson's fast parser says only that
something is wrong, so the file is then read once more by `_locate`, which finds where.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

import ijson
from django.utils.translation import gettext as _
from ijson import common as ijson_common
from ijson.backends import python as ijson_python

from minbar.archive.validate import (
    MODERATION_KEYS,
    MODERATION_ORDER,
    ArchiveDocument,
    ArchiveError,
    ArchiveInvalid,
    ArticleEntry,
    ReaderEntry,
    _Checker,
    _Object,
    _shorten,
    document_order,
)

_BOM = codecs.BOM_UTF8
_OPEN = {"start_map", "start_array"}
_CLOSE = {"end_map", "end_array"}
_CHUNK = 1 << 16
# UTF-8 continuation bytes: a character is the bytes that are not one of these.
_CONTINUATION = bytes(range(0x80, 0xC0))
# The top-level lists read one item at a time (moderation's lists are inside `moderation`).
_LISTS = ("articles", "readers")

# A report of progress: the number of comments read or written so far.
Progress = Callable[[int], None]


class _StreamObject(_Object):
    """A JSON object built from events, remembering the keys it saw twice."""

    def __init__(self) -> None:
        super().__init__()
        self.duplicates = ()

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            self.duplicates = (*self.duplicates, key)
        super().__setitem__(key, value)


class Streamed(list[Any]):
    """Stands for a long list in the top-level object: its items are read apart."""


def _invalid(pointer: str, message: str) -> ArchiveInvalid:
    return ArchiveInvalid([ArchiveError(pointer, message)])


@contextmanager
def _opened(path: str) -> Iterator[BinaryIO]:
    """The file, past a UTF-8 byte order mark."""
    with open(path, "rb") as handle:
        if handle.read(len(_BOM)) != _BOM:
            handle.seek(0)
        yield handle


# --- where a fault is ----------------------------------------------------------------------


def _line_column(path: str, *, byte: int | None = None, char: int | None = None) -> tuple[int, int]:
    """Line and column (from 1, in characters) of a byte offset or a character offset
    counted after the byte order mark; read in chunks, whatever the length of a line."""
    line, column = 1, 1
    if byte is not None:
        with open(path, "rb") as handle:
            left = byte
            while left > 0:
                chunk = handle.read(min(_CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                newlines = chunk.count(b"\n")
                if newlines:
                    line += newlines
                    chunk = chunk[chunk.rindex(b"\n") + 1 :]
                    column = 1
                column += len(chunk.translate(None, _CONTINUATION))
        return line, column
    assert char is not None
    with open(path, encoding="utf-8-sig", newline="") as text:
        left = char
        while left > 0:
            piece = text.read(min(_CHUNK, left))
            if not piece:
                break
            left -= len(piece)
            newlines = piece.count("\n")
            if newlines:
                line += newlines
                piece = piece[piece.rindex("\n") + 1 :]
                column = 1
            column += len(piece)
    return line, column


def _place(path: str, pointer: str, message: str, **at: int) -> ArchiveInvalid:
    line, column = _line_column(path, **at)
    text = _("The file is not valid JSON at line %(line)s, column %(column)s: %(problem)s") % {
        "line": line,
        "column": column,
        "problem": message,
    }
    return _invalid(pointer, text)


class _Pointer:
    """Follows the parser's events and knows the JSON pointer of the value being read."""

    def __init__(self) -> None:
        self.stack: list[list[Any]] = []  # [is_array, key or index]

    def event(self, event: str) -> None:
        stack = self.stack
        if event == "map_key":
            return
        if event in _CLOSE:
            stack.pop()
            return
        if stack and stack[-1][0]:
            stack[-1][1] += 1
        if event == "start_map":
            stack.append([False, None])
        elif event == "start_array":
            stack.append([True, -1])

    def key(self, key: str) -> None:
        self.stack[-1][1] = key

    def __str__(self) -> str:
        tokens = []
        for is_array, key in self.stack:
            if key is None or (is_array and key < 0):
                break
            tokens.append(str(key).replace("~", "~0").replace("/", "~1"))
        return "".join(f"/{token}" for token in tokens)


def _locate(path: str) -> ArchiveInvalid:
    """Read the file once more, slowly, with ijson's pure-Python parser, which knows the
    position of every token: the fault's line, column and JSON pointer."""
    pointer = _Pointer()
    last: list[Any] = [0, ""]  # the character offset and text of the last token read

    @ijson.utils.coroutine
    def events() -> Any:
        while True:
            event, value = yield
            if event == "map_key":
                pointer.key(value)
            else:
                pointer.event(event)

    @ijson.utils.coroutine
    def tokens(target: Any) -> Any:
        while True:
            token = yield
            if token != ijson_python.EOF:
                last[0], last[1] = token
            target.send(token)

    lexer = ijson_python.Lexer(
        tokens(ijson_python.parse_value(events(), multivalue=False, use_float=True))
    )
    offset = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") as text:
            while piece := text.read(_CHUNK):
                offset += len(piece)
                lexer.send(piece)
        lexer.close()
    except ijson_common.IncompleteJSONError:
        return _place(
            path,
            str(pointer),
            _("it ends before the document does (it may have been cut short)."),
            char=offset,
        )
    except ijson_common.JSONError as error:
        if str(error) == "Additional data found":
            message = _("something follows the end of the document: %(found)s") % {
                "found": _shorten(last[1], 20)
            }
        else:
            message = _("%(found)s cannot stand here.") % {"found": _shorten(last[1], 20)}
        return _place(path, str(pointer), message, char=last[0])
    except StopIteration:
        pass
    # The fast parser refused what the slow one reads (NaN, for one): no better place.
    return _invalid("", _("The file is not valid JSON."))


def _check_utf8(path: str) -> None:
    """Refuse a file that is not UTF-8, naming the place (read in chunks, not whole)."""
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
                position = max(position, start + offset)
                line, column = _line_column(path, byte=position)
                message = _(
                    "The file is not UTF-8 text at line %(line)s, column %(column)s "
                    "(byte %(position)s)."
                ) % {"line": line, "column": column, "position": position}
                raise _invalid("", message) from None
            if not chunk:
                return
            offset += len(chunk)


@contextmanager
def _reading(path: str) -> Iterator[None]:
    """Turn a fault of the JSON text into the file's one error, with its place."""
    try:
        yield
    except (ijson.JSONError, StopIteration, RuntimeError):
        raise _locate(path) from None


# --- reading --------------------------------------------------------------------------------


def _build(event: str, value: Any, events: Iterator[Any]) -> Any:
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


def _skip(event: str, events: Iterator[Any]) -> None:
    depth = 1 if event in _OPEN else 0
    while depth:
        _prefix, event, _value = next(events)
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1


def _events(handle: BinaryIO) -> Iterator[Any]:
    return iter(ijson.parse(handle, use_float=True))


def _moderation_head(events: Iterator[Any]) -> Any:
    """The `moderation` object with its lists left out (a `Streamed` for each)."""
    found = _StreamObject()
    for _prefix, event, value in events:
        if event == "end_map":
            return found
        key = value
        _prefix, event, value = next(events)
        if key in MODERATION_KEYS and event == "start_array":
            _skip(event, events)
            found[key] = Streamed()
        else:
            found[key] = _build(event, value, events)
    return found


def _head(path: str) -> Any:
    """The top-level value with the long lists left out (a `Streamed` for each)."""
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
            if key in _LISTS and event == "start_array":
                _skip(event, events)
                top[key] = Streamed()
            elif key == "moderation" and event == "start_map":
                top[key] = _moderation_head(events)
            else:
                top[key] = _build(event, value, events)
        for _rest in events:  # what follows the object is an error too
            pass
        return top


def _items(path: str, prefix: str) -> Iterator[Any]:
    """Each item of the list at `prefix` (`readers.item`), built whole, in file order; the
    rest of the file is skipped by ijson's C parser."""
    with _opened(path) as handle:
        yield from ijson.items(handle, prefix, map_type=_StreamObject, use_float=True)


def _articles(path: str) -> Iterator[Any]:
    return _items(path, "articles.item")


class _Counter:
    """Says the number of comments every `every` comments (the importers' progress)."""

    def __init__(self, say: Progress | None, every: int) -> None:
        self.say, self.every, self.count, self.next = say, every, 0, every

    def add(self, count: int) -> None:
        self.count += count
        if self.say is not None and self.count >= self.next:
            self.say(self.count)
            self.next = (self.count // self.every + 1) * self.every


def _counted(articles: Iterable[Any], counter: _Counter) -> Iterator[Any]:
    for value in articles:
        yield value
        comments = value.get("comments") if isinstance(value, dict) else None
        counter.add(len(comments) if isinstance(comments, list) else 0)


@dataclass(frozen=True)
class Outline:
    """What the first pass keeps of the long lists besides the usernames."""

    readers: bool = False  # whether there is a `readers` list
    moderation: tuple[str, ...] = ()  # the lists `moderation` has
    moderated: frozenset[tuple[str, str]] = frozenset()  # (slug, comment id) it names


def check_file(
    path: str, *, progress: Progress | None = None, every: int = 100_000
) -> tuple[ArchiveDocument, dict[str, list[str]], Outline]:
    """The first pass: check the whole file, keeping the top-level fields (without the long
    lists), every username's pointers and the outline of the lists; raises ArchiveInvalid
    with every error. `progress` hears the number of comments checked, every `every`."""
    _check_utf8(path)
    checker = _Checker()
    with _reading(path):
        head = _head(path)
        streamed = isinstance(head, dict)
        articles = readers = None
        moderation: dict[str, Iterable[Any]] = {}
        if streamed and isinstance(head.get("articles"), Streamed):
            articles = _counted(_articles(path), _Counter(progress, every))
        if streamed and isinstance(head.get("readers"), Streamed):
            readers = _items(path, "readers.item")
        if streamed and isinstance(head.get("moderation"), dict):
            moderation = {
                kind: _items(path, f"moderation.{kind}.item")
                for kind, value in head["moderation"].items()
                if isinstance(value, Streamed)
            }
        document = checker.document(
            head, articles=articles, readers=readers, moderation=moderation, keep=False
        )
    if checker.errors:
        errors = sorted(checker.errors, key=lambda error: document_order(error.pointer))
        raise ArchiveInvalid(errors, authors=checker.authors)
    assert document is not None
    outline = Outline(
        readers=readers is not None,
        moderation=tuple(kind for kind in MODERATION_ORDER if kind in moderation),
        moderated=frozenset(checker.moderated),
    )
    return document, checker.authors, outline


def article_batches(
    path: str,
    *,
    version: int,
    articles: int,
    comments: int,
    progress: Progress | None = None,
    every: int = 100_000,
) -> Iterator[list[ArticleEntry]]:
    """The second pass: the checked articles again, in batches of at most `articles` articles
    and (unless one article has more) `comments` comments. The file was checked by
    `check_file`; one changed in between is refused."""
    checker = _Checker()
    checker.version = version
    counter = _Counter(progress, every)
    batch: list[ArticleEntry] = []
    held = 0
    with _reading(path):
        for index, value in enumerate(_articles(path)):
            entry = checker.article(value, f"/articles/{index}")
            if entry is None:
                raise ArchiveInvalid(checker.errors)
            if batch and (len(batch) >= articles or held + len(entry.comments) > comments):
                yield batch
                counter.add(held)
                batch, held = [], 0
            batch.append(entry)
            held += len(entry.comments)
    if batch:
        yield batch
        counter.add(held)


def reader_batches(path: str, *, personal_data: bool, size: int) -> Iterator[list[ReaderEntry]]:
    """The second pass over `readers`: the checked entries, `size` at a time."""
    checker = _Checker()
    checker.version = 2
    batch: list[ReaderEntry] = []
    with _reading(path):
        for index, value in enumerate(_items(path, "readers.item")):
            entry = checker.reader(value, f"/readers/{index}", personal_data=personal_data)
            if entry is None:
                raise ArchiveInvalid(checker.errors)
            batch.append(entry)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def moderation_batches(
    path: str, *, kinds: Iterable[str], size: int
) -> Iterator[list[tuple[str, str, dict[str, Any]]]]:
    """The second pass over `moderation`: (kind, pointer, fields) of each report, sanction
    and decision, `size` at a time (the file was checked: references are not checked again)."""
    checker = _Checker()
    checker.version = 2
    batch: list[tuple[str, str, dict[str, Any]]] = []
    with _reading(path):
        for kind in kinds:
            for index, value in enumerate(_items(path, f"moderation.{kind}.item")):
                entry = checker.moderation_entry(kind, value, f"/moderation/{kind}/{index}")
                if entry is None:
                    raise ArchiveInvalid(checker.errors)
                batch.append(entry)
                if len(batch) >= size:
                    yield batch
                    batch = []
    if batch:
        yield batch
