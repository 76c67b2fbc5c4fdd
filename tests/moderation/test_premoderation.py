"""Pre-moderation through HTTP: site modes, the per-article override, links from new readers,
and the author's own pending comment shown to them alone, marked."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import reverse

from minbar.discussion.models import Comment
from minbar.moderation.actions import do_update_site_settings
from minbar.moderation.models import AuditEntry
from tests.factories import make_comment, make_user
from tests.moderation.conftest import (
    Tree,
    heading_and_counter,
    old_reader,
    page,
    post_comment,
)
from tests.state import reader_state

pytestmark = pytest.mark.django_db


def set_mode(staff, mode: str) -> None:
    do_update_site_settings(staff=staff, premoderation=mode)


def last_comment(author) -> Comment:
    return Comment.objects.filter(author=author).latest("pk")


def approve(client, moderator, comment):
    client.force_login(moderator)
    response = client.post(reverse("moderation:approve", args=[comment.pk]))
    assert response.status_code == 302


def test_with_premoderation_off_comments_appear_at_once(client, article, reader):
    client.force_login(reader)
    post_comment(client, article, "تعليق فوري")
    assert last_comment(reader).status == Comment.Status.VISIBLE


def test_new_readers_first_two_comments_wait_for_approval(client, staff, moderator, article):
    set_mode(staff, "new")
    newcomer = make_user("newcomer")
    for n in range(2):
        client.force_login(newcomer)
        post_comment(client, article, f"تعليق رقم {n}")
        comment = last_comment(newcomer)
        assert comment.status == Comment.Status.PENDING, n
        approve(client, moderator, comment)
    client.force_login(newcomer)
    post_comment(client, article, "الثالث يظهر فورًا")
    assert last_comment(newcomer).status == Comment.Status.VISIBLE
    article.refresh_from_db()
    assert article.comment_count == 3


def test_a_reader_with_two_shown_comments_is_not_new(client, staff, article, reader):
    set_mode(staff, "new")
    make_comment(article, author=reader, text="قديم ١")
    make_comment(article, author=reader, text="قديم ٢")
    client.force_login(reader)
    post_comment(client, article, "جديد")
    assert last_comment(reader).status == Comment.Status.VISIBLE


def test_with_premoderation_for_all_every_reader_waits_but_moderators_do_not(
    client, staff, moderator, article, reader
):
    set_mode(staff, "all")
    make_comment(article, author=reader, text="قديم ١")
    make_comment(article, author=reader, text="قديم ٢")
    client.force_login(reader)
    post_comment(client, article, "ينتظر")
    assert last_comment(reader).status == Comment.Status.PENDING
    client.force_login(moderator)
    post_comment(client, article, "تعليق المشرف")
    assert last_comment(moderator).status == Comment.Status.VISIBLE


def test_an_article_can_override_the_site_mode(client, staff, moderator, article, reader):
    set_mode(staff, "all")
    client.force_login(moderator)
    url = reverse("moderation:article", args=[article.pk])
    response = client.post(url, {"comments_open": "on", "premoderation": "off", "reason": "هادئ"})
    assert response.status_code == 302
    client.force_login(reader)
    post_comment(client, article, "يظهر فورًا")
    assert last_comment(reader).status == Comment.Status.VISIBLE
    # And the other way: the site is open, one sensitive article waits for approval.
    set_mode(staff, "off")
    client.force_login(moderator)
    client.post(url, {"comments_open": "on", "premoderation": "all"})
    client.force_login(reader)
    post_comment(client, article, "ينتظر هنا")
    assert last_comment(reader).status == Comment.Status.PENDING
    entries = AuditEntry.objects.filter(action="article-premod", article=article)
    assert [e.details["after"] for e in entries.order_by("created_at", "pk")] == ["off", "all"]


def test_new_readers_comment_with_more_than_two_links_is_held(client, article):
    newcomer = make_user("linker")
    client.force_login(newcomer)
    post_comment(client, article, "روابط: https://a.example و https://b.example")
    assert last_comment(newcomer).status == Comment.Status.VISIBLE
    post_comment(
        client, article, "انظر https://a.example و [هنا](https://b.example) و www.c.example"
    )
    assert last_comment(newcomer).status == Comment.Status.PENDING


def test_an_established_reader_may_post_several_links(client, article):
    regular = old_reader("regular")
    make_comment(article, author=regular, text="١")
    make_comment(article, author=regular, text="٢")
    client.force_login(regular)
    post_comment(client, article, "https://a.example https://b.example https://c.example")
    assert last_comment(regular).status == Comment.Status.VISIBLE


def test_author_sees_their_pending_comment_marked_and_nobody_else_does(
    client, staff, article, reader
):
    set_mode(staff, "all")
    make_comment(article, text="تعليق ظاهر")
    client.force_login(reader)
    post_comment(client, article, "تعليقي المنتظر")
    pending = last_comment(reader)

    # The page is the same for everyone; the author's state brings their comment in place.
    assert f"comment-{pending.pk}" not in client.get(article.get_absolute_url()).content.decode()
    waiting = reader_state(client, article)["discussion"]["pending"]
    assert [(p["id"], p["parent"]) for p in waiting] == [(pending.pk, None)]
    own = page(HttpResponse(waiting[0]["html"]))
    mine = own.find("li", id=f"comment-{pending.pk}")
    assert mine and "comment--pending" in mine[0]["classes"]
    assert "بانتظار المراجعة" in Tree.text_of(mine[0]) or "المراجعة" in Tree.text_of(mine[0])
    assert "تعليقي المنتظر" in Tree.text_of(mine[0])
    # The heading and the counter count what everyone sees: the pending comment is not in them.
    assert heading_and_counter(client, article) == ("تعليق واحد", "1")

    client.force_login(old_reader("someone_else"))
    other = client.get(article.get_absolute_url()).content.decode()
    assert "تعليقي المنتظر" not in other and f"comment-{pending.pk}" not in other
    assert reader_state(client, article)["discussion"]["pending"] == []
    client.logout()
    anonymous = client.get(article.get_absolute_url()).content.decode()
    assert "تعليقي المنتظر" not in anonymous
    assert heading_and_counter(client, article) == ("تعليق واحد", "1")
