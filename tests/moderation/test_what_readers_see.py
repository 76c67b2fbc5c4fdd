"""The word lists and the new-reader link hold judge the comment as readers get it: the rendered
text (entities decoded, emphasis and code marks gone, invisible characters folded) and the
links of the rendered HTML, however they were written. On posting and on editing alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minbar.discussion.models import Comment
from minbar.moderation.actions import check_add_word
from tests.factories import make_comment, make_user
from tests.moderation.conftest import page, post_comment

pytestmark = pytest.mark.django_db

# (how it is written, the Markdown): each shows "scamcoin" or "غبي" to the reader.
HIDDEN_WORDS = [
    ("decimal entity", "buy sc&#97;mcoin now"),
    ("hex entity", "buy sc&#x61;mcoin now"),
    ("named entity around it", "buy&nbsp;scamcoin&nbsp;now"),
    ("emphasis inside", "buy sc*am*coin now"),
    ("strong inside", "buy s**cam**coin now"),
    ("underscore emphasis around", "buy _scamcoin_ now"),
    ("code span inside", "buy sc`am`coin now"),
    ("emphasis and zero-width space", "buy sc*a\u200bm*coin now"),
    ("link text", "buy [scamcoin](https://shop.example) now"),
    ("link address", "buy [here](https://scamcoin.example/) now"),
    ("percent-encoded address", "buy [here](https://x.example/%73camcoin) now"),
    ("arabic, entity", "أنت غ&#1576;ي"),
    ("arabic, emphasis and harakat", "أنت غ*بِ*ي"),
    ("arabic, strong and tatweel", "أنت **غ**ـــبي"),
    ("arabic, zero-width joiner and emphasis", "أنت غ\u200d*ب*ي"),
]

# (how it is written, the Markdown): each gives the reader three links to follow or copy.
THREE_LINKS = [
    ("scheme-relative", "[a](//a.example) [b](//b.example) [c](//c.example)"),
    (
        "entity-encoded scheme",
        "[a](&#104;ttp://a.example) [b](&#x68;ttps://b.example) [c](&#104;ttp://c.example)",
    ),
    ("autolinks", "<https://a.example> <http://b.example> <https://c.example>"),
    (
        "reference links",
        "[a][1] [b][2] [c][3]\n\n[1]: https://a.example\n[2]: //b.example\n[3]: http://c.example",
    ),
    (
        "entity-encoded addresses in text",
        "&#104;ttp://a.example &#104;ttp://b.example www.c.example",
    ),
    ("mixed", "<https://a.example> [b](//b.example) www.c.example"),
]


@pytest.fixture
def lists(moderator):
    check_add_word(moderator=moderator, word="scamcoin", kind="banned")
    check_add_word(moderator=moderator, word="غبي", kind="banned")
    check_add_word(moderator=moderator, word="تافه", kind="suspect")


def typed_text(response) -> str:
    return "".join(page(response).find("textarea", id="id_text")[0]["text"])


def test_reader_cannot_post_a_banned_word_hidden_by_markdown_or_entities(
    client, lists, article, reader
):
    client.force_login(reader)
    missed = []
    for how, text in HIDDEN_WORDS:
        response = post_comment(client, article, text)
        if response.status_code != 403 or typed_text(response) != text:
            missed.append((how, response.status_code))
    assert missed == []
    assert not Comment.objects.exists()


def test_a_suspect_word_written_with_an_entity_holds_the_comment(client, lists, article, reader):
    client.force_login(reader)
    assert post_comment(client, article, "مقال ت&#1575;فه").status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_words_are_still_matched_as_whole_words_after_rendering(client, lists, article, reader):
    """Joining emphasis back must not glue separate words: "scam" in one paragraph and "coin"
    in the next are two words, and an innocent word around a listed one is not it."""
    client.force_login(reader)
    for text in ("scam\n\ncoin", "- scam\n- coin", "*scamcoins* are many", "غبية الفكرة؟ لا"):
        assert post_comment(client, article, text).status_code == 302, text


def test_a_new_readers_comment_with_three_links_however_written_is_held(client, article):
    held = []
    for n, (how, text) in enumerate(THREE_LINKS):
        newcomer = make_user(f"linker{n}")
        client.force_login(newcomer)
        assert post_comment(client, article, text).status_code == 302, how
        comment = Comment.objects.filter(author=newcomer).get()
        held.append((how, comment.status))
    assert held == [(how, Comment.Status.PENDING) for how, _text in THREE_LINKS]


def test_a_new_readers_comment_with_two_links_is_shown(client, article):
    newcomer = make_user("two_links")
    client.force_login(newcomer)
    post_comment(client, article, "[a](//a.example) و <https://b.example> و name@example.org")
    assert Comment.objects.get(author=newcomer).status == Comment.Status.VISIBLE


# --- edits -----------------------------------------------------------------------------------


def edit(client, comment, text: str):
    return client.post(reverse("discussion:edit", args=[comment.pk]), {"text": text})


def test_a_new_reader_editing_six_links_into_a_shown_comment_sends_it_back_to_review(
    client, article
):
    newcomer = make_user("editor_of_links")
    client.force_login(newcomer)
    post_comment(client, article, "رأي بلا روابط")
    comment = Comment.objects.get(author=newcomer)
    assert comment.status == Comment.Status.VISIBLE
    article.refresh_from_db()
    assert article.comment_count == 1

    links = " ".join(f"[{n}](//site{n}.example)" for n in range(6))
    assert edit(client, comment, f"رأي مع روابط {links}").status_code == 302
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert article.comment_count == 0
    client.logout()
    assert "site0.example" not in client.get(article.get_absolute_url()).content.decode()


def test_an_established_reader_may_edit_links_into_a_comment(client, article, reader):
    make_comment(article, author=reader, text="١")
    make_comment(article, author=reader, text="٢")
    client.force_login(reader)
    post_comment(client, article, "رأي")
    comment = Comment.objects.filter(author=reader).latest("pk")
    links = " ".join(f"<https://site{n}.example>" for n in range(6))
    assert edit(client, comment, f"رأي {links}").status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE


def test_an_edit_bringing_in_a_disguised_banned_word_is_refused_with_the_text_kept(
    client, lists, article, reader
):
    client.force_login(reader)
    post_comment(client, article, "رأي هادئ")
    comment = Comment.objects.get()
    refused = edit(client, comment, "رأي sc&#97;m*coi*n")
    assert refused.status_code == 403
    assert "غير مسموح بها" in refused.content.decode()
    assert typed_text(refused) == "رأي sc&#97;m*coi*n"
    comment.refresh_from_db()
    assert comment.body == "رأي هادئ" and comment.status == Comment.Status.VISIBLE


def test_an_edit_with_a_disguised_suspect_word_sends_the_comment_back(
    client, lists, article, reader
):
    client.force_login(reader)
    post_comment(client, article, "رأي هادئ")
    comment = Comment.objects.get()
    assert edit(client, comment, "رأي **تا**فه").status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
