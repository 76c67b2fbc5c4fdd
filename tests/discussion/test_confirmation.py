"""After writing, the reader is told what happened, beside the comment (issue 13, point 7): the
message travels in the reader's state (the article page is the same for everyone), once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minbar.discussion.models import Comment
from minbar.moderation.actions import do_update_site_settings
from tests.factories import make_article, make_user
from tests.moderation.conftest import make_staff, old_reader
from tests.state import reader_state

pytestmark = pytest.mark.django_db


def _messages(client, article) -> list[str]:
    return [m["text"] for m in reader_state(client, article)["messages"]]


def test_a_published_comment_is_confirmed_once_and_targeted(client):
    article = make_article()
    client.force_login(old_reader("confirming_reader"))
    response = client.post(f"{article.get_absolute_url()}comments/", {"text": "تعليق للتأكيد"})
    comment = Comment.objects.get(body="تعليق للتأكيد")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert _messages(client, article) == ["نُشر تعليقك."]
    assert _messages(client, article) == []  # told once


def test_an_edit_is_confirmed(client):
    article = make_article()
    client.force_login(old_reader("editing_reader"))
    client.post(f"{article.get_absolute_url()}comments/", {"text": "قبل التعديل"})
    comment = Comment.objects.get(body="قبل التعديل")
    _messages(client, article)
    client.post(reverse("discussion:edit", args=[comment.pk]), {"text": "بعد التعديل"})
    assert _messages(client, article) == ["عُدّل تعليقك."]


def test_a_held_comment_says_it_waits_for_a_moderator(client):
    do_update_site_settings(staff=make_staff("confirm_staff"), premoderation="all")
    article = make_article()
    client.force_login(make_user("held_reader"))
    client.post(f"{article.get_absolute_url()}comments/", {"text": "تعليق ينتظر"})
    assert Comment.objects.get(body="تعليق ينتظر").status == Comment.Status.PENDING
    assert _messages(client, article) == ["شكرًا لك: سيظهر تعليقك بعد أن يوافق عليه أحد المشرفين."]
