"""Moderation test helpers: actors, the limits switched on, a clock the limiter reads, and a
small HTML reader (the standard library's parser, no regexes over markup)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from minbar.moderation import ratelimit
from tests.factories import make_article, make_comment, make_established_reader

# The limits of config/settings/base.py (test settings switch them off for everyone else).
PRODUCTION_LIMITS = {
    "comment": "1/5s",
    "comment-new-account": "1/30s,10/1d",
    "comment-edit": "1/5s,30/1h",
    "vote": "2/1s,200/1d",
    "report": "20/1d",
}


class Clock:
    """The limiter's clock, moved by hand: no sleeping in tests."""

    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock(timezone.now().timestamp())
    monkeypatch.setattr(ratelimit, "clock", fake)
    return fake


@pytest.fixture
def limits(settings):
    settings.MINBAR_RATE_LIMITS = dict(PRODUCTION_LIMITS)
    settings.MINBAR_DUPLICATE_COMMENT_SECONDS = 300
    return settings


def old_reader(username: str | None = None, **fields):
    """A reader whose account is a month old with a verified address: the ordinary posting
    limits apply, and their reports and votes count (decision 0008)."""
    return make_established_reader(username, **fields)


def make_moderator(username: str | None = None):
    return old_reader(username, groups=["moderators"])


def make_staff(username: str | None = None):
    return old_reader(username, is_staff=True, is_superuser=True)


@pytest.fixture
def article(db):
    return make_article(title="مقال للنقاش")


@pytest.fixture
def reader(db):
    return old_reader("reader_a")


@pytest.fixture
def moderator(db):
    return make_moderator("mod_a")


@pytest.fixture
def staff(db):
    return make_staff("staff_a")


def post_comment(client, article, text: str, **extra):
    return client.post(reverse("discussion:post", args=[article.slug]), {"text": text, **extra})


def comment_by(article, author, text="تعليق عادي."):
    return make_comment(article, author=author, text=text)


class Tree(HTMLParser):
    """Every element of a page with its attributes, its text, and the text of the whole page."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
    )  # fmt: skip

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        parents = [e["tag"] for e in self._open]
        element = {"tag": tag, "attrs": attrs, "text": [], "parents": parents}
        element["classes"] = set((dict(attrs).get("class") or "").split())
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self._open and self._open[-1]["tag"] == tag:
            self._open.pop()

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"].append(data)

    def find(self, tag: str | None = None, *, cls: str | None = None, **attrs) -> list[dict]:
        found = []
        for e in self.elements:
            if tag and e["tag"] != tag:
                continue
            if cls and cls not in e["classes"]:
                continue
            values = dict(e["attrs"])
            if any(values.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(e)
        return found

    @staticmethod
    def text_of(element: dict) -> str:
        return " ".join("".join(element["text"]).split())


def page(response) -> Tree:
    return Tree(response.content.decode())


def heading_and_counter(client, article) -> tuple[str, str]:
    tree = page(client.get(article.get_absolute_url()))
    heading = Tree.text_of(tree.find("h2", id="comments")[0])
    counter = [e for e in tree.find("span") if "data-comment-count" in dict(e["attrs"])]
    return heading, Tree.text_of(counter[0])
