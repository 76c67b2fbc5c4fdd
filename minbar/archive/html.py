"""Comment bodies from other platforms (HTML) as Minbar's Markdown subset.

Two well-kept libraries, one after the other: nh3 first keeps only the tags the subset has
(links, emphasis, quotes, lists, code, paragraphs and line breaks) and drops scripts, styles and
every attribute but a link's address, so nothing else reaches the converter; markdownify then
writes Markdown, escaping what would otherwise read as Markdown. The result is cleaned like
any reader's text, and rendered later through the same sanitiser as a new comment
(minbar.core.text.render_comment_markdown).
"""

from __future__ import annotations

import re

import nh3
from markdownify import MarkdownConverter

from minbar.core.text import URL_SCHEMES, clean_user_text

KEPT_TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "blockquote", "ul", "ol", "li", "code", "pre",
}  # fmt: skip
# Nothing that could carry markup: plain text goes straight through (most comments).
_PLAIN = re.compile(r"[<>&*_`\[\]\\#|~+=-]|^\s*\d+[.)]", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")
# Paragraphs of plain text, the shape of most Disqus messages: no converter needed.
_PLAIN_PARAGRAPHS = re.compile(r"(?:\s*<p>[^<>&*_`\[\]\\#|~+=-]*</p>)+\s*")
_PARAGRAPH = re.compile(r"<p>([^<]*)</p>")
_NUMBERED = re.compile(r"\s*\d+[.)]")


_convert = MarkdownConverter(
    heading_style="ATX",
    bullets="-",
    strong_em_symbol="*",
    escape_asterisks=True,
    escape_underscores=True,
    escape_misc=True,
    autolinks=True,
)


def to_markdown(html: str) -> str:
    """A comment's HTML as Minbar Markdown, cleaned like a reader's text."""
    if not _PLAIN.search(html):
        text = html
    elif _PLAIN_PARAGRAPHS.fullmatch(html) and not any(
        _NUMBERED.match(p) for p in _PARAGRAPH.findall(html)
    ):
        text = "\n\n".join(" ".join(p.split()) for p in _PARAGRAPH.findall(html))
    else:
        safe = nh3.clean(
            html,
            tags=KEPT_TAGS,
            attributes={"a": {"href"}},
            url_schemes=URL_SCHEMES,
            link_rel=None,
            strip_comments=True,
        )
        text = _convert.convert(safe)
    text = clean_user_text(text)
    return _BLANK_LINES.sub("\n\n", text).strip()
