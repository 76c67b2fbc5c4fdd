"""User and newsroom text made safe: Markdown to sanitised HTML, and bidi hygiene.

Every piece of HTML that Minbar shows from stored text is made here, once, at write time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt

# Embedding and override controls let text reorder everything after it; they are removed.
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")
_ISOLATE_OPEN = "\u2066\u2067\u2068"
_ISOLATE_CLOSE = "\u2069"
# C0/C1 controls other than tab and newline; they have no business in stored text.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

ARTICLE_TAGS = {
    "p", "br", "strong", "em", "b", "i", "blockquote", "ul", "ol", "li", "a", "code", "pre",
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
COMMENT_TAGS = {"p", "br", "strong", "em", "blockquote", "ul", "ol", "li", "a", "code"}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_user_text(text: str) -> str:
    """Return text fit to store: NFC, CRLF folded, controls and bidi overrides removed, isolates
    balanced (an unmatched closing isolate is dropped, open ones are closed at the end)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BIDI_OVERRIDES.sub("", _CONTROLS.sub("", text))
    out: list[str] = []
    depth = 0
    for char in text:
        if char in _ISOLATE_OPEN:
            depth += 1
        elif char == _ISOLATE_CLOSE:
            if depth == 0:
                continue
            depth -= 1
        out.append(char)
    return "".join(out) + _ISOLATE_CLOSE * depth


@lru_cache(maxsize=2)
def _markdown(*, for_comments: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    if for_comments:
        # The comment subset: paragraphs, emphasis, quotes, lists, links, inline code.
        md.disable(["heading", "lheading", "image", "fence", "code", "hr", "html_block",
                    "html_inline", "table"], ignoreInvalid=True)  # fmt: skip
    return md


def render_article_markdown(text: str) -> str:
    """Newsroom Markdown to sanitised HTML (headings, lists, quotes, links, tables, code)."""
    html = _markdown(for_comments=False).render(text)
    return nh3.clean(
        html,
        tags=ARTICLE_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    )


def render_comment_markdown(text: str) -> str:
    """A reader's Markdown (the safe subset) to sanitised HTML; links are nofollow ugc."""
    html = _markdown(for_comments=True).render(text)
    return nh3.clean(
        html,
        tags=COMMENT_TAGS,
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )


@dataclass(frozen=True)
class Reading:
    """What a reader gets from a piece of rendered HTML: the text as it shows (tags gone,
    entities decoded, words split by emphasis joined again), the text outside links, and the
    addresses the links lead to (percent-decoded)."""

    text: str
    text_outside_links: str
    hrefs: tuple[str, ...]


# Elements that end a line of text; every other element (emphasis, code, links) sits inside
# a line, so "sc<em>am</em>coin" reads "scamcoin", as the reader sees it.
_LINE_BREAKING = frozenset(
    {"p", "br", "li", "ul", "ol", "blockquote", "pre", "h2", "h3", "h4", "hr", "table", "tr",
     "td", "th"}
)  # fmt: skip


_LINES = re.compile(r"\s*\n\s*")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.outside: list[str] = []
        self.hrefs: list[str] = []
        self.links_open = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LINE_BREAKING:
            self._line()
        if tag == "a":
            self.links_open += 1
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(unquote(href))

    def handle_endtag(self, tag: str) -> None:
        if tag in _LINE_BREAKING:
            self._line()
        if tag == "a" and self.links_open:
            self.links_open -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if not self.links_open:
            self.outside.append(data)

    def _line(self) -> None:
        self.text.append("\n")
        self.outside.append("\n")


def read_rendered(html: str) -> Reading:
    """Read HTML made by this module (sanitised) the way a reader's eyes and browser do."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Reading(
        text=_LINES.sub("\n", "".join(reader.text)).strip(),
        text_outside_links=_LINES.sub("\n", "".join(reader.outside)).strip(),
        hrefs=tuple(reader.hrefs),
    )


def plain_text(html_or_markdown: str, *, limit: int = 200) -> str:
    """A short plain-text excerpt (for meta descriptions and feeds)."""
    text = nh3.clean(html_or_markdown, tags=set())
    text = re.sub(r"[#>*_`\[\]()]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
