"""Archive version 2: readers, individual votes and edit times travel, so export → import into
an empty site → export gives the same file and the same counts (issue 15: 79 votes used to
fold into scores and 24 accounts become 12). Version 1 files are still read."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Sum

from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment, CommentVote
from minbar.news.models import Article
from tests.archive.helpers import document, run_export, run_import
from tests.factories import make_article, make_comment, make_established_reader, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def build_site() -> None:
    article = make_article(slug="kashmir-talks", title="محادثات كشمير")
    reem = make_established_reader("reem_k", email="reem@example.com", display_name="ريم ك.")
    omar = make_established_reader("omar", email="omar@example.com")
    fresh = make_user("fresh_reader", email="fresh@example.com")  # unverified: votes not counted
    make_user("lurker", email="lurker@example.com")  # never commented or voted
    first = make_comment(article, author=reem, text="تعليق **أول**")
    reply = make_comment(article, author=omar, text="رد", parent=first)
    discussion.do_edit_comment(reply, text="رد معدل")
    discussion.do_cast_vote(first, voter=omar, value=1)
    discussion.do_cast_vote(first, voter=fresh, value=-1, counted=False)
    discussion.do_cast_vote(reply, voter=reem, value=-1)
    # An imported comment with a score from the old platform, and a vote cast here.
    doc = document()
    doc["articles"] = doc["articles"][1:]
    return doc


def counts() -> dict:
    return {
        "accounts": User.objects.filter(is_staff=False).count(),
        "votes": CommentVote.objects.count(),
        "counted": CommentVote.objects.filter(is_counted=True).count(),
        "comments": Comment.objects.count(),
        "statuses": Counter(Comment.objects.values_list("status", flat=True)),
        "scores": sorted(c.score for c in Comment.objects.all()),
        "edited": Comment.objects.filter(edited_at__isnull=False).count(),
        "verified": EmailAddress.objects.filter(verified=True).count(),
        "imported": Comment.objects.aggregate(Sum("imported_score")),
    }


def empty_the_site() -> None:
    Article.objects.all().delete()
    EmailAddress.objects.all().delete()
    User.objects.all().delete()


def test_round_trip_keeps_every_reader_vote_and_edit(tmp_path):
    extra = build_site()
    assert run_import(extra, tmp_path=tmp_path).ok
    x1 = Comment.objects.get(import_id="x1")
    discussion.do_cast_vote(x1, voter=User.objects.get(username="omar"), value=1)
    before = counts()
    first = run_export("--format-version", "2", "--with-personal-data")
    data = json.loads(first)
    assert data["version"] == 2 and data["personal_data"] is True
    assert [r["username"] for r in data["readers"]] == sorted(
        ["reem_k", "omar", "fresh_reader", "lurker", "samir_h"]
    )

    empty_the_site()
    outcome = run_import(first, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert run_export("--format-version", "2", "--with-personal-data") == first
    assert counts() == before
    # The fresh reader's vote still does not count; the score still shows what it did.
    vote = CommentVote.objects.get(voter__username="fresh_reader")
    assert (vote.value, vote.is_counted) == (-1, False)
    reem = User.objects.get(username="reem_k")
    assert (reem.display_name, reem.email, reem.is_active) == ("ريم ك.", "reem@example.com", False)
    assert EmailAddress.objects.get(user=reem).verified
    assert not EmailAddress.objects.get(user__username="fresh_reader").verified


def test_a_second_import_of_a_v2_file_changes_nothing(tmp_path):
    build_site()
    text = run_export("--format-version", "2", "--with-personal-data")
    empty_the_site()
    assert run_import(text, tmp_path=tmp_path).ok
    before = counts()
    again = run_import(text, tmp_path=tmp_path)
    assert again.ok, again.stderr
    assert "0 new" in again.stdout
    assert counts() == before


def test_emails_leave_only_when_asked(tmp_path):
    build_site()
    text = run_export("--format-version", "2")
    data = json.loads(text)
    assert data["personal_data"] is False
    assert "@" not in text
    assert all(set(r) == {"username", "display_name", "joined_at"} for r in data["readers"])
    # Without emails the round trip still keeps every account and vote.
    before = counts()
    empty_the_site()
    assert run_import(text, tmp_path=tmp_path).ok
    assert run_export("--format-version", "2") == text
    after = counts()
    assert after["accounts"] == before["accounts"] and after["votes"] == before["votes"]


def test_a_file_that_says_it_holds_no_personal_data_cannot_carry_emails(tmp_path):
    doc = document(version=2, personal_data=False)
    doc["readers"] = [{"username": "reem_k", "email": "reem@example.com"}]
    outcome = run_import(doc, tmp_path=tmp_path)
    assert not outcome.ok
    assert "/readers/0/email" in outcome.pointers()
    assert not User.objects.exists()


def test_v2_vote_errors_are_named_by_pointer(tmp_path):
    doc = document(version=2)
    c1 = doc["articles"][0]["comments"][0]
    c1["votes"] = [
        {"reader": "dana-m", "value": 2, "at": "2022-07-15T11:00:00+03:00"},
        {"reader": "omar", "value": 1, "at": "2022-07-15T11:00:00+03:00"},
        {"reader": "omar", "value": -1, "at": "2022-07-15T11:05:00+03:00"},
    ]
    outcome = run_import(doc, tmp_path=tmp_path)
    assert not outcome.ok
    assert outcome.pointers()[:2] == [
        "/articles/0/comments/0/votes/0/value",
        "/articles/0/comments/0/votes/2/reader",
    ]


def test_v2_fields_in_a_v1_file_are_unknown(tmp_path):
    doc = document()
    doc["readers"] = []
    outcome = run_import(doc, tmp_path=tmp_path)
    assert not outcome.ok and outcome.pointers()[0] == "/readers"


def test_a_comment_longer_than_a_reader_may_post_is_imported_whole(tmp_path):
    doc = document()
    doc["articles"][0]["comments"][0]["text"] = "ب" * 7012
    outcome = run_import(doc, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert len(Comment.objects.get(import_id="c1").body) == 7012


def build_moderation() -> None:
    """Reports (counted or not, open or resolved), a lifted suspension, a ban, and the
    decisions the moderators' actions logged."""
    import datetime as dt

    from django.utils import timezone

    from minbar.moderation import actions as moderation

    chief = make_user("chief", is_staff=True, is_superuser=True)
    article = Article.objects.get(slug="kashmir-talks")
    first = Comment.objects.filter(article=article, parent=None).first()
    reply = Comment.objects.filter(article=article).exclude(parent=None).first()
    omar = User.objects.get(username="omar")
    fresh = User.objects.get(username="fresh_reader")
    moderation.do_report_comment(first, reporter=omar, reason="abuse", text="")
    moderation.do_report_comment(
        first, reporter=fresh, reason="other", text="غير لائق", counted=False
    )
    moderation.do_report_comment(reply, reporter=User.objects.get(username="reem_k"),
                                 reason="spam", text="")  # fmt: skip
    moderation.do_reject_comment(reply, moderator=chief, reason="إعلان")
    moderation.do_suspend_reader(
        fresh, moderator=chief, until=timezone.now() + dt.timedelta(days=3), reason="تجربة"
    )
    moderation.do_lift_sanctions(fresh, moderator=chief, reason="خطأ")
    moderation.do_ban_reader(User.objects.get(username="lurker"), moderator=chief, reason="سبام")


