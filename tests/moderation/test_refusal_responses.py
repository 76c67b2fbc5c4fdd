"""Every refusal of the discussion, the moderation area and the account pages becomes a
response one way (minbar.core.http.refusal_response): the page again with the reason and the
typed text for a person, JSON for a script, the refusal's 4xx for both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minbar.accounts.errors import AccountError
from minbar.core.errors import Refusal
from minbar.discussion.errors import DiscussionError
from minbar.moderation.errors import ModerationError
from minbar.moderation.models import WordListEntry
from tests.factories import make_comment
from tests.moderation.conftest import old_reader

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.mark.parametrize("kind", [DiscussionError, AccountError, ModerationError])
def test_each_apps_refusal_is_the_one_refusal_type(kind):
    refusal = kind("code", "message", status=429, field="text", retry_after=7)
    assert isinstance(refusal, Refusal)
    assert (refusal.code, refusal.status, refusal.field, refusal.retry_after) == (
        "code",
        429,
        "text",
        7,
    )


def test_moderator_sees_a_refused_word_again_with_the_reason(client, moderator):
    client.force_login(moderator)
    typed = "ك" * 500
    response = client.post(reverse("moderation:words"), {"word": typed, "kind": "banned"})
    assert response.status_code == 400
    body = response.content.decode()
    assert typed in body  # the typed text is kept in the form
    assert 'lang="ar"' in body
    assert not WordListEntry.objects.exists()


def test_script_gets_a_refused_word_as_json(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:words"), {"word": "ك" * 500, "kind": "banned"}, **JSON
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["ok"] is False and data["error"] == "too-long" and data["message"]


def test_script_gets_a_refused_report_as_json_with_its_status(client, article, reader):
    comment = make_comment(article, author=old_reader("someone"))
    client.force_login(reader)
    response = client.post(
        reverse("moderation:report", args=[comment.pk]), {"reason": "nonsense"}, **JSON
    )
    assert response.status_code == 400
    assert response.json()["error"] == "bad-reason"


def test_reader_sees_a_refused_display_name_with_the_typed_name_kept(client, reader):
    client.force_login(reader)
    typed = "اسم" * 40
    response = client.post(reverse("accounts:settings"), {"display_name": typed})
    assert response.status_code == 400
    assert typed in response.content.decode()


def test_moderation_forms_take_their_lengths_from_the_models(client, moderator, monkeypatch):
    # One source per rule: the maxlength a form shows is the length the action accepts.
    from minbar.moderation import models

    monkeypatch.setattr(models, "WORD_MAX", 77)
    monkeypatch.setattr(models, "REASON_MAX", 333)
    client.force_login(moderator)
    assert 'maxlength="77"' in client.get(reverse("moderation:words")).content.decode()
    reader = old_reader("someone")
    page = client.get(reverse("moderation:reader", args=[reader.pk])).content.decode()
    assert page.count('maxlength="333"') == 2  # suspend and ban (lift shows when sanctioned)


def test_script_gets_a_refused_comment_as_json_with_its_status(client, article, reader):
    client.force_login(reader)
    url = reverse("discussion:post", kwargs={"slug": article.slug})
    response = client.post(url, {"text": "ك" * 6000}, **JSON)
    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False and data["error"] == "too-long" and data["message"]


def test_reader_sees_a_refused_edit_again_with_the_text_kept(client, article, reader):
    comment = make_comment(article, author=reader, text="تعليق أول")
    client.force_login(reader)
    typed = "نص جديد " * 1000
    response = client.post(reverse("discussion:edit", args=[comment.pk]), {"text": typed})
    assert response.status_code == 400
    assert typed.strip() in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "تعليق أول"


def test_reader_cannot_send_a_malformed_edit_and_gets_a_4xx(client, article, reader):
    comment = make_comment(article, author=reader, text="تعليق أول")
    client.force_login(reader)
    response = client.post(
        reverse("discussion:edit", args=[comment.pk]), {"text": "نص", "parent": "x"}
    )
    assert response.status_code == 400
    assert "نص" in response.content.decode()


def test_script_gets_a_refused_deletion_as_json(client, article, reader):
    comment = make_comment(article, author=reader, text="تعليق")
    client.force_login(reader)
    url = reverse("discussion:delete", args=[comment.pk])
    assert client.post(url).status_code == 302
    response = client.post(url, **JSON)  # already deleted
    assert response.status_code == 410
    assert response.json() == {"ok": False, "error": "gone", "message": response.json()["message"]}


def test_moderator_without_the_word_lists_gets_the_refusals_status_and_json(client):
    from django.contrib.auth.models import Permission

    entry = WordListEntry.objects.create(word="كلمة", folded="كلمة", kind="banned")
    moderator = old_reader("comments_only")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_comments"))
    client.force_login(moderator)
    response = client.post(reverse("moderation:word-delete", args=[entry.pk]), **JSON)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    page = client.post(reverse("moderation:word-delete", args=[entry.pk]))
    assert page.status_code == 403 and 'lang="ar"' in page.content.decode()
    assert WordListEntry.objects.filter(pk=entry.pk).exists()
