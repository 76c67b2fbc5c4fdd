"""Who is told what, through the pages: replies, mentions (Arabic names folded like usernames),
moderators' decisions, followed discussions; the bell in the reader's state; the notifications
page and marking read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from minbar.moderation import actions as moderation
from minbar.moderation.models import SiteSettings
from minbar.notify.models import Follow, Notification
from tests.factories import make_article, make_comment
from tests.moderation.conftest import make_moderator
from tests.notify.conftest import reader, signed_in
from tests.state import reader_state

pytestmark = pytest.mark.django_db


def post(client: Client, article, text: str, parent=None):
    data = {"text": text, **({"parent": parent.pk} if parent else {})}
    response = client.post(reverse("discussion:post", args=[article.slug]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def kinds_of(user) -> list[tuple[str, int]]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", "comment_id"))


def test_reader_can_see_a_reply_to_their_comment_on_the_page_and_in_the_bell(committed):
    article = make_article()
    author, replier = reader(), reader()
    with committed():
        mine = make_comment(article, author=author, text="رأيي في المقال")
        post(signed_in(replier), article, "أخالفك الرأي", parent=mine)
    reply = mine.replies.get()
    assert kinds_of(author) == [("reply", reply.pk)]
    client = signed_in(author)
    assert reader_state(client)["header"]["notifications"]["unread"] == 1
    page = client.get(reverse("notify:inbox"))
    assert page.status_code == 200
    assert "أخالفك الرأي" in page.content.decode()
    assert f'href="{reply.get_absolute_url()}"' in page.content.decode()


def test_reader_is_notified_when_mentioned_by_a_folded_arabic_username(committed):
    article = make_article()
    named = reader("أحمد_علي")
    with committed():
        make_comment(article, text="ما رأيك يا @احمد_علي؟ و@nobody_here")
    assert [kind for kind, _ in kinds_of(named)] == ["mention"]
    assert Notification.objects.count() == 1


def test_mentions_of_missing_or_banned_readers_notify_nobody_and_render_as_text(committed):
    article = make_article()
    banned = reader("محظور")
    moderation.do_ban_reader(banned, moderator=make_moderator(), reason="إساءة")
    with committed():
        comment = make_comment(article, text="@محظور و @غير_موجود و a@b.org")
    assert Notification.objects.count() == 0
    assert "<a" not in comment.body_html and "@محظور" in comment.body_html


def test_reader_cannot_notify_themselves(committed):
    article = make_article()
    author = reader("selfish")
    with committed():
        mine = make_comment(article, author=author)
        make_comment(article, author=author, text="وأزيد @selfish", parent=mine)
    assert Notification.objects.filter(recipient=author).count() == 0


def test_nobody_is_notified_of_a_hidden_comment_until_a_moderator_approves_it(committed):
    article = make_article()
    SiteSettings.objects.update_or_create(pk=1, defaults={"premoderation": "all"})
    author, replier = reader(), reader()
    mine = make_comment(article, author=author)
    with committed():
        held = make_comment(article, author=replier, parent=mine, status="pending")
    assert Notification.objects.count() == 0
    with committed():
        moderation.do_approve_comment(held, moderator=make_moderator())
    assert kinds_of(author) == [("reply", held.pk)]
    assert kinds_of(replier) == [("approved", held.pk)]


def test_reader_hears_a_rejection_with_its_reason(committed):
    article = make_article()
    author = reader()
    comment = make_comment(article, author=author, status="pending")
    with committed():
        moderation.check_reject_comment(comment, moderator=make_moderator(), reason="خارج الموضوع")
    notification = Notification.objects.get(recipient=author)
    assert (notification.kind, notification.reason) == ("rejected", "خارج الموضوع")
    page = signed_in(author).get(reverse("notify:inbox")).content.decode()
    assert "خارج الموضوع" in page


def test_followers_hear_of_new_comments_and_posting_follows_by_default(committed):
    article = make_article()
    follower, poster = reader(), reader()
    response = signed_in(follower).post(
        reverse("notify:follow", args=[article.slug]), {"follow": "1"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    with committed():
        post(signed_in(poster), article, "تعليق جديد")
    assert [kind for kind, _ in kinds_of(follower)] == ["followed"]
    assert Follow.objects.filter(reader=poster, article=article).exists()
    assert reader_state(signed_in(poster), article)["discussion"]["following"] is True


def test_reader_can_choose_not_to_follow_what_they_post_in(committed):
    article = make_article()
    poster = reader()
    client = signed_in(poster)
    settings_page = client.post(
        reverse("notify:preferences"),
        {"email_replies": "on", "email_mentions": "on", "language": "ar"},
    )
    assert settings_page.status_code == 200
    with committed():
        post(client, article, "تعليق بلا متابعة")
    assert not Follow.objects.filter(reader=poster).exists()


def test_reader_can_unfollow_and_the_page_without_javascript_offers_the_form(committed):
    article = make_article()
    follower = reader()
    client = signed_in(follower)
    client.post(reverse("notify:follow", args=[article.slug]), {"follow": "1"})
    page = client.get(reverse("notify:follow", args=[article.slug])).content.decode()
    assert 'name="follow" value="0"' in page and "csrfmiddlewaretoken" in page
    answer = client.post(
        reverse("notify:follow", args=[article.slug]),
        {"follow": "0"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.json() == {"following": False}
    assert not Follow.objects.filter(reader=follower).exists()
    bad = client.post(reverse("notify:follow", args=[article.slug]), {"follow": "maybe"})
    assert bad.status_code == 400


def test_article_page_is_the_same_for_every_reader_and_links_to_following(client):
    article = make_article()
    anonymous = client.get(article.get_absolute_url()).content
    follower = reader()
    signed = signed_in(follower).get(article.get_absolute_url()).content
    assert anonymous == signed
    assert reverse("notify:follow", args=[article.slug]).encode() in anonymous


def test_reader_can_mark_one_and_then_all_notifications_read(committed):
    article = make_article()
    author = reader()
    with committed():
        mine = make_comment(article, author=author)
        first = make_comment(article, parent=mine)
        make_comment(article, parent=mine)
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    one = Notification.objects.get(comment=first)
    refused = client.post(reverse("notify:read", args=[one.pk]))
    assert refused.status_code == 403  # no CSRF token
    page = client.get(reverse("notify:inbox"))
    token = page.cookies["csrftoken"].value
    client.post(reverse("notify:read", args=[one.pk]), {"csrfmiddlewaretoken": token})
    assert reader_state(client)["header"]["notifications"]["unread"] == 1
    client.post(reverse("notify:read-all"), {"csrfmiddlewaretoken": token})
    assert reader_state(client)["header"]["notifications"]["unread"] == 0
    assert not Notification.objects.filter(recipient=author, read_at__isnull=True).exists()


def test_reader_cannot_mark_another_readers_notification_read(committed):
    article = make_article()
    author, other = reader(), reader()
    with committed():
        make_comment(article, parent=make_comment(article, author=author))
    theirs = Notification.objects.get(recipient=author)
    signed_in(other).post(reverse("notify:read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_visitor_must_sign_in_to_see_notifications(client):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_notifications_page_reads_in_english_too(committed):
    article = make_article()
    author = reader()
    with committed():
        make_comment(article, parent=make_comment(article, author=author))
    page = signed_in(author).get("/en/notifications/").content.decode()
    assert "replied to your comment" in page


def test_reader_sees_the_unread_count_on_their_own_pages_without_javascript(committed):
    """The reader's own pages are rendered for them, so their header carries the bell's count
    itself; public pages never do (they get it from /me/state/)."""
    article = make_article()
    author, replier = reader(), reader()
    with committed():
        mine = make_comment(article, author=author, text="رأيي في المقال")
        post(signed_in(replier), article, "أخالفك الرأي", parent=mine)
    client = signed_in(author)
    inbox = client.get(reverse("notify:inbox")).content.decode()
    assert 'class="bell bell--unread"' in inbox and '<span class="bell__count"' in inbox
    english = client.get("/en" + reverse("notify:inbox")).content.decode()
    assert '<span class="bell__count" aria-label="1 unread">1</span>' in english
    assert "bell__count" not in client.get(article.get_absolute_url()).content.decode()
    client.post(reverse("notify:read-all"))
    inbox = client.get(reverse("notify:inbox")).content.decode()
    assert "bell__count" not in inbox and 'class="bell"' in inbox
