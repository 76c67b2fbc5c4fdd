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
import dataclasses
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
    CommentEntry,
    ReaderEntry,
    Streamed,
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


def _article_walk(path: str) -> Iterator[tuple[str, Any]]:
    """The top-level `articles` list as a stream of events, an article's comments one at a
    time: ("start", None) as an article begins; ("head", fields) as its `comments` list
    begins, with the fields read so far; ("comment", value) for each comment; ("end",
    (fields, late)) as it ends, with all its fields (a `Streamed` standing for the comments)
    and whether a field came after the comments."""
    with _opened(path) as handle:
        events = _events(handle)
        _prefix, event, value = next(events)
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
                yield "start", None
                if event != "start_map":
                    yield "end", (_build(event, value, events), False)
                    continue
                fields = _StreamObject()
                streamed = late = False
                for _prefix, event, value in events:
                    if event == "end_map":
                        break
                    key = value
                    _prefix, event, value = next(events)
                    late = late or streamed
                    if key == "comments" and event == "start_array":
                        yield "head", fields
                        for _prefix, event, value in events:
                            if event == "end_array":
                                break
                            yield "comment", _build(event, value, events)
                        fields[key] = Streamed()
                        streamed = True
                    else:
                        fields[key] = _build(event, value, events)
                yield "end", (fields, late)


def _checked_articles(
    walk: Iterable[tuple[str, Any]], checker: _Checker, counter: _Counter, late: set[int]
) -> Iterator[Any]:
    """The first pass over the articles: each comment checked as it comes (nothing kept but
    its id), then the article's fields handed to the checker; `late` learns the articles
    with a field after their comments."""
    index, count = -1, 0
    seen: dict[str, tuple[str, int, str | None]] = {}
    for kind, value in walk:
        if kind == "start":
            index, count, seen = index + 1, 0, {}
        elif kind == "comment":
            pointer = f"/articles/{index}/comments/{count}"
            checker.comment(value, pointer, seen=seen, later=None)
            count += 1
            counter.add(1)
        elif kind == "end":
            fields, is_late = value
            checker.settle_parents(seen)
            if is_late:
                late.add(index)
            if isinstance(fields, dict) and isinstance(fields.get("comments"), Streamed):
                checker.streamed_ids[f"/articles/{index}"] = list(seen)
            yield fields


class _Counter:
    """Says the number of comments every `every` comments (the importers' progress)."""

    def __init__(self, say: Progress | None, every: int) -> None:
        self.say, self.every, self.count, self.next = say, every, 0, every

    def add(self, count: int) -> None:
        self.count += count
        if self.say is not None and self.count >= self.next:
            self.say(self.count)
            self.next = (self.count // self.every + 1) * self.every


@dataclass(frozen=True)
class Outline:
    """What the first pass keeps of the long lists besides the usernames."""

    readers: bool = False  # whether there is a `readers` list
    moderation: tuple[str, ...] = ()  # the lists `moderation` has
    moderated: frozenset[tuple[str, str]] = frozenset()  # (slug, comment id) it names
    late: frozenset[int] = frozenset()  # articles with a field after their comments


def check_file(
    path: str, *, progress: Progress | None = None, every: int = 100_000
) -> tuple[ArchiveDocument, dict[str, list[str]], Outline]:
    """The first pass: check the whole file, keeping the top-level fields (without the long
    lists), every username's pointers and the outline of the lists; raises ArchiveInvalid
    with every error. `progress` hears the number of comments checked, every `every`."""
    _check_utf8(path)
    checker = _Checker()
    late: set[int] = set()
    with _reading(path):
        head = _head(path)
        streamed = isinstance(head, dict)
        articles = readers = None
        moderation: dict[str, Iterable[Any]] = {}
        if streamed and isinstance(head.get("articles"), Streamed):
            articles = _checked_articles(
                _article_walk(path), checker, _Counter(progress, every), late
            )
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
        late=frozenset(late),
    )
    return document, checker.authors, outline


def article_batches(
    path: str,
    *,
    version: int,
    articles: int,
    comments: int,
    late: frozenset[int] = frozenset(),
    progress: Progress | None = None,
    every: int = 100_000,
) -> Iterator[list[tuple[ArticleEntry, bool]]]:
    """The second pass: the checked articles again, in batches of at most `articles` articles
    and `comments` comments. An article with more comments comes in parts: (entry, False)
    with its first comments, then (entry, True) with each next part, the same article
    going on (only the articles of `late`, with a field after their comments, are read whole
    first). The file was checked by `check_file`; one changed in between is refused."""
    checker = _Checker()
    checker.version = version
    counter = _Counter(progress, every)
    batch: list[tuple[ArticleEntry, bool]] = []
    held = 0
    index = -1
    pointer = ""
    seen: dict[str, tuple[str, int, str | None]] = {}
    entry: ArticleEntry | None = None
    part: list[CommentEntry] = []
    whole: list[Any] = []
    continued = False

    def refused() -> ArchiveInvalid:
        return ArchiveInvalid(checker.errors or [ArchiveError(pointer, _("Changed while read."))])

    with _reading(path):
        for kind, value in _article_walk(path):
            ready: tuple[ArticleEntry, bool] | None = None
            if kind == "start":
                index += 1
                pointer = f"/articles/{index}"
                seen, entry, part, whole, continued = {}, None, [], [], False
            elif kind == "head":
                if index not in late:
                    entry = checker.article(value, pointer)
                    if entry is None:
                        raise refused()
            elif kind == "comment":
                if index in late or entry is None:
                    whole.append(value)
                    continue
                at = f"{pointer}/comments/{len(seen)}"
                comment = checker.comment(value, at, seen=seen, later=None)
                if comment is None or checker.pending:
                    raise refused()
                part.append(comment)
                if len(part) >= comments:
                    ready = (dataclasses.replace(entry, comments=tuple(part)), continued)
                    part, continued = [], True
            else:  # "end"
                fields, _late = value
                if entry is None:
                    if isinstance(fields, dict) and isinstance(fields.get("comments"), Streamed):
                        fields["comments"] = whole
                    entry = checker.article(fields, pointer)
                    if entry is None:
                        raise refused()
                    ready = (entry, False)
                elif part or not continued:
                    ready = (dataclasses.replace(entry, comments=tuple(part)), continued)
            if ready is None:
                continue
            size = len(ready[0].comments)
            if batch and (len(batch) >= articles or held + size > comments):
                yield batch
                counter.add(held)
                batch, held = [], 0
            batch.append(ready)
            held += size
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
