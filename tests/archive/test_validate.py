"""The format's rules as the pure validator applies them: tables of broken documents and the
pointer each error must name. No database."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from minbar.archive import policy
from minbar.archive.validate import ArchiveInvalid, parse_archive, validate_archive
from tests.archive.helpers import BASE, document


def comments_of(doc, article=0):
    return doc["articles"][article]["comments"]


def errors_of(doc) -> list[str]:
    with pytest.raises(ArchiveInvalid) as raised:
        validate_archive(doc)
    return [error.pointer for error in raised.value.errors]


def test_validator_can_fill_the_documented_defaults():
    doc = {
        "format": "minbar-archive",
        "version": 1,
        "articles": [
            {
                "title": "قمة المناخ: اتفاق في اللحظة الأخيرة",
                "body": "نص.",
                "published_at": "2022-07-15T09:00:00Z",
                "comments": [
                    {"id": "1", "author": "samir_h", "created_at": "2022-07-15T10:00:00+03:00",
                     "text": "تعليق"},
                ],
            }
        ],
    }  # fmt: skip
    article = validate_archive(doc).articles[0]
    assert article.slug == "قمة-المناخ-اتفاق-في-اللحظة-الأخيرة"
    assert (article.status, article.comments_open, article.language) == ("published", True, "ar")
    assert article.section == policy.DEFAULT_SECTION
    assert article.published_at == dt.datetime(2022, 7, 15, 9, tzinfo=dt.UTC)
    comment = article.comments[0]
    assert (comment.parent, comment.score, comment.status, comment.depth) == (None, 0, "visible", 0)


def test_validator_can_accept_the_demo_document():
    from minbar.news.demo import DEMO_FILE

    parsed = parse_archive(DEMO_FILE.read_bytes())
    assert len(parsed.articles) == 14
    assert parsed.comment_count == 99


def test_validator_can_give_every_reply_its_root_and_depth():
    doc = document()
    comments = validate_archive(doc).articles[0].comments
    assert [(c.id, c.root, c.depth) for c in comments] == [
        ("c1", None, 0), ("c2", "c1", 1), ("c3", "c1", 2), ("c4", None, 0),
    ]  # fmt: skip


def _set(path, value):
    def change(doc):
        *parents, last = path
        target = doc
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _drop(path):
    def change(doc):
        *parents, last = path
        target = doc
        for key in parents:
            target = target[key]
        del target[last]

    return change


C = ("articles", 0, "comments")

BROKEN = [
    ("naive time", _set((*C, 1, "created_at"), "2022-07-15T10:40:00"),
     "/articles/0/comments/1/created_at"),
    ("date only", _set(("articles", 0, "published_at"), "2022-07-15"),
     "/articles/0/published_at"),
    ("not a time", _set((*C, 0, "created_at"), "yesterday"), "/articles/0/comments/0/created_at"),
    ("parent later", _set((*C, 0, "parent"), "c2"), "/articles/0/comments/0/parent"),
    ("parent itself", _set((*C, 1, "parent"), "c2"), "/articles/0/comments/1/parent"),
    ("parent in another article", _set((*C, 1, "parent"), "x1"),
     "/articles/0/comments/1/parent"),
    ("parent missing", _set((*C, 1, "parent"), "c99"), "/articles/0/comments/1/parent"),
    ("parent not a string", _set((*C, 1, "parent"), 1), "/articles/0/comments/1/parent"),
    ("duplicate id", _set((*C, 3, "id"), "c1"), "/articles/0/comments/3/id"),
    ("bad comment status", _set((*C, 0, "status"), "hidden"), "/articles/0/comments/0/status"),
    ("bad article status", _set(("articles", 0, "status"), "live"), "/articles/0/status"),
    ("missing format", _drop(("format",)), "/format"),
    ("wrong format", _set(("format",), "wordpress"), "/format"),
    ("missing version", _drop(("version",)), "/version"),
    ("version 3", _set(("version",), 3), "/version"),
    ("version true", _set(("version",), True), "/version"),
    ("missing articles", _drop(("articles",)), "/articles"),
    ("articles a string", _set(("articles",), "many"), "/articles"),
    ("article a list", _set(("articles", 1), []), "/articles/1"),
    ("missing title", _drop(("articles", 0, "title")), "/articles/0/title"),
    ("blank title", _set(("articles", 0, "title"), "   "), "/articles/0/title"),
    ("title a number", _set(("articles", 0, "title"), 5), "/articles/0/title"),
    ("huge title", _set(("articles", 0, "title"), "ع" * 201), "/articles/0/title"),
    ("huge standfirst", _set(("articles", 0, "standfirst"), "ع" * 501), "/articles/0/standfirst"),
    ("missing body", _drop(("articles", 0, "body")), "/articles/0/body"),
    ("published without a time", _drop(("articles", 0, "published_at")),
     "/articles/0/published_at"),
    ("bad slug", _set(("articles", 0, "slug"), "a slug/with spaces"), "/articles/0/slug"),
    ("same slug twice", _set(("articles", 1, "slug"), "kashmir-talks"), "/articles/1/slug"),
    ("tags a string", _set(("articles", 0, "tags"), "كشمير"), "/articles/0/tags"),
    ("tag a number", _set(("articles", 0, "tags"), ["كشمير", 7]), "/articles/0/tags/1"),
    ("huge tag", _set(("articles", 0, "tags"), ["ك" * 81]), "/articles/0/tags/0"),
    ("comments an object", _set(("articles", 0, "comments"), {}), "/articles/0/comments"),
    ("comments_open a string", _set(("articles", 0, "comments_open"), "yes"),
     "/articles/0/comments_open"),
    ("source a string", _set(("articles", 0, "source"), "Ledger"), "/articles/0/source"),
    ("source url not web", _set(("articles", 0, "source", "url"), "javascript:alert(1)"),
     "/articles/0/source/url"),
    ("bad language", _set(("articles", 0, "language"), "arabic language"),
     "/articles/0/language"),
    ("missing comment id", _drop((*C, 3, "id")), "/articles/0/comments/3/id"),
    ("missing author", _drop((*C, 1, "author")), "/articles/0/comments/1/author"),
    ("missing created_at", _drop((*C, 1, "created_at")), "/articles/0/comments/1/created_at"),
    ("missing text", _drop((*C, 1, "text")), "/articles/0/comments/1/text"),
    ("empty text", _set((*C, 1, "text"), " \n "), "/articles/0/comments/1/text"),
    ("huge text", _set((*C, 1, "text"), "ب" * 100_001), "/articles/0/comments/1/text"),
    ("score a string", _set((*C, 0, "score"), "5"), "/articles/0/comments/0/score"),
    ("score a fraction", _set((*C, 0, "score"), 1.5), "/articles/0/comments/0/score"),
    ("score too big", _set((*C, 0, "score"), 2**40), "/articles/0/comments/0/score"),
    ("unknown comment field", _set((*C, 0, "likes"), 3), "/articles/0/comments/0/likes"),
    ("unknown article field", _set(("articles", 0, "colour"), "red"), "/articles/0/colour"),
    ("unknown time zone", _set(("site", "time_zone"), "Mars/Olympus"), "/site/time_zone"),
    ("NUL in a title", _set(("articles", 0, "title"), "a\x00b"), "/articles/0/title"),
    ("lone surrogate in an id", _set((*C, 3, "id"), "c\ud800"), "/articles/0/comments/3/id"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "pointer"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_validator_cannot_accept_a_broken_document(change, pointer):
    doc = document()
    change(doc)
    assert errors_of(doc) == [pointer]


def test_validator_can_report_every_error_in_document_order():
    doc = document()
    _set((*C, 1, "created_at"), "2022-07-15T10:40:00")(doc)
    _set((*C, 3, "status"), "hidden")(doc)
    _set(("articles", 1, "comments", 0, "score"), "many")(doc)
    _drop(("articles", 1, "title"))(doc)
    assert errors_of(doc) == [
        "/articles/0/comments/1/created_at",
        "/articles/0/comments/3/status",
        "/articles/1/title",
        "/articles/1/comments/0/score",
    ]


def test_validator_cannot_let_a_broken_parent_hide_its_replies_errors():
    doc = document()
    _set((*C, 1, "status"), "nope")(doc)  # c2 is broken; c3 replies to it
    _set((*C, 2, "score"), [])(doc)
    assert errors_of(doc) == ["/articles/0/comments/1/status", "/articles/0/comments/2/score"]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"\xff\xfe{}", "UTF-8"),
        (b'{"format": "minbar-archive",', "JSON"),
        (b'{"version": NaN}', "NaN"),
        (b"[]", "object"),
    ],
)
def test_validator_cannot_read_what_is_not_a_json_document(raw, fragment):
    with pytest.raises(ArchiveInvalid) as raised:
        parse_archive(raw)
    (error,) = raised.value.errors
    assert error.pointer == ""
    assert fragment in error.message


def test_validator_cannot_accept_a_field_given_twice():
    raw = json.dumps(BASE, ensure_ascii=False).replace('"version": 1', '"version": 1, "version": 1')
    with pytest.raises(ArchiveInvalid) as raised:
        parse_archive(raw)
    assert [e.pointer for e in raised.value.errors] == ["/version"]


def test_validator_can_escape_field_names_in_pointers():
    doc = document()
    doc["articles"][0]["a/b~c"] = 1
    assert errors_of(doc) == ["/articles/0/a~1b~0c"]


def test_validator_can_clean_comment_text_like_a_readers():
    doc = document()
    comments_of(doc)[0]["text"] = "  نص\u202e مقلوب\r\n  "
    assert validate_archive(doc).articles[0].comments[0].text == "نص مقلوب"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        # (id, created_at, parent): a reply that sorts before its parent waits for it.
        ([("a", 1, None), ("b", 2, "a"), ("c", 3, None)], ["a", "b", "c"]),
        ([("b", 1, "a"), ("a", 2, None), ("c", 2, None)], ["a", "b", "c"]),
        ([("c", 1, "b"), ("b", 1, "a"), ("a", 5, None), ("d", 2, None)], ["d", "a", "b", "c"]),
        ([("x", 1, None), ("y", 1, None)], ["x", "y"]),
    ],
)
def test_export_order_can_put_parents_before_replies(items, expected):
    ordered = policy.parents_first(
        items, sort_key=lambda i: (i[1], i[0]), ident=lambda i: i[0], parent=lambda i: i[2]
    )
    assert [item[0] for item in ordered] == expected


@pytest.mark.parametrize(
    ("pk", "taken", "expected"),
    [(5, set(), "c5"), (5, {"c5"}, "c5-minbar"), (5, {"c5", "c5-minbar"}, "c5-minbar-2")],
)
def test_export_can_name_comments_born_here_without_clashing(pk, taken, expected):
    name = policy.native_comment_id(pk, taken=set(taken))
    assert name == expected
    assert policy.native_pk(name) == pk


def test_thread_shape_can_follow_parents():
    assert policy.thread_shape({1: None, 2: 1, 3: 2, 4: None, 5: 3}) == {
        1: (None, 0), 2: (1, 1), 3: (1, 2), 4: (None, 0), 5: (1, 3),
    }  # fmt: skip
