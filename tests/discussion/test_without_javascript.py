"""Without JavaScript a signed-in reader still posts, replies, votes, edits and deletes: the
article page (the same for everyone) links to pages of their own, which ask them to sign in,
show their state, and bring them back to the comment after each POST."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from minbar.discussion.models import Comment, CommentVote
from tests.factories import make_article, make_comment, make_user
from tests.news.test_pages import Page

pytestmark = pytest.mark.django_db


def _signed_in(user=None) -> Client:
    client = Client()
    client.force_login(user or make_user())
    return client


def test_article_page_links_every_action_to_a_page_of_its_own(client):
    article = make_article()
    comment = make_comment(article, text="تعليق")
    page = Page(client.get(article.get_absolute_url()).content.decode())
    links = {a["href"] for a, _ in page.find("a")}
    assert reverse("discussion:write", args=[article.slug]) in links
    assert reverse("discussion:reply", args=[comment.pk]) in links
    assert reverse("discussion:actions", args=[comment.pk]) in links
    assert reverse("moderation:report", args=[comment.pk]) in links


@pytest.mark.parametrize("name", ["write", "actions", "reply"])
def test_anonymous_reader_is_asked_to_sign_in_first(client, name):
    article = make_article()
    comment = make_comment(article)
    url = reverse(f"discussion:{name}", args=[article.slug if name == "write" else comment.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_reader_writes_a_comment_on_its_page_and_lands_on_it():
    article = make_article()
    client = _signed_in()
    page = Page(client.get(reverse("discussion:write", args=[article.slug])).content.decode())
    form = page.find("form", id="comment-form")
    assert form and form[0][0]["action"] == reverse("discussion:post", args=[article.slug])
    assert page.find("input", name="csrfmiddlewaretoken")
    response = client.post(reverse("discussion:post", args=[article.slug]), {"text": "بلا سكربت"})
    comment = Comment.objects.get(body="بلا سكربت")
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert "بلا سكربت" in client.get(response["Location"]).content.decode()


def test_write_page_says_why_a_reader_may_not_post():
    article = make_article(comments_open=False)
    html = _signed_in().get(reverse("discussion:write", args=[article.slug])).content.decode()
    assert "التعليقات مغلقة على هذا المقال." in html and 'id="comment-form"' not in html


def test_reader_votes_and_takes_the_vote_back_from_the_comment_page():
    article = make_article()
    comment = make_comment(article, text="يستحق التصويت")
    reader = make_user()
    client = _signed_in(reader)
    actions = reverse("discussion:actions", args=[comment.pk])
    page = Page(client.get(actions).content.decode())
    up = next(a for a, _ in page.find("button") if "vote--up" in a.get("class", ""))
    assert up["value"] == "1" and up["aria-pressed"] == "false"
    response = client.post(reverse("discussion:vote", args=[comment.pk]), {"value": up["value"]})
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert CommentVote.objects.get(comment=comment, voter=reader).value == 1
    page = Page(client.get(actions).content.decode())
    up = next(a for a, _ in page.find("button") if "vote--up" in a.get("class", ""))
    assert up["aria-pressed"] == "true" and up["value"] == "0"  # pressing again takes it back
    client.post(reverse("discussion:vote", args=[comment.pk]), {"value": "0"})
    assert not CommentVote.objects.filter(comment=comment, voter=reader).exists()
    # The vote address, opened by a link, shows the same page.
    assert client.get(reverse("discussion:vote", args=[comment.pk])).status_code == 200


def test_author_edits_and_deletes_from_the_comment_page():
    article = make_article()
    author = make_user()
    comment = make_comment(article, author=author, text="قبل")
    client = _signed_in(author)
    html = client.get(reverse("discussion:actions", args=[comment.pk])).content.decode()
    assert reverse("discussion:edit", args=[comment.pk]) in html
    assert reverse("discussion:delete", args=[comment.pk]) in html
    assert "vote-form" not in html and "10 دقائق متبقية" in html
    edited = client.post(reverse("discussion:edit", args=[comment.pk]), {"text": "بعد"})
    assert edited.status_code == 302 and edited["Location"].endswith(f"#comment-{comment.pk}")
    deleted = client.post(reverse("discussion:delete", args=[comment.pk]))
    assert deleted.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == "deleted"


def test_other_readers_cannot_edit_from_the_comment_page():
    article = make_article()
    comment = make_comment(article)
    html = _signed_in().get(reverse("discussion:actions", args=[comment.pk])).content.decode()
    assert reverse("discussion:edit", args=[comment.pk]) not in html
    assert "vote-form" in html


def test_reply_page_posts_and_lands_on_the_reply():
    article = make_article()
    parent = make_comment(article, text="الأصل")
    client = _signed_in()
    html = client.get(reverse("discussion:reply", args=[parent.pk])).content.decode()
    assert f'name="parent" value="{parent.pk}"' in html
    response = client.post(
        reverse("discussion:post", args=[article.slug]), {"text": "ردّي", "parent": parent.pk}
    )
    reply = Comment.objects.get(body="ردّي")
    assert reply.parent_id == parent.pk
    assert response["Location"].endswith(f"#comment-{reply.pk}")


# --- forged or stale CSRF tokens on every write ------------------------------------------------


def _writes(article, comment, own):
    return [
        (reverse("discussion:post", args=[article.slug]), {"text": "نصّي المحفوظ"}),
        (reverse("discussion:vote", args=[comment.pk]), {"value": "1"}),
        (reverse("discussion:edit", args=[own.pk]), {"text": "نصّي المحفوظ"}),
        (reverse("discussion:delete", args=[own.pk]), {}),
        (
            reverse("moderation:report", args=[comment.pk]),
            {"reason": "spam", "text": "نصّي المحفوظ"},
        ),
        (reverse("account_logout"), {}),
    ]


@pytest.mark.parametrize("token", ["forged", "stale"])
def test_every_write_with_a_bad_csrf_token_is_refused_in_arabic_keeping_the_text(token):
    article = make_article()
    reader = make_user()
    comment = make_comment(article, text="تعليق غيري")
    own = make_comment(article, author=reader, text="تعليقي")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    if token == "stale":
        client.cookies["csrftoken"] = "a" * 32  # the cookie changed since the form was made
        value = "b" * 32
    else:
        value = "forged-token-" * 3
    for url, data in _writes(article, comment, own):
        response = client.post(url, {**data, "csrfmiddlewaretoken": value})
        assert response.status_code == 403, url
        html = response.content.decode()
        assert "انتهت صلاحية النموذج" in html, url
        assert "private" in response["Cache-Control"], url
        if "text" in data:
            page = Page(html)
            assert page.find("textarea", class_="typed-text")[0][1] == "نصّي المحفوظ", url
    assert Comment.objects.count() == 2 and not CommentVote.objects.exists()
    assert Comment.objects.get(pk=own.pk).body == "تعليقي"
