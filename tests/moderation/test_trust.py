"""Trust-weighted reports and votes through HTTP (decision 0008): accounts a few minutes old, or
without a verified email address, cannot hide a comment or move its score; established readers
(three days old, address verified) can. Every report and vote is still recorded."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from minbar.discussion.models import Comment, CommentVote
from minbar.moderation.models import AuditEntry, CommentReport
from tests.factories import make_comment, make_established_reader, make_user, verify_email
from tests.moderation.conftest import Tree, heading_and_counter, old_reader, page
from tests.state import reader_state

pytestmark = pytest.mark.django_db
User = get_user_model()


def report(client, comment, reader, reason="spam"):
    client.force_login(reader)
    return client.post(reverse("moderation:report", args=[comment.pk]), {"reason": reason})


def vote(client, comment, reader, value: int):
    client.force_login(reader)
    response = client.post(
        reverse("discussion:vote", args=[comment.pk]),
        {"value": value},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    return json.loads(response.content)


def aged(user, *, days: float):
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=days))
    user.refresh_from_db()
    return user


def fresh_account():
    """What an attacker makes in seconds: a new account whose address nobody checked."""
    return make_user()


@pytest.fixture
def target(article):
    return make_comment(article, author=old_reader("writer"), text="رأي لا يعجب الجميع")


def test_three_fresh_accounts_cannot_hide_a_comment(client, article, moderator, target):
    for _n in range(3):
        assert report(client, target, fresh_account()).status_code == 302
    target.refresh_from_db()
    assert target.status == Comment.Status.VISIBLE
    assert not AuditEntry.objects.filter(action="hide").exists()
    client.logout()
    assert "رأي لا يعجب الجميع" in client.get(article.get_absolute_url()).content.decode()
    # The reports are kept, marked as not counting, and moderators see them in their queue.
    assert CommentReport.objects.filter(comment=target, is_counted=False).count() == 3
    client.force_login(moderator)
    queue = page(client.get(reverse("moderation:queue", args=["reported"])))
    card = queue.find("article", data_comment_id=str(target.pk))[0]
    assert Tree.text_of(card).count("لا يُحتسب في الإخفاء") == 3


@pytest.mark.parametrize(
    ("almost", "make"),
    [
        ("a month old, address not verified", lambda: aged(make_user(), days=30)),
        ("address verified, two days old", lambda: _verified(aged(make_user(), days=2.9))),
    ],
)
def test_accounts_missing_one_condition_cannot_hide_a_comment(client, target, almost, make):
    for _n in range(5):
        assert report(client, target, make()).status_code == 302, almost
    target.refresh_from_db()
    assert target.status == Comment.Status.VISIBLE, almost


def _verified(user):
    verify_email(user)
    return user


def test_three_established_readers_hide_a_comment(client, article, target):
    assert heading_and_counter(client, article) == ("تعليق واحد", "1")
    for n in range(3):
        reader = make_established_reader(f"established{n}")
        assert report(client, target, reader).status_code == 302
        target.refresh_from_db()
        assert target.status == (Comment.Status.PENDING if n == 2 else Comment.Status.VISIBLE)
    client.logout()
    assert heading_and_counter(client, article) == ("لا تعليقات", "0")
    hidden = AuditEntry.objects.get(action="hide", comment=target)
    assert hidden.details["reports"] == 3


def test_fresh_reports_do_not_make_up_the_number_for_established_ones(client, target):
    for _n in range(4):
        report(client, target, fresh_account())
    for n in range(2):
        report(client, target, make_established_reader(f"regular{n}"))
    target.refresh_from_db()
    assert target.status == Comment.Status.VISIBLE  # 6 reports, 2 of them counted
    report(client, target, make_established_reader("regular_last"))
    target.refresh_from_db()
    assert target.status == Comment.Status.PENDING
    assert AuditEntry.objects.get(action="hide").details["reports"] == 3


def test_a_fresh_account_that_is_a_moderator_still_counts(client, target):
    """Moderators are trusted by their role, whatever their account's age."""
    for _n in range(3):
        report(client, target, make_user(groups=["moderators"]))
    target.refresh_from_db()
    assert target.status == Comment.Status.PENDING


def test_without_email_verification_the_accounts_age_alone_decides(client, settings, target):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    for _n in range(3):
        report(client, target, fresh_account())
    target.refresh_from_db()
    assert target.status == Comment.Status.VISIBLE
    for _n in range(3):
        report(client, target, aged(make_user(), days=3))
    target.refresh_from_db()
    assert target.status == Comment.Status.PENDING


# --- votes -----------------------------------------------------------------------------------


def shown_score(client, article) -> str:
    """The score printed beside the article's only comment, as an anonymous reader sees it."""
    client.logout()
    tree = page(client.get(article.get_absolute_url()))
    found = [e for e in tree.find("span") if "data-score" in dict(e["attrs"])]
    assert len(found) == 1
    return Tree.text_of(found[0])


def test_fresh_accounts_votes_are_recorded_but_do_not_move_the_score(client, article, target):
    for _n in range(3):
        data = vote(client, target, fresh_account(), -1)
        assert data["score"] == 0
        assert data["my_vote"] == -1
    target.refresh_from_db()
    assert (target.upvotes, target.downvotes, target.score) == (0, 0, 0)
    assert CommentVote.objects.filter(comment=target, is_counted=False).count() == 3
    assert shown_score(client, article) == "0"

    for n in range(2):
        data = vote(client, target, make_established_reader(f"voter{n}"), 1)
    assert data["score"] == 2
    target.refresh_from_db()
    assert (target.upvotes, target.downvotes, target.score) == (2, 0, 2)
    assert shown_score(client, article) == "+2"


def test_a_fresh_reader_is_told_why_and_sees_the_vote_as_theirs(client, article, target):
    newcomer = fresh_account()
    data = vote(client, target, newcomer, 1)
    assert data["counted"] is False and "سُجّل صوتك" in data["note"]
    assert reader_state(client, article)["discussion"]["votes"] == {str(target.pk): 1}
    established = vote(client, target, make_established_reader("counted_voter"), 1)
    assert established["counted"] is True and established["note"] == ""


def test_a_vote_counts_once_its_reader_is_established_and_votes_again(client, target):
    newcomer = fresh_account()
    assert vote(client, target, newcomer, 1)["score"] == 0
    aged(newcomer, days=3)
    verify_email(newcomer)
    # The same vote again: it now counts, once.
    assert vote(client, target, newcomer, 1)["score"] == 1
    assert vote(client, target, newcomer, 1)["score"] == 1
    assert vote(client, target, newcomer, -1)["score"] == -1
    assert vote(client, target, newcomer, 0)["score"] == 0
    assert not CommentVote.objects.filter(comment=target).exists()


def test_taking_back_an_uncounted_vote_leaves_the_score_alone(client, target):
    regular = make_established_reader("regular")
    newcomer = fresh_account()
    vote(client, target, regular, 1)
    vote(client, target, newcomer, -1)
    assert vote(client, target, newcomer, 0)["score"] == 1
    target.refresh_from_db()
    assert (target.upvotes, target.downvotes) == (1, 0)


def test_recount_agrees_with_counters_that_leave_uncounted_votes_out(client, target):
    for _n in range(2):
        vote(client, target, fresh_account(), 1)
    vote(client, target, make_established_reader("counted"), -1)
    out = io.StringIO()
    with translation.override("en"):
        call_command("recount", stdout=out)  # raises CommandError on any mismatch
    assert "Every counter is right." in out.getvalue()
    target.refresh_from_db()
    assert (target.upvotes, target.downvotes) == (0, 1)
