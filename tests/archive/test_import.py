"""`import_archive` as a newsroom uses it: what the site shows afterwards, what a second import
leaves, and that a file with any error changes nothing and names every error."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from minbar.core.signals import article_changed, discussion_changed
from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment
from minbar.news.models import Article, ArticleRevision
from tests.archive.helpers import document, run_export, run_import, shown_score, site_state
from tests.factories import make_article, make_comment, make_established_reader, make_user

pytestmark = pytest.mark.django_db


def comment(slug: str, import_id: str) -> Comment:
    return Comment.objects.get(article__slug=slug, import_id=import_id)


def test_editor_can_import_articles_with_their_discussions(client, tmp_path):
    outcome = run_import(document(), tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert "Articles: 2 new" in outcome.stdout

    article = Article.objects.get(slug="kashmir-talks")
    assert article.title == "محادثات كشمير تستأنف في جنيف"
    assert article.section.name == "سياسة"
    assert sorted(article.tags.values_list("name", flat=True)) == ["كشمير", "مفاوضات"]
    assert list(article.authors.values_list("name", flat=True)) == ["سلمى الحداد"]
    assert article.published_at == dt.datetime(2022, 7, 15, 6, tzinfo=dt.UTC)
    assert article.updated_at == dt.datetime(2022, 7, 15, 6, 30, tzinfo=dt.UTC)
    assert (article.source_name, article.source_language) == ("The Ledger", "en")
    assert "<strong>المقال</strong>" in article.body_html
    assert article.comment_count == 3  # c4 is pending
    assert ArticleRevision.objects.filter(article=article).count() == 1

    second = Article.objects.get(slug="معرض-الرياض-للكتاب")  # the slug from the title
    assert (second.status, second.comments_open, second.language) == ("published", True, "ar")

    c1, c2, c3 = (comment("kashmir-talks", i) for i in ("c1", "c2", "c3"))
    assert (c1.depth, c1.parent_id, c1.root_id) == (0, None, None)
    assert (c2.depth, c2.parent_id, c2.root_id) == (1, c1.pk, c1.pk)
    assert (c3.depth, c3.parent_id, c3.root_id) == (2, c2.pk, c1.pk)
    assert c1.body_html == "<p>تعليق <strong>أول</strong>.</p>\n"
    assert (c1.imported_score, c1.upvotes, c1.downvotes) == (5, 0, 0)
    assert c1.best_rank > 0
    assert comment("kashmir-talks", "c4").status == "pending"

    page = client.get(article.get_absolute_url()).content.decode()
    assert "تعليق <strong>أول</strong>." in page
    assert shown_score(page, c1.pk) == "+5"
    assert shown_score(page, c2.pk) == "\u22121"


def test_editor_can_import_the_same_file_twice_and_get_the_same_site(tmp_path):
    assert run_import(document(), tmp_path=tmp_path).ok
    before = site_state()
    again = run_import(document(), tmp_path=tmp_path)
    assert again.ok, again.stderr
    assert "Articles: 0 new, 0 updated, 2 unchanged" in again.stdout
    assert "Comments: 0 new, 0 updated, 5 unchanged" in again.stdout
    assert site_state() == before


def test_editor_can_reimport_a_corrected_file_and_only_changes_move(tmp_path):
    assert run_import(document(), tmp_path=tmp_path).ok
    article = Article.objects.get(slug="kashmir-talks")
    c1 = comment("kashmir-talks", "c1")
    doc = document()
    doc["articles"][0]["title"] = "عنوان مصحح"
    doc["articles"][0]["tags"] = ["كشمير"]
    doc["articles"][0]["comments"][0].update(text="نص مصحح", score=9)
    doc["articles"][0]["comments"][3]["status"] = "visible"  # c4 approved
    doc["articles"][0]["comments"][1]["status"] = "rejected"  # c2 hidden
    doc["articles"][0]["comments"].append(
        {"id": "c5", "parent": "c4", "author": "samir_h",
         "created_at": "2022-07-16T08:00:00+03:00", "text": "رد جديد"}
    )  # fmt: skip
    outcome = run_import(doc, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert "Articles: 0 new, 1 updated, 1 unchanged" in outcome.stdout
    assert "Comments: 1 new, 3 updated, 2 unchanged" in outcome.stdout

    article.refresh_from_db()
    assert article.title == "عنوان مصحح"
    assert list(article.tags.values_list("name", flat=True)) == ["كشمير"]
    assert article.comment_count == 4  # c1, c3, c4, c5 visible; c2 rejected
    assert Comment.objects.filter(article=article).count() == 5
    c1.refresh_from_db()
    assert (c1.body, c1.body_html, c1.imported_score) == ("نص مصحح", "<p>نص مصحح</p>\n", 9)
    c5 = comment("kashmir-talks", "c5")
    assert (c5.parent_id, c5.root_id, c5.depth) == (comment("kashmir-talks", "c4").pk,) * 2 + (1,)
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_editor_can_move_a_reply_and_replies_posted_here_follow(tmp_path):
    assert run_import(document(), tmp_path=tmp_path).ok
    c3 = comment("kashmir-talks", "c3")
    native = make_comment(c3.article, text="رد من منبر", parent=c3)
    assert (native.root_id, native.depth) == (comment("kashmir-talks", "c1").pk, 3)
    doc = document()
    doc["articles"][0]["comments"][2]["parent"] = None  # c3 becomes a thread of its own
    assert run_import(doc, tmp_path=tmp_path).ok
    c3.refresh_from_db()
    native.refresh_from_db()
    assert (c3.parent_id, c3.root_id, c3.depth) == (None, None, 0)
    assert (native.parent_id, native.root_id, native.depth) == (c3.pk, c3.pk, 1)


def _heard_while(action) -> list[tuple]:
    heard: list[tuple] = []

    def on_article(sender, article_id, **kwargs):
        heard.append(("article", article_id))

    def on_discussion(sender, article_id, comment_ids, **kwargs):
        heard.append(("discussion", article_id, len(comment_ids)))

    article_changed.connect(on_article)
    discussion_changed.connect(on_discussion)
    try:
        action()
    finally:
        article_changed.disconnect(on_article)
        discussion_changed.disconnect(on_discussion)
    return sorted(heard)


def test_editor_can_see_the_site_follow_an_import_through_signals(
    tmp_path, django_capture_on_commit_callbacks
):
    def import_file(doc):
        with django_capture_on_commit_callbacks(execute=True):
            assert run_import(doc, tmp_path=tmp_path).ok

    # New articles: one article_changed each says that everything on their pages is new.
    assert _heard_while(lambda: import_file(document())) == sorted(
        ("article", a.pk) for a in Article.objects.all()
    )
    first = Article.objects.get(slug="kashmir-talks").pk
    doc = document()
    doc["articles"][0]["comments"][1]["text"] = "نص مصحح"
    doc["articles"][0]["comments"][3]["status"] = "visible"
    heard = _heard_while(lambda: import_file(doc))
    # The status change is announced by the discussion's own action, then once more by the
    # import's summary of the article; the article itself did not change.
    assert ("discussion", first, 2) in heard
    assert all(item[0] == "discussion" and item[1] == first for item in heard)
    assert _heard_while(lambda: import_file(doc)) == []


def test_imported_score_and_votes_cast_here_show_as_their_sum_on_the_page(client, tmp_path):
    assert run_import(document(), tmp_path=tmp_path).ok
    c1 = comment("kashmir-talks", "c1")
    for _n in range(2):
        voter = make_established_reader()
        client.force_login(voter)
        response = client.post(reverse("discussion:vote", args=[c1.pk]), {"value": "1"})
        assert response.status_code in {200, 302, 303}
    client.force_login(make_established_reader())
    client.post(reverse("discussion:vote", args=[c1.pk]), {"value": "-1"})
    c1.refresh_from_db()
    assert (c1.imported_score, c1.upvotes, c1.downvotes) == (5, 2, 1)
    client.logout()
    page = client.get(c1.article.get_absolute_url()).content.decode()
    assert shown_score(page, c1.pk) == "+6"
    # A second import of the old platform's file keeps the two apart: the page still adds them.
    assert run_import(document(), tmp_path=tmp_path).ok
    page = client.get(c1.article.get_absolute_url()).content.decode()
    assert shown_score(page, c1.pk) == "+6"


def test_imported_reader_cannot_sign_in_until_the_account_is_claimed(client, tmp_path):
    assert run_import(document(), tmp_path=tmp_path).ok
    User = get_user_model()
    imported = User.objects.get(username="samir_h")
    assert not imported.is_active
    assert not imported.has_usable_password()
    for password in ("", "samir_h", "!"):
        client.post(reverse("account_login"), {"login": "samir_h", "password": password})
        assert "_auth_user_id" not in client.session
    # Even a password set behind its back does not open an account nobody has claimed.
    imported.set_password("a-long-pass-phrase-7")
    imported.save()
    client.post(reverse("account_login"), {"login": "samir_h", "password": "a-long-pass-phrase-7"})
    assert "_auth_user_id" not in client.session


def test_imported_comments_keep_an_existing_readers_account(tmp_path):
    reader = make_user("samir_h")
    assert run_import(document(), tmp_path=tmp_path).ok
    assert comment("kashmir-talks", "c1").author_id == reader.pk
    reader.refresh_from_db()
    assert reader.is_active and reader.has_usable_password()


# --- a file with errors changes nothing -----------------------------------------------------


@pytest.fixture
def site_with_content(tmp_path):
    """A site with imported content, content made here, and a vote."""
    assert run_import(document(), tmp_path=tmp_path).ok
    article = make_article(title="مقال من منبر")
    native = make_comment(article, text="تعليق من منبر")
    discussion.do_cast_vote(comment("kashmir-talks", "c1"), voter=make_user(), value=1)
    make_user("Samir")  # folds like nobody in the file; "SAMIR" would
    return native


BROKEN = [
    ("naive time", ("articles", 0, "comments", 1, "created_at"), "2022-07-15T10:40:00",
     "/articles/0/comments/1/created_at"),
    ("parent later", ("articles", 0, "comments", 0, "parent"), "c3",
     "/articles/0/comments/0/parent"),
    ("parent in another article", ("articles", 1, "comments", 0, "parent"), "c1",
     "/articles/1/comments/0/parent"),
    ("parent missing", ("articles", 0, "comments", 2, "parent"), "c42",
     "/articles/0/comments/2/parent"),
    ("duplicate id", ("articles", 0, "comments", 3, "id"), "c2", "/articles/0/comments/3/id"),
    ("bad status", ("articles", 0, "comments", 0, "status"), "shown",
     "/articles/0/comments/0/status"),
    ("missing text", ("articles", 0, "comments", 0, "text"), None, "/articles/0/comments/0/text"),
    ("tags a string", ("articles", 0, "tags"), "كشمير", "/articles/0/tags"),
    ("huge title", ("articles", 0, "title"), "x" * 5000, "/articles/0/title"),
    ("invalid username", ("articles", 0, "comments", 1, "author"), "dana m",
     "/articles/0/comments/1/author"),
    ("username like an account's", ("articles", 1, "comments", 0, "author"), "SAMIR",
     "/articles/1/comments/0/author"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "value", "pointer"), [case[1:] for case in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_editor_cannot_import_a_file_with_one_error_and_nothing_changes(
    site_with_content, tmp_path, path, value, pointer
):
    before = site_state()
    doc = document()
    # Changes that would be applied if the file were right: none may land.
    doc["articles"][0]["title"] = "عنوان آخر"
    doc["articles"][0]["comments"][0]["score"] = 40
    doc["articles"].append({"title": "جديد", "body": "نص", "published_at": "2023-01-01T00:00Z"})
    *parents, last = path
    target = doc
    for key in parents:
        target = target[key]
    if value is None:
        del target[last]
    else:
        target[last] = value
    outcome = run_import(doc, tmp_path=tmp_path)
    assert not outcome.ok
    assert outcome.pointers() == [pointer, "CommandError"]
    assert "1 error: nothing was imported." in outcome.stderr
    assert site_state() == before


def test_editor_can_see_every_error_of_a_file_at_once(site_with_content, tmp_path):
    before = site_state()
    doc = document()
    first = doc["articles"][0]["comments"]
    first[0]["parent"] = "c2"
    first[1]["created_at"] = "2022-07-15 10:40"
    first[2]["id"] = "c1"
    first[3]["status"] = "approved"
    doc["articles"][1]["comments_open"] = "no"
    del doc["articles"][1]["body"]
    doc["articles"][1]["comments"][0]["score"] = "3"
    # Checked against the accounts even though the file is already known to be broken.
    doc["articles"][1]["comments"][0]["author"] = "SAMIR"
    outcome = run_import(doc, tmp_path=tmp_path)
    assert not outcome.ok
    assert outcome.pointers() == [
        "/articles/0/comments/0/parent",
        "/articles/0/comments/1/created_at",
        "/articles/0/comments/2/id",
        "/articles/0/comments/3/status",
        "/articles/1/body",
        "/articles/1/comments_open",
        "/articles/1/comments/0/score",
        "/articles/1/comments/0/author",
        "CommandError",
    ]
    assert "8 errors: nothing was imported." in outcome.stderr
    assert site_state() == before


def test_editor_cannot_import_two_names_a_reader_could_not_tell_apart(tmp_path):
    doc = document()
    doc["articles"][1]["comments"][0]["author"] = "DANA-M"  # dana-m is new too, earlier
    outcome = run_import(doc, tmp_path=tmp_path)
    assert not outcome.ok
    assert outcome.pointers() == ["/articles/1/comments/0/author", "CommandError"]
    assert "/articles/0/comments/1/author" in outcome.stderr  # where the other spelling is
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()


def test_editor_cannot_import_what_is_not_json(tmp_path):
    outcome = run_import(b"<html>not an archive</html>", tmp_path=tmp_path)
    assert not outcome.ok
    assert outcome.stderr.startswith("/: The file is not valid JSON at line 1, column 1: <")


def test_editor_cannot_import_a_missing_file(tmp_path):
    from django.core.management import CommandError, call_command

    with translation.override("en"), pytest.raises(CommandError, match="Cannot read"):
        call_command("import_archive", str(tmp_path / "nowhere.json"))


def test_editor_can_change_scores_and_votes_cast_here_stay_on_top(tmp_path):
    """docs/decisions/0003-archive-scores.md, the branch where the file's score is new."""
    assert run_import(document(), tmp_path=tmp_path).ok
    c1 = comment("kashmir-talks", "c1")
    native = make_comment(c1.article, author=make_user("reader_here"), text="من هنا")
    for target in (c1, native):
        discussion.do_cast_vote(target, voter=make_user(), value=1)
        discussion.do_cast_vote(target, voter=make_user(), value=1)

    exported = json.loads(run_export())
    comments = next(a for a in exported["articles"] if a["slug"] == "kashmir-talks")["comments"]
    by_id = {c["id"]: c for c in comments}
    assert (by_id["c1"]["score"], by_id[f"c{native.pk}"]["score"]) == (7, 2)
    by_id["c1"]["score"] = 10  # the old platform's score moved on
    by_id[f"c{native.pk}"]["score"] = 5  # someone edited our own export
    assert run_import(exported, tmp_path=tmp_path).ok

    c1.refresh_from_db()
    native.refresh_from_db()
    assert (c1.imported_score, c1.score) == (10, 12)
    assert (native.imported_score, native.score) == (3, 5)
    assert Comment.objects.filter(article=c1.article).count() == 5  # nothing doubled


def test_editor_can_dry_run_an_import_and_nothing_is_written(tmp_path):
    before = site_state()
    outcome = run_import(document(), "--dry-run", tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert outcome.stdout.startswith("Dry run: nothing was written. Articles: 2 new")
    assert "Comments: 5 new" in outcome.stdout
    assert site_state() == before
    # A file the import would refuse is refused the same way.
    assert not run_import(document(format="other"), "--dry-run", tmp_path=tmp_path).ok
