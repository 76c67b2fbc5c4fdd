"""`import_archive` reads its file as a stream (ijson, two passes): memory follows the number
of ids, not the size of the text, and an error at the very end still changes nothing."""

from __future__ import annotations

import io
import json
import tracemalloc

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from minbar.archive import actions
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
    # Where the text stops: the line and column of its end, and what was being read.
    assert outcome.stderr.startswith(
        f"/articles/249/comments/4/created_at: The file is not valid JSON at line 1, "
        f"column {len(raw) - 39}: it ends before the document does (it may have been cut short)."
    ), outcome.stderr
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
        (b' {"format": "minbar-archive"}', "something follows the end of the document: {"),
        (b'\n"\xff"', "/: The file is not UTF-8 text at line 2, column 2 (byte"),
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


def _lines(text: str) -> bytes:
    return text.encode("utf-8")


# A hand-written file, one mistake at a time: each is named by line, column and pointer.
GOOD = """{
  "format": "minbar-archive",
  "version": 1,
  "articles": [
    {"slug": "a", "title": "عنوان", "body": "نص", "published_at": "2022-07-15T09:00:00+03:00",
     "comments": [
       {"id": "c1", "author": "samir_h", "created_at": "2022-07-15T10:29:00+03:00",
        "text": "تعليق"}
     ]}
  ]
}
"""


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        # A comma missing between two fields of a comment.
        (
            GOOD.replace('"samir_h",', '"samir_h"'),
            "/articles/0/comments/0/author: The file is not valid JSON at line 7, column 41: "
            '"created_at" cannot stand here.',
        ),
        # A comma after the last article.
        (
            GOOD.replace("     ]}\n  ]", "     ]},\n  ]"),
            "/articles/0: The file is not valid JSON at line 10, column 3: ] cannot stand here.",
        ),
        # A key without quotes, after Arabic text on the same line (columns count characters).
        (
            GOOD.replace('"body": "نص",', '"body": "نص", x: 1,'),
            "/articles/0/body: The file is not valid JSON at line 5, column 51: x cannot stand "
            "here.",
        ),
        # Cut short inside a string.
        (
            GOOD[: GOOD.index("تعليق") + 2],
            "/articles/0/comments/0/text: The file is not valid JSON at line 8, column 20: it "
            "ends before the document does (it may have been cut short).",
        ),
    ],
)
def test_editor_cannot_import_text_that_is_not_json_and_learns_where(tmp_path, broken, expected):
    before = site_state()
    outcome = run_import(_lines(broken), tmp_path=tmp_path)
    assert not outcome.ok
    assert outcome.stderr.splitlines()[0] == expected
    assert site_state() == before


def test_editor_cannot_import_bytes_that_are_not_utf8_and_learns_where(tmp_path):
    raw = _lines(GOOD).replace("عنوان".encode(), b"\xd9\xff")
    outcome = run_import(raw, tmp_path=tmp_path)
    assert not outcome.ok
    byte = raw.index(b"\xd9")
    assert outcome.stderr.splitlines()[0] == (
        f"/: The file is not UTF-8 text at line 5, column 29 (byte {byte})."
    )


