"""Readers' reports through HTTP: one per reader per comment, reasons, hiding at N reports, and
the moderators' decision bringing the comment back with the counters right."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from minbar.discussion.models import Comment
from minbar.moderation.actions import do_update_site_settings
from minbar.moderation.models import AuditEntry, CommentReport
from tests.factories import make_comment
from tests.moderation.conftest import Tree, heading_and_counter, old_reader, page
from tests.state import reader_state

pytestmark = pytest.mark.django_db


def report_url(comment) -> str:
    return reverse("moderation:report", args=[comment.pk])


def report(client, comment, reason="spam", text=""):
    return client.post(report_url(comment), {"reason": reason, "text": text})


@pytest.fixture
def target(article):
    return make_comment(article, author=old_reader("writer"), text="تعليق مثير للجدل")


def test_signed_in_reader_sees_a_report_link_on_others_comments_only(
    client, article, reader, target
):
    own = make_comment(article, author=reader, text="تعليقي")
    client.force_login(reader)
    tree = page(client.get(article.get_absolute_url()))
    # The page (the same for everyone) links every comment's report page; the reader's state
    # names their own comments, on which minbar.js takes the link away.
    links = {a["attrs"][0][1] for a in tree.find("a", cls="comment__report")}
    assert links == {report_url(target), report_url(own)}
    assert reader_state(client, article)["discussion"]["own"] == [own.pk]
    client.logout()
    assert "discussion" not in reader_state(client, article)


def test_report_page_works_without_javascript(client, reader, target):
    client.force_login(reader)
    tree = page(client.get(report_url(target)))
    reasons = {dict(e["attrs"])["value"] for e in tree.find("input", type="radio")}
    assert reasons == {"spam", "abuse", "off-topic", "other"}
    response = report(client, target, reason="abuse")
    assert response.status_code == 302
    assert response["Location"] == reverse("discussion:permalink", args=[target.pk])
    assert CommentReport.objects.get().reason == "abuse"


def test_anonymous_reader_is_sent_to_sign_in(client, target):
    response = report(client, target)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CommentReport.objects.exists()


def test_reader_can_report_a_comment_only_once(client, reader, target):
    client.force_login(reader)
    assert report(client, target).status_code == 302
    again = report(client, target, reason="abuse")
    assert again.status_code == 409
    assert "سبق أن أبلغت" in again.content.decode()
    assert CommentReport.objects.count() == 1


def test_the_database_holds_one_report_per_reader_per_comment(reader, target):
    CommentReport.objects.create(comment=target, reporter=reader, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentReport.objects.create(comment=target, reporter=reader, reason="abuse")


def test_another_reason_needs_details_and_they_are_kept_on_refusal(client, reader, target):
    client.force_login(reader)
    refused = report(client, target, reason="other")
    assert refused.status_code == 400
    assert "أخبر المشرفين" in refused.content.decode()
    refused = report(client, target, reason="", text="نص بلا سبب")
    assert refused.status_code == 400
    assert "".join(page(refused).find("textarea", id="id_report_text")[0]["text"]) == "نص بلا سبب"
    assert report(client, target, reason="other", text="يكشف رقم هاتف").status_code == 302
    assert CommentReport.objects.get().text == "يكشف رقم هاتف"


def test_reader_cannot_report_their_own_comment(client, article, reader):
    own = make_comment(article, author=reader)
    client.force_login(reader)
    assert report(client, own).status_code == 403
    assert not CommentReport.objects.exists()


def test_over_long_details_are_refused(client, reader, target):
    client.force_login(reader)
    response = report(client, target, reason="other", text="ط" * 5000)
    assert response.status_code == 400
    assert not CommentReport.objects.exists()


def test_three_reports_hide_a_comment_until_a_moderator_keeps_it(
    client, article, moderator, target
):
    make_comment(article, text="تعليق آخر")
    assert heading_and_counter(client, article) == ("تعليقان", "2")
    reporters = [old_reader(f"reporter{n}") for n in range(3)]
    for n, reporter in enumerate(reporters):
        client.force_login(reporter)
        assert report(client, target, reason="abuse", text=f"بلاغ {n}").status_code == 302
        target.refresh_from_db()
        expected = Comment.Status.PENDING if n == 2 else Comment.Status.VISIBLE
        assert target.status == expected, n
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "تعليق مثير للجدل" not in html
    assert heading_and_counter(client, article) == ("تعليق واحد", "1")
    hidden = AuditEntry.objects.get(action="hide", comment=target)
    assert hidden.actor is None and hidden.details["reports"] == 3

    client.force_login(moderator)
    queue = page(client.get(reverse("moderation:queue", args=["reported"])))
    card = queue.find("article", data_comment_id=str(target.pk))[0]
    assert "بلاغ 0" in Tree.text_of(card) and "بلاغ 2" in Tree.text_of(card)
    # It waits in the reported queue, not among the pre-moderated.
    pending = client.get(reverse("moderation:queue", args=["pending"])).content.decode()
    assert f'data-comment-id="{target.pk}"' not in pending

    assert client.post(reverse("moderation:approve", args=[target.pk])).status_code == 302
    target.refresh_from_db()
    assert target.status == Comment.Status.VISIBLE
    assert not CommentReport.objects.filter(resolution="").exists()
    assert set(CommentReport.objects.values_list("resolution", flat=True)) == {"kept"}
    reported = client.get(reverse("moderation:queue", args=["reported"])).content.decode()
    assert f'data-comment-id="{target.pk}"' not in reported
    client.logout()
    assert heading_and_counter(client, article) == ("تعليقان", "2")


def test_staff_can_change_how_many_reports_hide_a_comment(client, staff, target):
    client.force_login(staff)
    response = client.post(
        reverse("moderation:settings"),
        {
            "premoderation": "off",
            "new_reader_comments": 2,
            "new_reader_max_links": 2,
            "report_threshold": 1,
            "auto_close_days": "",
        },
    )
    assert response.status_code == 302
    client.force_login(old_reader("lone_reporter"))
    report(client, target)
    target.refresh_from_db()
    assert target.status == Comment.Status.PENDING
    change = AuditEntry.objects.get(action="settings")
    assert change.actor == staff and change.details["changes"]["report_threshold"] == [3, 1]


def test_a_rejected_comment_takes_its_reports_with_it(client, moderator, target):
    do_update_site_settings(staff=None, report_threshold=5)
    client.force_login(old_reader("r1"))
    report(client, target, reason="spam")
    client.force_login(moderator)
    response = client.post(reverse("moderation:reject", args=[target.pk]), {"reason": "سبام"})
    assert response.status_code == 302
    assert CommentReport.objects.get().resolution == "removed"