def moderation_counts() -> dict:
    from minbar.moderation.models import AuditEntry, CommentReport, Sanction

    return {
        "reports": sorted(
            CommentReport.objects.values_list(
                "reporter__username", "reason", "is_counted", "resolution"
            )
        ),
        "sanctions": sorted(Sanction.objects.values_list("reader__username", "kind", "lifted_at")),
        "decisions": sorted(
            AuditEntry.objects.values_list("action", "actor__username", "reader__username")
        ),
    }


def test_round_trip_keeps_the_moderation_history(tmp_path):
    build_site()
    build_moderation()
    before = counts() | moderation_counts()
    assert before["reports"] and before["sanctions"] and before["decisions"]
    first = run_export("--format-version", "2", "--with-personal-data")
    # The newsroom's staff accounts are made on the new site first; readers travel.
    from minbar.moderation.models import AuditEntry

    AuditEntry.objects.all().delete()  # kept by SET_NULL otherwise
    Article.objects.all().delete()
    EmailAddress.objects.all().delete()
    User.objects.filter(is_staff=False).delete()
    outcome = run_import(first, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert run_export("--format-version", "2", "--with-personal-data") == first
    assert counts() | moderation_counts() == before
    # And again: nothing added.
    assert run_import(first, tmp_path=tmp_path).ok
    assert counts() | moderation_counts() == before


def test_a_report_of_a_comment_that_is_not_in_the_file_is_named(tmp_path):
    doc = document(version=2)
    doc["moderation"] = {
        "reports": [
            {"article": "kashmir-talks", "comment": "c99", "reporter": "dana-m",
             "reason": "spam", "at": "2022-07-15T11:00:00+03:00"}
        ]
    }  # fmt: skip
    outcome = run_import(doc, tmp_path=tmp_path)
    assert not outcome.ok
    assert "/moderation/reports/0/comment" in outcome.pointers()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("version", [1, 2])
def test_the_streamed_export_is_the_document_byte_for_byte(version):
    from minbar.archive.policy import dump_archive
    from minbar.archive.selectors import get_archive_document, iter_archive_text

    build_site()
    build_moderation()
    make_article(slug="no-comments", title="بلا تعليقات")
    pieces = list(iter_archive_text(version=version, personal_data=version == 2))
    assert len(pieces) > 3  # written article by article, not as one string
    assert "".join(pieces) == dump_archive(
        get_archive_document(version=version, personal_data=version == 2)
    )


@pytest.mark.parametrize("version", [1, 2])
def test_an_empty_site_streams_an_empty_archive(version):
    from minbar.archive.policy import dump_archive
    from minbar.archive.selectors import get_archive_document, iter_archive_text

    assert "".join(iter_archive_text(version=version)) == dump_archive(
        get_archive_document(version=version)
    )


def featured_bodies() -> list[str]:
    return sorted(Comment.objects.filter(is_featured=True).values_list("body", flat=True))


def test_newsroom_can_move_a_featured_comment_and_it_stays_featured(tmp_path):
    """Found by bench/archive_roundtrip.py: the "feature" decision travelled, the comment's
    featured flag did not, so the moved site showed no featured comment."""
    from minbar.moderation import actions as moderation

    build_site()
    chief = make_user("chief", is_staff=True, is_superuser=True)
    first = Comment.objects.filter(parent=None).order_by("pk").first()
    moderation.do_feature_comment(first, moderator=chief, featured=True)
    text = run_export("--format-version", "2", "--with-personal-data")
    assert sum('"featured": true' in line for line in text.splitlines()) == 1
    from minbar.moderation.models import AuditEntry

    AuditEntry.objects.all().delete()  # kept by SET_NULL otherwise
    Article.objects.all().delete()
    EmailAddress.objects.all().delete()
    User.objects.filter(is_staff=False).delete()
    outcome = run_import(text, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert featured_bodies() == ["تعليق **أول**"]
    assert run_export("--format-version", "2", "--with-personal-data") == text


def test_newsroom_cannot_unfeature_a_comment_by_importing_an_older_file(tmp_path):
    from minbar.moderation import actions as moderation

    build_site()
    text = run_export("--format-version", "2")
    chief = make_user("chief", is_staff=True, is_superuser=True)
    first = Comment.objects.filter(parent=None).order_by("pk").first()
    moderation.do_feature_comment(first, moderator=chief, featured=True)
    outcome = run_import(text, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert featured_bodies() == ["تعليق **أول**"]


def test_newsroom_cannot_import_featured_in_a_v1_file_or_as_a_string(tmp_path):
    doc = document()
    doc["articles"][0]["comments"][0]["featured"] = True
    outcome = run_import(doc, tmp_path=tmp_path)
    assert not outcome.ok and outcome.pointers()[0] == "/articles/0/comments/0/featured"
    doc = document(version=2)
    doc["articles"][0]["comments"][0]["featured"] = "yes"
    outcome = run_import(doc, tmp_path=tmp_path)
    assert not outcome.ok and outcome.pointers()[0] == "/articles/0/comments/0/featured"
    assert not Comment.objects.exists()
