"""Snippets with the reader's words marked, built safely: every piece of text is escaped first,
and only the `<mark>` tags this module writes itself are added around escaped words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from minbar.search.terms import word_terms

# A displayed word: letters and digits with any marks, tatweel and invisible joiners inside it
# (a word with harakat or a kashida is one word on screen, so it is marked whole).
_WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    r"\u200b-\u200f\u2060\ufeff])+"
)
ELLIPSIS = "…"


@dataclass(frozen=True)
class Marker:
    """Decides which displayed words match what the reader looked for."""

    terms: frozenset[str]
    prefixes: tuple[str, ...] = ()
    extra_protected: frozenset[str] = frozenset()

    def matches(self, word: str) -> bool:
        for term in word_terms(word, extra_protected=self.extra_protected):
            if term in self.terms or term.startswith(self.prefixes):
                return True
        return False

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)


def _render(text: str, *, marker: Marker) -> str:
    out: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        out.append(escape(text[position : match.start()]))
        word = match.group()
        if marker and marker.matches(word):
            out.append(f"<mark>{escape(word)}</mark>")
        else:
            out.append(escape(word))
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def highlight(text: str, *, marker: Marker) -> SafeString:
    """All of `text`, escaped, with matching words in <mark>."""
    return mark_safe(_render(text, marker=marker))


def _window(words: list[re.Match], *, hits: list[int], size: int) -> tuple[int, int]:
    """The run of `size` words holding the most hits (the earliest such run)."""
    if not hits or len(words) <= size:
        return 0, min(len(words), size)
    best_start, best_count = 0, -1
    j = 0
    for i, start_hit in enumerate(hits):
        while j < len(hits) and hits[j] < start_hit + size:
            j += 1
        if j - i > best_count:
            best_start, best_count = start_hit, j - i
    # Show a few words before the first hit, for context.
    start = max(0, min(best_start - 4, len(words) - size))
    return start, start + size


def snippet(text: str, *, marker: Marker, size: int = 36) -> SafeString:
    """About `size` words of `text` around the best cluster of matches, marked and escaped."""
    words = list(_WORD.finditer(text))
    if not words:
        return mark_safe("")
    hits = [i for i, w in enumerate(words) if marker and marker.matches(w.group())]
    start, end = _window(words, hits=hits, size=size)
    begin = words[start].start()
    finish = words[end - 1].end()
    body = _render(text[begin:finish], marker=marker)
    prefix = ELLIPSIS + " " if start > 0 else ""
    suffix = " " + ELLIPSIS if end < len(words) else ""
    return mark_safe(f"{prefix}{body}{suffix}")


def has_match(text: str, *, marker: Marker) -> bool:
    return bool(marker) and any(marker.matches(w.group()) for w in _WORD.finditer(text))


def best_snippet(texts: list[str], *, marker: Marker, size: int = 36) -> SafeString:
    """The snippet of the first of `texts` that has a match, else of the first non-empty one."""
    for text in texts:
        if has_match(text, marker=marker):
            return snippet(text, marker=marker, size=size)
    for text in texts:
        if text.strip():
            return snippet(text, marker=marker, size=size)
    return mark_safe("")
