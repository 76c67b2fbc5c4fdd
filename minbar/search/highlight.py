"""Snippets with the reader's words marked, built safely: every piece of text is escaped first,
and only the `<mark>` tags this module writes itself are added around escaped words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe

from minbar.search.terms import word_terms

# A displayed word: letters and digits with any marks, tatweel and invisible joiners inside it
# (a word with harakat or a kashida is one word on screen, so it is marked whole).
_WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    r"\u200b-\u200f\u2060\ufeff])+"
)
ELLIPSIS = "…"


def escape(text: str) -> str:
    """Text as HTML: & < > " ' escaped (what Django's `escape` does, without its wrapping)."""
    return _escape(text, quote=True)


@dataclass(frozen=True)
class Marker:
    """Decides which displayed words match what the reader looked for (one per search)."""

    terms: frozenset[str]
    prefixes: tuple[str, ...] = ()
    extra_protected: frozenset[str] = frozenset()
    # Words already decided: a page repeats its words many times.
    seen: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def matches(self, word: str) -> bool:
        known = self.seen.get(word)
        if known is None:
            known = any(
                term in self.terms or term.startswith(self.prefixes)
                for term in word_terms(word, extra_protected=self.extra_protected)
            )
            self.seen[word] = known
        return known

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)


def _marks(words: list[re.Match], marker: Marker) -> list[bool]:
    if not marker:
        return [False] * len(words)
    return [marker.matches(word.group()) for word in words]


def _render(text: str, words: list[re.Match], marked: list[bool], *, start: int, end: int) -> str:
    """Escaped text from words[start] to words[end - 1], marked words wrapped in <mark>."""
    out: list[str] = []
    position = words[start].start()
    for i in range(start, end):
        word = words[i]
        out.append(escape(text[position : word.start()]))
        if marked[i]:
            out.append(f"<mark>{escape(word.group())}</mark>")
        else:
            out.append(escape(word.group()))
        position = word.end()
    return "".join(out)


def highlight(text: str, *, marker: Marker) -> SafeString:
    """All of `text`, escaped, with matching words in <mark>."""
    words = list(_WORD.finditer(text))
    if not words:
        return mark_safe(escape(text))
    body = _render(text, words, _marks(words, marker), start=0, end=len(words))
    head = escape(text[: words[0].start()])
    tail = escape(text[words[-1].end() :])
    return mark_safe(f"{head}{body}{tail}")


def _window(count: int, *, hits: list[int], size: int) -> tuple[int, int]:
    """The run of `size` words (of `count`) holding the most hits (the earliest such run)."""
    if not hits or count <= size:
        return 0, min(count, size)
    best_start, best_count = 0, -1
    j = 0
    for i, start_hit in enumerate(hits):
        while j < len(hits) and hits[j] < start_hit + size:
            j += 1
        if j - i > best_count:
            best_start, best_count = start_hit, j - i
    # Show a few words before the first hit, for context.
    start = max(0, min(best_start - 4, count - size))
    return start, start + size


def _snippet(text: str, words: list[re.Match], marked: list[bool], *, size: int) -> SafeString:
    hits = [i for i, is_marked in enumerate(marked) if is_marked]
    start, end = _window(len(words), hits=hits, size=size)
    body = _render(text, words, marked, start=start, end=end)
    prefix = ELLIPSIS + " " if start > 0 else ""
    suffix = " " + ELLIPSIS if end < len(words) else ""
    return mark_safe(f"{prefix}{body}{suffix}")


def snippet(text: str, *, marker: Marker, size: int = 36) -> SafeString:
    """About `size` words of `text` around the best cluster of matches, marked and escaped."""
    words = list(_WORD.finditer(text))
    if not words:
        return mark_safe("")
    return _snippet(text, words, _marks(words, marker), size=size)


def best_snippet(texts: list[str], *, marker: Marker, size: int = 36) -> SafeString:
    """The snippet of the first of `texts` that has a match, else of the first non-empty one."""
    fallback = None
    for text in texts:
        words = list(_WORD.finditer(text))
        if not words:
            continue
        marked = _marks(words, marker)
        if any(marked):
            return _snippet(text, words, marked, size=size)
        if fallback is None:
            fallback = (text, words, marked)
    if fallback is None:
        return mark_safe("")
    return _snippet(*fallback, size=size)