def test_editor_reads_json_errors_in_arabic_by_default(tmp_path):
    path = tmp_path / "archive.json"
    path.write_bytes(_lines(GOOD[:40]))
    err = io.StringIO()
    with translation.override("ar"), pytest.raises(CommandError, match="لم يُستورد شيء"):
        call_command("import_archive", str(path), stderr=err)
    assert err.getvalue().startswith(
        "/format: الملف ليس JSON صالحًا في السطر 3، العمود 9: ينتهي النص قبل أن تنتهي الوثيقة"
    )
    err = io.StringIO()
    with translation.override("ar"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_archive", str(path), "--language", "en", stderr=err)
    assert err.getvalue().startswith("/format: The file is not valid JSON at line 3, column 9")


def test_editor_sees_progress_of_a_long_import_and_none_with_verbosity_0(tmp_path, monkeypatch):
    monkeypatch.setattr(actions, "PROGRESS_EVERY", 4)
    path = tmp_path / "archive.json"
    path.write_bytes(json.dumps(_small(articles=3)).encode("utf-8"))  # 15 comments
    err = io.StringIO()
    with translation.override("en"):
        call_command("import_archive", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "checking: 4 comments read…",
        "checking: 8 comments read…",
        "checking: 12 comments read…",
        "writing: 15 comments read…",
    ]
    quiet = io.StringIO()
    call_command("import_archive", str(path), verbosity=0, stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""


def _one_long_article(count: int, *, text: str = "Short.") -> dict:
    """One article whose comments are threads of replies: c0 ← c1 ← c2, c3 ← c4 ← c5 …"""
    data = _small(articles=1)
    data["articles"][0]["comments"] = [
        {
            "id": f"c{n}",
            "parent": f"c{n - 1}" if n % 3 else None,
            "author": f"reader_{n % 7}",
            "created_at": "2022-07-15T10:29:00+03:00",
            "text": f"{n} {text}",
            "score": n % 5,
            "status": "pending" if n % 10 == 9 else "visible",
        }
        for n in range(count)
    ]
    return data


def test_editor_can_import_an_article_whose_comments_come_in_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(actions, "STREAM_COMMENTS", 4)  # 20 comments: five parts
    data = _one_long_article(20)
    outcome = run_import(data, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert "Articles: 1 new" in outcome.stdout and "Comments: 20 new" in outcome.stdout
    article = Article.objects.get()
    rows = {c.import_id: c for c in Comment.objects.filter(article=article)}
    assert len(rows) == 20
    for n in range(20):  # every reply found its parent, even one written in an earlier part
        comment = rows[f"c{n}"]
        top = rows[f"c{n - n % 3}"]
        assert comment.parent_id == (rows[f"c{n - 1}"].pk if n % 3 else None)
        assert (comment.root_id, comment.depth) == ((top.pk, n % 3) if n % 3 else (None, 0))
    assert article.comment_count == 18  # two are pending
    before = site_state()
    again = run_import(data, tmp_path=tmp_path)
    assert again.ok and "Comments: 0 new, 0 updated, 20 unchanged" in again.stdout
    assert "Articles: 0 new, 0 updated, 1 unchanged" in again.stdout
    assert site_state() == before


def test_editor_can_import_an_article_with_a_field_after_its_comments(tmp_path, monkeypatch):
    monkeypatch.setattr(actions, "STREAM_COMMENTS", 4)
    data = _one_long_article(10)
    article = data["articles"][0]
    comments = article.pop("comments")
    title = article.pop("title")
    article["comments"] = comments
    article["title"] = title  # after the comments: that article is read whole
    outcome = run_import(data, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert Article.objects.get().title == title
    assert Comment.objects.count() == 10


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        ("c5", "The parent c5 comes later (at /articles/0/comments/5): a reply must come"),
        ("c99", "No comment of this article has the id c99."),
    ],
)
def test_editor_cannot_import_a_reply_before_its_parent_or_without_one(tmp_path, parent, message):
    data = _one_long_article(6)
    data["articles"][0]["comments"][1]["parent"] = parent
    outcome = run_import(data, tmp_path=tmp_path)
    assert not outcome.ok
    assert f"/articles/0/comments/1/parent: {message}" in outcome.stderr
    assert not Comment.objects.exists()


def test_import_of_one_long_article_holds_far_less_than_the_file_in_memory(tmp_path):
    raw = json.dumps(_one_long_article(3000, text=TEXT)).encode("utf-8")
    assert len(raw) > 6_000_000
    run_import(_small(articles=1), tmp_path=tmp_path)  # the catalogues and modules, loaded once
    tracemalloc.start()
    try:
        outcome = run_import(raw, tmp_path=tmp_path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert outcome.ok, outcome.stderr
    assert Comment.objects.filter(article__slug="article-0").count() == 3000
    # Held whole, the article's comments cost about five times their text (the values read,
    # the checked entries, the rows and their rendered HTML); streamed, a part of 200 is held
    # (about 10 KB a comment of 2 KB here: 1,000 at once would pass the file's size).
    assert peak < len(raw), f"peak {peak} bytes for a file of {len(raw)} bytes"
