"""Suspensions and bans through HTTP: sessions end at once, pending comments are rejected, the
reader can still read but not post, vote or report, and every decision is in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minbar.discussion.models import Comment
from minbar.moderation.models import AuditEntry, Sanction
from tests.factories import PASSWORD, make_comment
from tests.moderation.conftest import (
    heading_and_counter,
    make_moderator,
    old_reader,
    page,
    post_comment,
)
from tests.state import shows_form

pytestmark = pytest.mark.django_db


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def article_page_shows_form(client, article) -> bool:
    """The form the page offers this reader (from their state: the page is the same for all)."""
    return shows_form(client, article)


def test_a_ban_ends_the_readers_sessions_at_once(client, article, moderator, reader):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        assert device.login(username=reader.username, password=PASSWORD)
        assert article_page_shows_form(device, article)
    client.force_login(moderator)
    response = client.post(reverse("moderation:ban", args=[reader.pk]), {"reason": "شتائم متكررة"})
    assert response.status_code == 302
    for device in (phone, laptop):
        # The very next request is signed out, and the reader can still read.
        response = device.get(article.get_absolute_url())
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated
        assert page(response).find("aside", cls="info-box")


def test_a_ban_rejects_the_readers_waiting_comments_and_keeps_counts_exact(
    client, article, moderator, reader
):
    shown = make_comment(article, author=reader, text="ظاهر")
    waiting = [
        make_comment(article, author=reader, text=f"ينتظر {n}", status=Comment.Status.PENDING)
        for n in range(2)
    ]
    client.force_login(moderator)
    client.post(reverse("moderation:ban", args=[reader.pk]), {"reason": "حساب دعائي"})
    for comment in waiting:
        comment.refresh_from_db()
        assert comment.status == Comment.Status.REJECTED
    shown.refresh_from_db()
    assert shown.status == Comment.Status.VISIBLE
    article.refresh_from_db()
    assert article.comment_count == Comment.objects.visible().filter(article=article).count() == 1
    entry = AuditEntry.objects.get(action="ban")
    assert entry.actor == moderator and entry.reader == reader and entry.reason == "حساب دعائي"
    assert sorted(entry.details["rejected_comments"]) == sorted(c.pk for c in waiting)
    client.logout()
    assert heading_and_counter(client, article) == ("تعليق واحد", "1")


def test_a_banned_reader_who_signs_in_again_cannot_post_vote_or_report(
    client, article, moderator, reader
):
    other = make_comment(article, author=old_reader("other"), text="تعليق")
    client.force_login(moderator)
    client.post(reverse("moderation:ban", args=[reader.pk]), {"reason": "إساءة"})
    assert client.login(username=reader.username, password=PASSWORD)
    refused = post_comment(client, article, "ما زلت هنا")
    assert refused.status_code == 403
    assert "محظور" in refused.content.decode()
    assert "".join(page(refused).find("textarea", id="id_text")[0]["text"]) == "ما زلت هنا"
    vote = client.post(
        reverse("discussion:vote", args=[other.pk]), {"value": 1}, HTTP_ACCEPT="application/json"
    )
    assert vote.status_code == 403
    report = client.post(reverse("moderation:report", args=[other.pk]), {"reason": "spam"})
    assert report.status_code == 403
    assert not Comment.objects.filter(author=reader).exists()


def test_a_suspension_ends_sessions_and_lasts_until_lifted_or_over(
    client, article, moderator, reader
):
    reader_client = Client()
    reader_client.force_login(reader)
    # Posting before: "no sanction" is what the cache remembers for this reader until now.
    assert post_comment(reader_client, article, "قبل الإيقاف").status_code == 302
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:suspend", args=[reader.pk]), {"days": 3, "reason": "تهدئة"}
    )
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert sanction.kind == "suspension"
    assert abs(sanction.ends_at - (timezone.now() + dt.timedelta(days=3))) < dt.timedelta(minutes=1)
    assert not reader_client.get(article.get_absolute_url()).wsgi_request.user.is_authenticated

    reader.refresh_from_db()  # the session hash now carries the new epoch
    reader_client.force_login(reader)
    refused = post_comment(reader_client, article, "هل انتهى الإيقاف؟")
    assert refused.status_code == 403 and "موقوف" in refused.content.decode()

    response = client.post(reverse("moderation:lift", args=[reader.pk]), {"reason": "اعتذر"})
    assert response.status_code == 302
    assert post_comment(reader_client, article, "عدت").status_code == 302
    assert [e.action for e in AuditEntry.objects.order_by("created_at", "pk")] == [
        "suspend",
        "lift",
    ]


def test_an_expired_suspension_no_longer_applies(client, article, reader):
    Sanction.objects.create(
        reader=reader,
        kind="suspension",
        reason="قديم",
        starts_at=timezone.now() - dt.timedelta(days=8),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    client.force_login(reader)
    assert post_comment(client, article, "أعود بعد الإيقاف").status_code == 302


def test_a_sanction_needs_a_reason_and_a_known_length(client, moderator, reader):
    client.force_login(moderator)
    assert (
        client.post(reverse("moderation:ban", args=[reader.pk]), {"reason": " "}).status_code == 400
    )
    response = client.post(
        reverse("moderation:suspend", args=[reader.pk]), {"days": 9999, "reason": "x"}
    )
    assert response.status_code == 400
    assert not Sanction.objects.exists()


@pytest.mark.parametrize("who", ["self", "moderator", "staff"])
def test_moderator_cannot_sanction_themselves_staff_or_another_moderator(
    client, moderator, staff, who
):
    target = {"self": moderator, "moderator": make_moderator("mod_b"), "staff": staff}[who]
    client.force_login(moderator)
    response = client.post(reverse("moderation:ban", args=[target.pk]), {"reason": "تجربة"})
    assert response.status_code == 403
    assert not Sanction.objects.exists()
    target.refresh_from_db()
    assert target.session_epoch == 0


def test_a_superuser_can_ban_a_moderator(client, staff):
    rogue = make_moderator("rogue_mod")
    client.force_login(staff)
    assert (
        client.post(reverse("moderation:ban", args=[rogue.pk]), {"reason": "تجاوز"}).status_code
        == 302
    )
    assert Sanction.objects.get().reader == rogue


def test_one_click_ban_from_the_queue_bans_the_author(client, article, moderator, reader):
    pending = make_comment(article, author=reader, text="دعاية", status=Comment.Status.PENDING)
    client.force_login(moderator)
    queue = reverse("moderation:queue", args=["pending"])
    response = client.post(
        reverse("moderation:ban-author", args=[pending.pk]), {"reason": "دعاية", "next": queue}
    )
    assert response.status_code == 302 and response["Location"] == queue
    pending.refresh_from_db()
    assert pending.status == Comment.Status.REJECTED
    assert Sanction.objects.get().reader == reader


# --- display names ---------------------------------------------------------------------------


def display_name_field(response) -> str:
    found = page(response).find("input", name="display_name")
    assert found, "the form is not on the page"
    return dict(found[0]["attrs"]).get("value") or ""


def test_a_banned_reader_cannot_change_their_display_name(client, moderator, reader):
    reader.display_name = "قارئ هادئ"
    reader.save(update_fields=["display_name"])
    client.force_login(moderator)
    client.post(reverse("moderation:ban", args=[reader.pk]), {"reason": "انتحال صفة"})
    reader.refresh_from_db()  # the ban moved its session epoch
    client.force_login(reader)
    refused = client.post(reverse("accounts:settings"), {"display_name": "المشرف العام"})
    assert refused.status_code == 403
    assert "لا يمكنك تغيير اسمك الظاهر" in refused.content.decode()
    assert display_name_field(refused) == "المشرف العام"  # what was typed, kept
    reader.refresh_from_db()
    assert reader.display_name == "قارئ هادئ"


def test_a_suspended_reader_can_change_their_display_name_once_the_suspension_is_lifted(
    client, moderator, reader
):
    client.force_login(moderator)
    client.post(reverse("moderation:suspend", args=[reader.pk]), {"reason": "جدال", "days": 3})
    reader.refresh_from_db()  # the suspension moved its session epoch
    client.force_login(reader)
    refused = client.post(reverse("accounts:settings"), {"display_name": "اسم جديد"})
    assert refused.status_code == 403
    assert "موقوف" in refused.content.decode()
    client.force_login(moderator)
    client.post(reverse("moderation:lift", args=[reader.pk]), {"reason": "انتهى الخلاف"})
    client.force_login(reader)
    accepted = client.post(reverse("accounts:settings"), {"display_name": "اسم جديد"})
    assert accepted.status_code == 302
    reader.refresh_from_db()
    assert reader.display_name == "اسم جديد"
