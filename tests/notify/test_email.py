"""Notification emails: who gets them, batching into one digest, Arabic right to left with a
plain-text part, the one-click unsubscribe; through Django's outbox and a real SMTP server."""

from __future__ import annotations

import email
import email.policy

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from minbar.moderation import actions as moderation
from minbar.notify.emails import UNSUBSCRIBE_SALT, unsubscribe_token
from minbar.notify.models import Notification, Preferences
from minbar.notify.tasks import send_notification_email
from tests.factories import make_article, make_comment
from tests.moderation.conftest import make_moderator
from tests.notify.conftest import drain, reader, signed_in

pytestmark = pytest.mark.django_db


def reply_to(author, *, committed, text="ردّ على تعليقك", article=None):
    article = article or make_article()
    with committed():
        mine = make_comment(article, author=author)
        return make_comment(article, parent=mine, text=text)


def test_reader_gets_an_arabic_rtl_email_with_text_part_and_one_click_unsubscribe(committed):
    author = reader("كاتب")
    reply = reply_to(author, committed=committed, text="أوافقك تماما")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    assert "ردّ" in message.subject or "رد" in message.subject
    assert "أوافقك تماما" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and 'dir="rtl"' in html and 'lang="ar"' in html
    assert reply.get_absolute_url() in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in link
    assert Notification.objects.get(recipient=author).email == "sent"


def test_reader_who_chose_english_gets_english_email(committed):
    author = reader()
    Preferences.objects.create(reader=author, language="en")
    reply_to(author, committed=committed)
    message = mail.outbox[0]
    assert "replied to your comment" in message.subject
    assert 'dir="ltr"' in message.alternatives[0][0]


def test_no_email_to_unverified_addresses_or_banned_readers(committed):
    unverified = reader(verified=False)
    reply_to(unverified, committed=committed)
    banned = reader()
    article = make_article()
    with committed():
        mine = make_comment(article, author=banned)
    moderation.do_ban_reader(banned, moderator=make_moderator(), reason="سبب")
    with committed():
        make_comment(article, parent=mine)
    assert mail.outbox == []
    assert Notification.objects.get(recipient=unverified).email == "skipped"
    assert not Notification.objects.filter(recipient=banned).exists()


def test_no_email_about_a_comment_hidden_before_the_email_left(committed, db_tasks):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    author = reader()
    # An email left a minute ago: the next waits for the end of the batching window.
    Preferences.objects.create(reader=author, last_emailed_at=timezone.now())
    reply = reply_to(author, committed=committed)
    drain()
    assert Notification.objects.get(recipient=author).email == "pending"
    moderation.do_reject_comment(reply, moderator=make_moderator(), reason="مخالف")
    # The window ends.
    an_hour_ago = timezone.now() - timezone.timedelta(hours=1)
    Preferences.objects.filter(reader=author).update(last_emailed_at=an_hour_ago)
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    drain()
    assert mail.outbox == []
    assert Notification.objects.get(recipient=author).email == "skipped"


def test_followed_discussions_are_not_emailed_unless_chosen(committed):
    follower, chooser = reader(), reader()
    article = make_article()
    signed_in(follower).post(reverse("notify:follow", args=[article.slug]), {"follow": "1"})
    Preferences.objects.create(reader=chooser, email_followed=True)
    signed_in(chooser).post(reverse("notify:follow", args=[article.slug]), {"follow": "1"})
    with committed():
        make_comment(article)
    assert [m.to for m in mail.outbox] == [[chooser.email]]


def test_a_burst_of_500_replies_to_one_reader_sends_one_digest(committed, db_tasks, settings):
    author = reader()
    article = make_article()
    mine = make_comment(article, author=author)
    for n in range(500):
        make_comment(article, parent=mine, text=f"ردّ رقم {n}")
    drain()
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert "500" in digest.subject
    assert "ردّ رقم 49" in digest.body and "ردّ رقم 50" not in digest.body
    assert "450" in digest.body  # the rest, counted
    assert Notification.objects.filter(recipient=author, email="sent").count() == 500
    # Another reply within the batching window waits for it (queued for later, not sent now).
    make_comment(article, parent=mine, text="متأخر")
    drain()
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=author, email="pending").count() == 1


def test_running_the_email_task_twice_sends_one_email(committed, db_tasks):
    author = reader()
    reply_to(author, committed=committed)
    send_notification_email.call(reader_id=author.pk)
    send_notification_email.call(reader_id=author.pk)
    drain()
    assert len(mail.outbox) == 1


def test_reader_can_unsubscribe_with_one_click(committed):
    author = reader()
    token = unsubscribe_token(author.pk)
    url = reverse("notify:unsubscribe", args=[token])
    page = Client().get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    # A mail client's one-click POST: no session, no CSRF token (RFC 8058).
    done = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    prefs = Preferences.objects.get(reader=author)
    assert not (prefs.email_replies or prefs.email_mentions or prefs.email_followed)
    reply_to(author, committed=committed)
    assert mail.outbox == []


@pytest.mark.parametrize("kind", ["forged", "expired", "other-reader"])
def test_a_bad_unsubscribe_link_does_nothing_and_says_so_in_arabic(kind, settings):
    author, other = reader(), reader()
    client = Client()
    token = unsubscribe_token(author.pk)
    if kind == "forged":
        token = signing.dumps({"r": author.pk}, salt=UNSUBSCRIBE_SALT, key="not-our-key" * 5)
    elif kind == "expired":
        settings.MINBAR_UNSUBSCRIBE_DAYS = -1
    else:
        client.force_login(other)
    response = client.post(reverse("notify:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "لم" in response.content.decode() or "ليس" in response.content.decode()
    assert not Preferences.objects.filter(reader=author).exists()


def test_reader_cannot_make_minbar_email_an_address_they_did_not_verify(committed):
    author = reader()
    client = signed_in(author)
    response = client.post(
        reverse("notify:preferences"),
        {"email_replies": "on", "language": "ar", "email": "victim@example.net"},
    )
    assert response.status_code == 200
    reply_to(author, committed=committed)
    assert [m.to for m in mail.outbox] == [[author.email]]


def test_account_settings_page_holds_the_email_choices():
    author = reader()
    page = signed_in(author).get(reverse("accounts:settings")).content.decode()
    assert 'name="email_replies"' in page and 'name="email_followed"' in page


def test_notification_email_reaches_a_real_smtp_server(committed, smtp_server):
    author = reader("قارئ")
    reply_to(author, committed=committed, text="ردّ يصل بالبريد")
    assert smtp_server.arrived.wait(5)
    _sender, recipients, raw = smtp_server.messages[0]
    assert recipients == [author.email]
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    assert "ردّ يصل بالبريد" in text and 'dir="rtl"' in html
