"""Signed-in readers: the comment list is rendered once per discussion version and shared, with
each reader's own bits (CSRF token, own comments' controls, votes) put in for them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minbar.discussion import actions as discussion
from tests.factories import make_article, make_comment, make_established_reader, make_user
from tests.serving.conftest import comment_count_shown

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache", "commits")]


def _signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _comment_html(page: str, comment_id: int) -> str:
    match = re.search(
        rf'<li class="comment[^"]*" id="comment-{comment_id}".*?</li>', page, flags=re.S
    )
    assert match, f"comment {comment_id} is not on the page"
    return match.group(0)


def test_signed_in_reader_can_read_200_comments_in_a_handful_of_queries():
    article = make_article()
    authors = [make_user() for _ in range(10)]
    roots = []
    for n in range(200):
        parent = roots[-1] if roots and n % 4 == 3 else None
        comment = make_comment(article, author=authors[n % 10], text=f"تعليق {n}", parent=parent)
        if parent is None:
            roots.append(comment)
    reader = _signed_in(make_user())
    first = reader.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as shared:
        again = reader.get(article.get_absolute_url())
    assert again.content.decode().count('class="comment ') == first.content.decode().count(
        'class="comment '
    )
    assert again.content.decode().count('class="comment ') >= 130  # 100 threads and replies
    assert len(shared) <= 12, [q["sql"][:80] for q in shared.captured_queries]
    # A new comment: the list is rendered again, once, with as many queries as before.
    make_comment(article, text="تعليق آخر")
    reader.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as after:
        reader.get(article.get_absolute_url())
    assert len(after) == len(shared)


def test_signed_in_reader_can_use_own_controls_on_a_shared_list():
    article = make_article()
    writer, other = make_established_reader(), make_user()
    mine = make_comment(article, author=writer, text="تعليقي أنا")
    theirs = make_comment(article, author=other, text="تعليق غيري")
    _signed_in(make_user()).get(article.get_absolute_url())  # someone else fills the cache
    client = _signed_in(writer, enforce_csrf_checks=True)
    page = client.get(article.get_absolute_url()).content.decode()
    own, foreign = _comment_html(page, mine.pk), _comment_html(page, theirs.pk)
    assert f"/comments/{mine.pk}/edit/" in own and f"/comments/{mine.pk}/delete/" in own
    assert "vote-form" not in own
    assert "vote-form" in foreign and f"/comments/{theirs.pk}/edit/" not in foreign
    # The vote form carries this reader's own CSRF token: voting with it is accepted.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', foreign).group(1)
    voted = client.post(
        f"/comments/{theirs.pk}/vote/", {"value": "1", "csrfmiddlewaretoken": token}
    )
    assert voted.status_code == 302
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-my-votes="{theirs.pk}:1"' in page
    assert '<bdi class="score" dir="ltr">+1</bdi>' in _comment_html(page, theirs.pk)


def test_signed_in_readers_cannot_see_each_others_controls():
    article = make_article()
    first, second = make_user(), make_user()
    one = make_comment(article, author=first, text="من الأول")
    two = make_comment(article, author=second, text="من الثاني")
    page_one = _signed_in(first).get(article.get_absolute_url()).content.decode()
    page_two = _signed_in(second).get(article.get_absolute_url()).content.decode()
    assert f"/comments/{one.pk}/edit/" in page_one and f"/comments/{two.pk}/edit/" not in page_one
    assert f"/comments/{two.pk}/edit/" in page_two and f"/comments/{one.pk}/edit/" not in page_two
    assert "MINBAR-CSRF" not in page_one + page_two


def test_signed_in_reader_can_see_a_deletion_and_a_rejection_at_once():
    article = make_article()
    author = make_user()
    gone = make_comment(article, author=author, text="سأحذفه")
    hidden = make_comment(article, text="سيُرفض")
    reader = _signed_in(make_user())
    reader.get(article.get_absolute_url())
    _signed_in(author).post(f"/comments/{gone.pk}/delete/")
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "سأحذفه" not in page and comment_count_shown(page) == 1
    discussion.do_change_comment_status(hidden, status="rejected")
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "سيُرفض" not in page and comment_count_shown(page) == 0


@pytest.mark.parametrize("first", ["writer", "other"])
def test_signed_in_reader_cannot_see_anothers_comment_awaiting_review(first):
    article = make_article()
    make_comment(article, text="تعليق ظاهر")
    writer, other = make_user(), make_user()
    make_comment(article, author=writer, text="ينتظر المراجعة", status="pending")
    clients = {"writer": _signed_in(writer), "other": _signed_in(other)}
    order = [first, "other" if first == "writer" else "writer"]
    pages = {}
    for _ in range(2):  # fill the shared list, then read from it
        for name in order:
            pages[name] = clients[name].get(article.get_absolute_url()).content.decode()
    assert "ينتظر المراجعة" in pages["writer"]
    assert "ينتظر المراجعة" not in pages["other"]
    assert "تعليق ظاهر" in pages["other"] and "تعليق ظاهر" in pages["writer"]


def test_signed_in_reader_can_see_an_article_edit_at_once():
    from minbar.news import actions as news

    article = make_article(title="العنوان الأول")
    reader = _signed_in(make_user())
    reader.get(article.get_absolute_url())
    assert "العنوان الأول" in reader.get(article.get_absolute_url()).content.decode()
    news.do_update_article(article, title="العنوان المعدّل")
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "العنوان المعدّل" in page and "العنوان الأول" not in page
    news.do_unpublish_article(article)
    assert reader.get(article.get_absolute_url()).status_code == 404
