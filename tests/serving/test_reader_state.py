"""`/me/state/`: what a public page cannot say, for the reader looking at it. Small, private,
uncached; a 404 for an article nobody may read, whatever the reason."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minbar.discussion.models import Comment
from minbar.moderation.actions import (
    do_ban_reader,
    do_set_article_discussion,
    do_suspend_reader,
)
from tests.factories import make_article, make_comment, make_editor, make_user
from tests.moderation.conftest import make_moderator, make_staff, old_reader
from tests.state import reader_state

pytestmark = pytest.mark.django_db
STATE = "/me/state/"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_reader_gets_only_that_they_are_not_signed_in(client):
    article = make_article()
    response = client.get(STATE, {"article": article.pk})
    assert response.status_code == 200
    assert response.json() == {"signedIn": False, "messages": []}
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not response.cookies  # no CSRF cookie for someone who cannot post


def test_signed_in_reader_gets_their_name_links_and_a_working_csrf_token():
    reader = make_user("reem_k", display_name="ريم")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    article = make_article()
    theirs = make_comment(article, text="تعليق غيري")
    state = reader_state(client, article)
    assert state["signedIn"] is True
    assert state["header"]["name"] == "ريم"
    assert state["header"]["profile"] == "/readers/reem_k/"
    assert [link["href"] for link in state["header"]["links"]] == ["/accounts/settings/"]
    voted = client.post(
        f"/comments/{theirs.pk}/vote/",
        {"value": "1"},
        HTTP_X_CSRFTOKEN=state["csrf"],
        HTTP_ACCEPT="application/json",
    )
    assert voted.status_code == 200 and voted.json()["my_vote"] == 1
    assert reader_state(client, article)["discussion"]["votes"] == {str(theirs.pk): 1}


def test_reader_gets_their_votes_on_the_comments_of_that_page_only():
    article = make_article()
    reader = make_user()
    comments = [make_comment(article, text=f"تعليق {n}") for n in range(102)]
    client = _signed_in(reader)
    for comment, value in ((comments[0], 1), (comments[1], -1), (comments[101], 1)):
        client.post(f"/comments/{comment.pk}/vote/", {"value": str(value)})
    first = reader_state(client, article)["discussion"]["votes"]
    second = reader_state(client, article, page=2)["discussion"]["votes"]
    assert first == {str(comments[0].pk): 1, str(comments[1].pk): -1}
    assert second == {str(comments[101].pk): 1}


def test_reader_gets_their_own_comments_and_which_they_may_still_edit():
    article = make_article()
    reader = make_user()
    fresh = make_comment(article, author=reader, text="جديد")
    old = make_comment(
        article, author=reader, text="قديم", created_at=timezone.now() - dt.timedelta(minutes=30)
    )
    replied = make_comment(article, author=reader, text="عليه رد")
    make_comment(article, text="رد", parent=replied)
    state = reader_state(_signed_in(reader), article)["discussion"]
    assert state["own"] == [old.pk, fresh.pk, replied.pk] or sorted(state["own"]) == sorted(
        [old.pk, fresh.pk, replied.pk]
    )
    assert set(state["editable"]) == {str(fresh.pk)}
    left = state["editable"][str(fresh.pk)]
    assert 590 <= left["seconds"] <= 600 and left["label"] == "10 دقائق متبقية"


def test_reader_gets_their_comment_awaiting_review_rendered_in_place():
    article = make_article()
    reader = make_user()
    parent = make_comment(article, text="أصل")
    pending = make_comment(article, author=reader, text="ردّي المنتظر", parent=parent)
    Comment.objects.filter(pk=pending.pk).update(status="pending")
    state = reader_state(_signed_in(reader), article)["discussion"]
    [shown] = state["pending"]
    assert shown["id"] == pending.pk and shown["parent"] == parent.pk
    assert "ردّي المنتظر" in shown["html"] and "comment--pending" in shown["html"]
    assert reader_state(_signed_in(make_user()), article)["discussion"]["pending"] == []


def test_reader_who_may_post_gets_the_form_and_one_who_may_not_gets_why():
    article = make_article()
    closed = make_article(comments_open=False)
    reader, banned, suspended = make_user(), old_reader("banned_b"), old_reader("suspended_s")
    moderator = make_moderator()
    do_ban_reader(banned, moderator=moderator, reason="إساءة")
    do_suspend_reader(
        suspended, moderator=moderator, until=timezone.now() + dt.timedelta(days=2), reason="x"
    )
    open_state = reader_state(_signed_in(reader), article)["discussion"]
    assert open_state["posting"]["may_post"] is True and open_state["posting"]["code"] == ""
    for who, where, code in (
        (reader, closed, "closed"),
        (banned, article, "banned"),
        (suspended, article, "suspended"),
    ):
        who.refresh_from_db()  # a sanction moves the reader's session epoch
        state = reader_state(_signed_in(who), where)["discussion"]
        assert state["posting"]["may_post"] is False and state["posting"]["code"] == code
        assert state["posting"]["message"]


def test_reader_on_a_premoderated_discussion_is_told_before_posting(client):
    article = make_article()
    staff = make_staff()
    do_set_article_discussion(
        article, moderator=staff, comments_open=True, premoderation="all", reason=""
    )
    state = reader_state(_signed_in(old_reader()), article)["discussion"]
    assert state["posting"]["held"] is True
    assert "مشرف" in state["posting"]["held_message"]
    assert (
        reader_state(_signed_in(make_moderator()), article)["discussion"]["posting"]["held"]
        is False
    )


def test_reader_who_just_posted_is_told_how_long_to_wait(settings):
    settings.MINBAR_RATE_LIMITS = {"comment": "1/60s", "comment-new-account": "1/60s"}
    article = make_article()
    client = _signed_in(old_reader())
    assert reader_state(client, article)["discussion"]["posting"]["wait"] == 0
    assert client.post(f"{article.get_absolute_url()}comments/", {"text": "أول"}).status_code == 302
    posting = reader_state(client, article)["discussion"]["posting"]
    assert posting["may_post"] is True and posting["code"] == "wait"
    assert 55 <= posting["wait"] <= 60 and "ثانية" in posting["message"]


def test_moderators_and_the_newsroom_get_their_links():
    article = make_article()
    moderator = reader_state(_signed_in(make_moderator()), article)
    assert {link["href"] for link in moderator["header"]["links"]} >= {"/moderation/"}
    assert [link["href"] for link in moderator["discussion"]["staff"]] == [
        reverse("moderation:article", args=[article.pk])
    ]
    editor = reader_state(_signed_in(make_editor()), article)
    assert "/admin/" in {link["href"] for link in editor["header"]["links"]}
    assert reverse("admin:news_article_change", args=[article.pk]) in {
        link["href"] for link in editor["discussion"]["staff"]
    }
    assert reader_state(_signed_in(make_user()), article)["discussion"]["staff"] == []


def test_messages_waiting_for_the_reader_come_with_their_state():
    article = make_article()
    comment = make_comment(article)
    client = _signed_in(make_user())
    client.post(reverse("moderation:report", args=[comment.pk]), {"reason": "spam"})
    messages = reader_state(client)["messages"]
    assert [m["text"] for m in messages] == ["شكرًا لك. سينظر المشرفون في هذا التعليق."] or (
        len(messages) == 1 and messages[0]["level"] == "success"
    )
    assert reader_state(client)["messages"] == []  # shown once


@pytest.mark.parametrize("kind", ["missing", "draft", "unpublished", "not-a-number", "huge"])
def test_reader_asking_about_an_article_nobody_may_read_gets_the_same_404(kind):
    from minbar.news import actions as news

    client = _signed_in(make_user())
    article = make_article(published=kind != "draft")
    if kind == "unpublished":
        news.do_unpublish_article(article)
    value = {
        "missing": "999999",
        "not-a-number": "abc",
        "huge": "9" * 40,
    }.get(kind, str(article.pk))
    response = client.get(STATE, {"article": value})
    assert response.status_code == 404
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    for other in ("draft", "missing"):
        assert other not in response.content.decode().lower()


def test_the_state_stays_small_on_a_long_discussion():
    article = make_article()
    reader = make_user()
    comments = [make_comment(article, text=f"تعليق رقم {n} " * 20) for n in range(150)]
    client = _signed_in(reader)
    for comment in comments[:100]:
        client.post(f"/comments/{comment.pk}/vote/", {"value": "1"})
    for n in range(5):
        make_comment(article, author=reader, text=f"تعليقي {n}")
    body = client.get(STATE, {"article": article.pk}).content
    assert len(body) < 6 * 1024, len(body)
    assert len(json.loads(body)["discussion"]["votes"]) == 100


@pytest.mark.usefixtures("list_cache", "commits")
def test_the_state_costs_the_same_queries_however_long_the_discussion():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = make_article()
    reader = make_user()
    client = _signed_in(reader)
    make_comment(article, author=reader, text="لي")
    theirs = make_comment(article, text="لغيري")
    client.post(f"/comments/{theirs.pk}/vote/", {"value": "1"})
    client.get(article.get_absolute_url())  # the page keeps its discussion
    reader_state(client, article)  # permission sets read once, then kept
    with CaptureQueriesContext(connection) as short:
        reader_state(client, article)
    for n in range(40):
        comment = make_comment(article, text=f"تعليق {n}")
        client.post(f"/comments/{comment.pk}/vote/", {"value": "-1"})
        make_comment(article, author=reader, text=f"لي {n}", parent=comment)
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as long:
        state = reader_state(client, article)
    assert len(state["discussion"]["votes"]) == 41 and len(state["discussion"]["own"]) == 41
    # The session, the reader, the article, their own comments with their votes on the page
    # (one query: it was two), which of their comments still in the edit window have replies.
    assert len(long) == len(short) == 5, [q["sql"][:70] for q in long.captured_queries]


def test_reader_without_a_session_can_get_their_state_from_nothing(
    client, django_assert_num_queries
):
    from django.core.cache import caches

    article = make_article()
    client.cookies["minbar_reader"] = "1"  # left from a session that has ended
    for alias in ("default", "pages"):
        caches[alias].clear()
    with django_assert_num_queries(0):
        response = client.get(STATE, {"article": article.pk, "page": "1"})
    assert response.status_code == 200
    assert response.json() == {"signedIn": False, "messages": []}
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response.cookies["minbar_reader"]["max-age"] == 0  # minbar.js stops asking
    assert "csrftoken" not in response.cookies
    assert not caches["pages"].get_many([f"discussion-version:{article.pk}"])


def test_signed_in_reader_can_get_their_state_in_english_by_the_short_path():
    client = _signed_in(make_user("sam_e"))
    article = make_article()
    response = client.get("/en" + STATE, {"article": article.pk})
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert response["X-Content-Type-Options"] == "nosniff"
    state = response.json()
    assert state["header"]["signOut"]["label"] == "Sign out"
    assert state["header"]["profile"] == "/en/readers/sam_e/"


def test_reader_cannot_post_to_their_state():
    client = _signed_in(make_user())
    assert client.post(STATE, {}).status_code in (403, 405)


def test_reader_cannot_get_a_500_when_the_database_is_away(monkeypatch):
    from django.db import OperationalError

    from minbar.serving import views

    client = _signed_in(make_user())
    article = make_article()

    def away(**kwargs):
        raise OperationalError("the database is restarting")

    monkeypatch.setattr(views, "find_state_article", away)
    response = client.get(STATE, {"article": article.pk})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.usefixtures("page_cache", "commits")
def test_signed_in_reader_can_get_their_state_with_the_pages_second_from_three_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.serving.conftest import page_lifetime_passes

    article = make_article()
    reader = make_user()
    client = _signed_in(reader)
    theirs = make_comment(article, text="لغيري")
    client.get(article.get_absolute_url())
    reader_state(client, article)
    with CaptureQueriesContext(connection) as kept:
        state = reader_state(client, article)
    # The session, the reader, their own comments with their votes on the page: the article
    # and the page's ids are kept by the worker as long as the page they came with.
    assert len(kept) == 3, [q["sql"][:70] for q in kept.captured_queries]
    assert state["discussion"]["votes"] == {}
    client.post(f"/comments/{theirs.pk}/vote/", {"value": "1"})
    assert reader_state(client, article)["discussion"]["votes"] == {str(theirs.pk): 1}
    news_comment = make_comment(article, text="جديد")
    client.post(f"/comments/{news_comment.pk}/vote/", {"value": "-1"})
    page_lifetime_passes()
    assert reader_state(client, article)["discussion"]["votes"] == {
        str(theirs.pk): 1,
        str(news_comment.pk): -1,
    }


@pytest.mark.usefixtures("page_cache", "commits")
def test_reader_cannot_get_the_state_of_an_article_unpublished_since_it_was_kept():
    from minbar.news import actions as news

    article = make_article()
    client = _signed_in(make_user())
    assert reader_state(client, article)["signedIn"] is True
    news.do_unpublish_article(article)
    assert client.get(STATE, {"article": article.pk}).status_code == 404
