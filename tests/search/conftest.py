"""Search tests: the index follows committed changes, so tests run the actions' on-commit side
effects (`committed()`), exactly as a request would after its transaction."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …` runs the block's on-commit callbacks (the index receivers)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class Page(HTMLParser):
    """What a search page shows, read from its HTML (not from template context)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.articles: list[int] = []
        self.comments: list[int] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self.attributes: set[str] = set()
        self.marks: list[str] = []
        self.count = ""
        self.status_texts: list[str] = []
        self._in: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.attributes.update(attrs)
        if "data-article" in attrs:
            self.articles.append(int(attrs["data-article"]))
        if "data-comment" in attrs and tag == "li":
            self.comments.append(int(attrs["data-comment"]))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        marker = "count" if attrs.get("id") == "search-count" else tag
        self._in.append(marker)

    def handle_endtag(self, tag):
        if self._in:
            self._in.pop()

    def handle_data(self, data):
        if "count" in self._in[-1:]:
            self.count += data
        if "mark" in self._in[-1:]:
            self.marks.append(data)


def page_of(response) -> Page:
    return Page(response.content.decode())


def text_of(response) -> str:
    """The page's visible text, tags removed and spaces squeezed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
