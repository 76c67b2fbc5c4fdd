"""`import_archive` reads its file as a stream (ijson, two passes): memory follows the number
of ids, not the size of the text, and an error at the very end still changes nothing."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from minbar.discussion.models import Comment
from minbar.news.models import Article
from tests.archive.helpers import run_import, site_state

pytestmark = pytest.mark.django_db

ARTICLES = 600
COMMENTS = 5  # a thread of five under each article: 3,000 comments
TEXT = "A long comment, plain text without markup, repeated to fill the file. " * 28


def _big_archive() -> dict:
    articles = []
    for a in range(ARTICLES):
        comments = [
            {
                "id": f"c{c}",
                "parent": f"c{c - 1}" if c else None,
                "author": f"reader_{(a + c) % 50}",
                "created_at": "2022-07-15T10:29:00+03:00",
                "text": f"{a}-{c} {TEXT}",
                "score": c,
            }
            for c in range(COMMENTS)
        ]
        articles.append(
            {
                "slug": f"article-{a}",
                "title": f"Article {a}",
                "body": "Body.",
                "language": "en",
                "status": "published",
                "published_at": "2022-07-15T09:00:00+03:00",
                "comments": comments,
            }
        )
    return {
        "format": "minbar-archive",
        "version": 1,
        "site": {"name": "Minbar", "time_zone": "Asia/Riyadh"},
        "articles": articles,
    }


def test_import_of_a_large_file_holds_far_less_than_the_file_in_memory(tmp_path):
    raw = json.dumps(_big_archive()).encode("utf-8")
    assert len(raw) > 6_000_000  # 3,000 comments of about 2 KB each
    run_import(_small(articles=1), tmp_path=tmp_path)  # the catalogues and modules, loaded once
    tracemalloc.start()
    try:
        outcome = run_import(raw, tmp_path=tmp_path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert outcome.ok, outcome.stderr
    assert Article.objects.count() == ARTICLES
    assert Comment.objects.count() == ARTICLES * COMMENTS
    # Reading the file whole holds its bytes, its text and its objects (three times its size
    # at least); the stream holds one batch of 200 comments (a fifteenth of this file) and ids.
    assert peak < len(raw), f"peak {peak} bytes for a file of {len(raw)} bytes"


def test_an_error_in_the_last_comment_of_a_file_changes_nothing_and_is_named(tmp_path):
    run_import(_small(articles=3), tmp_path=tmp_path)
    before = site_state()
    data = _small(articles=250)  # more than one batch of writes
    data["articles"][-1]["comments"][-1]["created_at"] = "yesterday"
    outcome = run_import(data, tmp_path=tmp_path)
    assert not outcome.ok
    assert outcome.pointers() == ["/articles/249/comments/4/created_at", "CommandError"]
    assert site_state() == before


def test_a_file_that_breaks_off_in_its_last_article_changes_nothing(tmp_path):
    before = site_state()
    raw = json.dumps(_small(articles=250)).encode("utf-8")
    outcome = run_import(raw[: len(raw) - 40], tmp_path=tmp_path)
    assert not outcome.ok
    assert "not valid JSON" in outcome.stderr
    assert site_state() == before


def _small(*, articles: int) -> dict:
    data = _big_archive()
    data["articles"] = data["articles"][:articles]
    for article in data["articles"]:
        for comment in article["comments"]:
            comment["text"] = "Short."
    return data


@pytest.mark.parametrize(
    ("tail", "fragment"),
    [
        (b' {"format": "minbar-archive"}', "not valid JSON"),
        (b'\n"\xff"', "not UTF-8 text (byte"),
    ],
)
def test_what_follows_the_document_is_read_too(tmp_path, tail, fragment):
    before = site_state()
    outcome = run_import(json.dumps(_small(articles=2)).encode("utf-8") + tail, tmp_path=tmp_path)
    assert not outcome.ok
    assert fragment in outcome.stderr
    assert site_state() == before


def test_a_file_that_starts_with_a_byte_order_mark_is_read(tmp_path):
    raw = b"\xef\xbb\xbf" + json.dumps(_small(articles=2)).encode("utf-8")
    outcome = run_import(raw, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert Comment.objects.count() == 2 * COMMENTS
