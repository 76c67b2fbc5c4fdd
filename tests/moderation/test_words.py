"""Word lists through HTTP: moderators edit them; banned words refuse a comment however they are
disguised, suspect words hold it; a reader's identical comment within 5 minutes is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from minbar.discussion.models import Comment
from minbar.moderation.actions import check_add_word
from minbar.moderation.models import AuditEntry, WordListEntry
from tests.moderation.conftest import page, post_comment

pytestmark = pytest.mark.django_db

BANNED = ["غبي", "كلب", "أحمق", "حقيرة", "idiot", "ابن كلب"]
SUSPECT = ["تافه"]

# (what the disguise is, what the reader types): every one must be refused.
DISGUISES = [
    ("plain", "أنت غبي جدًا"),
    ("harakat", "أنت غَبِيٌّ"),
    ("tatweel", "أنت غـــــبي"),
    ("alef without hamza", "يا احمق"),
    ("alef with hamza below", "يا إحمق"),
    ("alef with madda", "يا آحمق"),
    ("alef maqsura for yeh", "أنت غبى"),
    ("heh for ta marbuta", "فكرة حقيره"),
    ("presentation forms", "أنت ﻏﺒﻲ"),
    ("zero-width space and non-joiner", "أنت غ\u200bب\u200cي"),
    ("zero-width joiner", "يا ك\u200dلب"),
    ("bidi override inside", "يا ك\u202eلب"),
    ("keheh", "يا کلب"),
    ("farsi yeh", "أنت غبی"),
    ("letters split by spaces", "يا ك ل ب"),
    ("letters split by dots", "يا ك.ل.ب"),
    ("letters split by dashes", "يا ك - ل - ب"),
    ("arabic comma as boundary", "يا كلب، اسكت"),
    ("arabic semicolon as boundary", "قلت؛كلب؛ ثم سكت"),
    ("arabic question mark as boundary", "هل أنت كلب؟"),
    ("guillemets as boundary", "قال «غبي» وذهب"),
    ("attached prefix", "والكلب نبح"),
    ("stretched letters", "كلللللب"),
    ("latin capitals", "you are an IDIOT"),
    ("phrase with extra spaces", "يا ابن   كلب"),
    ("markdown emphasis", "أنت **غبي**"),
]

# Words that contain or resemble a listed one but are not it: all posted.
INNOCENT = ["قلب طيب", "كانت غبية الفكرة؟ لا", "الاستغباء ظاهرة", "مكلبش في رأيه", "أحمد"]


@pytest.fixture
def lists(moderator):
    for kind, words in (("banned", BANNED), ("suspect", SUSPECT)):
        for word in words:
            check_add_word(moderator=moderator, word=word, kind=kind)


def test_moderator_can_fill_the_lists_through_the_moderation_area(client, moderator):
    client.force_login(moderator)
    for word in BANNED:
        response = client.post(reverse("moderation:words"), {"word": word, "kind": "banned"})
        assert response.status_code == 302, word
    client.post(reverse("moderation:words"), {"word": "تافه", "kind": "suspect"})
    assert set(WordListEntry.objects.filter(kind="banned").values_list("word", flat=True)) == set(
        BANNED
    )
    assert WordListEntry.objects.filter(kind="suspect", word="تافه").exists()


def test_reader_cannot_post_a_banned_word_however_disguised(client, lists, article, reader):
    client.force_login(reader)
    missed = []
    for disguise, text in DISGUISES:
        response = post_comment(client, article, text)
        typed = "".join(page(response).find("textarea", id="id_text")[0]["text"])
        refused = (
            response.status_code == 403
            and "غير مسموح بها" in response.content.decode()
            # The text comes back in the form as typed (controls aside), to be rephrased.
            and typed.replace("\u202e", "") == text.replace("\u202e", "")
        )
        if not refused:
            missed.append((disguise, response.status_code))
    assert missed == []
    assert not Comment.objects.exists()


def test_reader_can_post_words_that_only_resemble_banned_ones(client, lists, article, reader):
    client.force_login(reader)
    for text in INNOCENT:
        assert post_comment(client, article, text).status_code == 302, text
    assert Comment.objects.visible().count() == len(INNOCENT)


def test_suspect_word_holds_the_comment_for_review(client, lists, article, reader):
    client.force_login(reader)
    assert post_comment(client, article, "مقال تـافـه").status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    article.refresh_from_db()
    assert article.comment_count == 0


def test_an_edit_cannot_bring_in_a_banned_word_and_a_suspect_one_sends_it_back(
    client, lists, article, reader
):
    client.force_login(reader)
    post_comment(client, article, "رأي هادئ")
    comment = Comment.objects.get()
    url = reverse("discussion:edit", args=[comment.pk])
    refused = client.post(url, {"text": "رأي غ ب ي"})
    assert refused.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "رأي هادئ"
    assert client.post(url, {"text": "رأي تافه"}).status_code == 302
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and article.comment_count == 0


def test_moderator_can_remove_a_word_and_it_is_allowed_again(client, lists, article, reader):
    entry = WordListEntry.objects.get(word="غبي")
    client.force_login(reader)
    assert post_comment(client, article, "غبي").status_code == 403
    client.force_login(entry.created_by)
    assert client.post(reverse("moderation:word-delete", args=[entry.pk])).status_code == 302
    client.force_login(reader)
    assert post_comment(client, article, "غبي").status_code == 302
    assert AuditEntry.objects.filter(action="remove-word", details__word="غبي").exists()


def test_moderator_cannot_add_the_same_word_twice_in_another_spelling(client, lists, moderator):
    client.force_login(moderator)
    response = client.post(reverse("moderation:words"), {"word": "غَبى", "kind": "suspect"})
    assert response.status_code == 409
    assert "غبي" in response.content.decode()
    assert WordListEntry.objects.filter(kind="suspect").count() == len(SUSPECT)


def test_moderator_sees_the_lists_and_the_log_records_who_added_what(client, lists, moderator):
    client.force_login(moderator)
    tree = page(client.get(reverse("moderation:words")))
    banned = [" ".join("".join(e["text"]).split()) for e in tree.find("ul", data_list="banned")]
    for word in BANNED:
        assert word in banned[0]
    entry = AuditEntry.objects.get(action="add-word", details__word="idiot")
    assert entry.actor == moderator and entry.details["list"] == "banned"


# --- the same comment twice -----------------------------------------------------------------


def test_reader_cannot_post_the_same_comment_twice_within_5_minutes(
    client, article, reader, settings
):
    settings.MINBAR_DUPLICATE_COMMENT_SECONDS = 300
    client.force_login(reader)
    assert post_comment(client, article, "اشترِ الآن من موقعنا").status_code == 302
    again = post_comment(client, article, "  اشترِ   الآن من موقعنا ")
    assert again.status_code == 429
    assert 295 <= int(again["Retry-After"]) <= 300
    assert "نشرت هذا التعليق نفسه" in again.content.decode()
    assert Comment.objects.count() == 1
    # Something new is fine at once.
    assert post_comment(client, article, "تعليق مختلف").status_code == 302
    # And the same text again once five minutes have passed.
    Comment.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5, seconds=1))
    assert post_comment(client, article, "اشترِ الآن من موقعنا").status_code == 302
