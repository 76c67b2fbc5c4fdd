"""The index follows every change made through the actions, and can be rebuilt and checked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command
from django.utils import timezone

from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment
from minbar.news import actions as news
from minbar.search import actions as search_actions
from minbar.search import selectors
from minbar.search.backends import get_backend
from minbar.search.documents import comment_row, indexable_comments
from minbar.search.models import ArticleEntry, CommentEntry, IndexState, ProtectedWord
from minbar.search.policy import search_key
from minbar.search.query import parse_query
from minbar.search.texts import COMMENT_COLUMNS, article_texts, comment_texts
from tests.factories import make_article, make_comment, make_editor, make_section
from tests.search.helpers import found_articles, found_comments

pytestmark = pytest.mark.django_db


def test_reader_can_find_an_article_once_it_is_published(client, committed):
    with committed():
        draft = make_article(title="قمة المناخ", body="اتفاق على خفض الانبعاثات.", published=False)
    assert found_articles(client, "الانبعاثات") == []
    with committed():
        news.do_publish_article(draft)
    assert found_articles(client, "انبعاثات") == [draft.pk]
    assert found_articles(client, "قمة") == [draft.pk]


def test_reader_cannot_find_an_unpublished_article_or_its_comments(client, committed):
    with committed():
        article = make_article(body="تقرير عن الزراعة في الصحراء.")
        comment = make_comment(article, text="الزراعة هنا صعبة")
    assert found_articles(client, "الزراعة") == [article.pk]
    assert found_comments(client, "الزراعة") == [comment.pk]
    with committed():
        news.do_unpublish_article(article)
    assert found_articles(client, "الزراعة") == []
    assert found_comments(client, "الزراعة") == []
    assert not CommentEntry.objects.exists()
    with committed():
        news.do_publish_article(article)
    assert found_comments(client, "الزراعة") == [comment.pk]


def test_reader_can_find_the_new_text_and_not_the_old_after_an_edit(client, committed):
    with committed():
        article = make_article(title="عنوان قديم", body="نص عن القطارات.")
    with committed():
        news.do_update_article(article, title="عنوان جديد", body="نص عن الطائرات.")
    assert found_articles(client, "القطارات") == []
    assert found_articles(client, "الطائرات") == [article.pk]
    editor = make_editor()
    with committed():
        first = article.revisions.order_by("created_at", "pk").first()
        news.do_restore_revision(first, editor=editor)
    assert found_articles(client, "القطارات") == [article.pk]
    assert found_articles(client, "الطائرات") == []


def test_reader_cannot_find_a_scheduled_article_before_its_time(client, committed):
    with committed():
        article = make_article(
            body="إعلان الميزانية الجديدة.",
            published_at=timezone.now() + dt.timedelta(hours=2),
        )
    assert article.status == "scheduled"
    assert ArticleEntry.objects.filter(article=article).exists()  # indexed, cut off by its key
    assert found_articles(client, "الميزانية") == []
    later = timezone.now() + dt.timedelta(hours=3)
    query = parse_query("الميزانية")
    results = selectors.search(query=query, filters=selectors.Filters(), now=later)
    assert [hit.article.pk for hit in results.hits] == [article.pk]


def test_comments_follow_posting_editing_deletion_and_moderation(client, committed):
    with committed():
        article = make_article()
        comment = make_comment(article, text="أحب كرة القدم")
        other = make_comment(article, text="كرة السلة أفضل")
    assert found_comments(client, "كرة") == [other.pk, comment.pk]  # newest first on a tie
    with committed():
        discussion.do_edit_comment(comment, text="أحب السباحة")
    assert found_comments(client, "القدم") == []
    assert found_comments(client, "السباحة") == [comment.pk]
    with committed():
        discussion.do_change_comment_status(other, status=Comment.Status.REJECTED)
    assert found_comments(client, "السلة") == []
    with committed():
        discussion.do_change_comment_status(other, status=Comment.Status.VISIBLE)
    assert found_comments(client, "السلة") == [other.pk]
    with committed():
        discussion.do_delete_comment(comment)
    assert found_comments(client, "السباحة") == []
    assert list(CommentEntry.objects.values_list("comment_id", flat=True)) == [other.pk]


def test_pending_comments_are_not_found(client, committed):
    with committed():
        article = make_article()
        make_comment(article, text="تعليق ينتظر المراجعة", status=Comment.Status.PENDING)
    assert found_comments(client, "المراجعة") == []


def test_deleting_an_article_takes_its_entries_and_text_away(client, committed):
    with committed():
        article = make_article(body="الغابات المطيرة")
        make_comment(article, text="الغابات جميلة")
    article.delete()
    assert not ArticleEntry.objects.exists() and not CommentEntry.objects.exists()
    with committed():
        fresh = make_article(body="الغابات الاستوائية")
    assert found_articles(client, "الغابات") == [fresh.pk]
    assert found_comments(client, "الغابات") == []


def test_moving_an_article_to_another_section_moves_its_comments(client, committed):
    with committed():
        article = make_article(section=make_section("رياضة"))
        comment = make_comment(article, text="مباراة رائعة")
    culture = make_section("ثقافة")
    with committed():
        news.do_update_article(article, section=culture)
    assert found_comments(client, "مباراة", section=culture.slug) == [comment.pk]
    assert CommentEntry.objects.get().section_id == culture.pk


def test_operator_can_rebuild_the_index_from_scratch(client, committed):
    article = make_article(body="محطات الطاقة الشمسية")  # not committed: the index missed it
    comment = make_comment(article, text="الطاقة النظيفة مستقبلنا")
    stale = make_article(body="الطاقة", published=False)
    ArticleEntry.objects.create(id=1, article=stale, section=stale.section)
    assert found_articles(client, "الطاقة") == []
    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "1", stdout=out)
    printed = out.getvalue()
    assert re.search(r"1 articles? .* /s", printed), printed
    assert re.search(r"1 comments? .* /s", printed), printed
    assert "removed 1" in printed
    assert found_articles(client, "الطاقة") == [article.pk]
    assert found_comments(client, "الطاقة") == [comment.pk]
    state = IndexState.objects.get()
    assert state.rebuilt_at is not None
    call_command("rebuild_search_index", "--clear", stdout=StringIO())
    assert found_articles(client, "الطاقة") == [article.pk]
    assert ArticleEntry.objects.count() == 1 and CommentEntry.objects.count() == 1


def _gin_indexes() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN "
            "('search_articleentry', 'search_commententry') AND indexdef LIKE '%%USING gin%%'"
        )
        return {name for (name,) in cursor.fetchall()}


def test_operator_can_rebuild_a_cleared_index_and_find_phrases_at_once(client):
    article = make_article(body="محطات الطاقة الشمسية في الجنوب")
    comment = make_comment(article, text="الطاقة الشمسية مستقبلنا")
    before = _gin_indexes() if get_backend().vendor == "postgresql" else set()
    call_command("rebuild_search_index", "--clear", "--batch-size", "1", stdout=StringIO())
    assert found_articles(client, '"الطاقة الشمسية"') == [article.pk]
    assert found_comments(client, '"الطاقة الشمسية"') == [comment.pk]
    assert found_articles(client, '"الشمسية الطاقة"') == []
    if get_backend().vendor == "postgresql":  # dropped for the rebuild, built again at its end
        assert len(before) == 4 and _gin_indexes() == before


def test_operator_can_rebuild_after_a_cleared_rebuild_was_killed(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL drops indexes for a cleared rebuild")
    article = make_article(body="محطات الطاقة الشمسية")
    before = _gin_indexes()
    with connection.cursor() as cursor:  # what a rebuild killed mid-way leaves
        cursor.execute("DROP INDEX search_articleentry_phrases")
        cursor.execute("DROP INDEX search_commententry_document")
    call_command("rebuild_search_index", stdout=StringIO())
    assert _gin_indexes() == before
    assert found_articles(client, '"الطاقة الشمسية"') == [article.pk]


def test_operator_can_rebuild_with_text_analysed_in_another_process(client):
    articles = [make_article(body=f"الطاقة رقم {n}") for n in range(3)]
    comments = [make_comment(a, text="الطاقة") for a in articles]
    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "1", "--workers", "1", stdout=out)
    assert "Indexed 3 articles" in out.getvalue() and "Indexed 3 comments" in out.getvalue()
    assert sorted(found_articles(client, "الطاقة")) == sorted(a.pk for a in articles)
    assert sorted(found_comments(client, "الطاقة")) == sorted(c.pk for c in comments)


def _search_warnings() -> set[str]:
    return {m.id for m in checks.run_checks(tags=["search"]) if m.id.startswith("search.")}


def test_operator_is_warned_when_the_index_needs_a_rebuild(committed):
    assert _search_warnings() == set()
    with committed():
        make_article()
    assert _search_warnings() == set()
    make_article()  # committed without the index: one article missing
    assert _search_warnings() == {"search.W003"}
    call_command("rebuild_search_index", stdout=StringIO())
    assert _search_warnings() == set()
    IndexState.objects.update(analyser_version=0)
    assert _search_warnings() == {"search.W001"}
    call_command("rebuild_search_index", stdout=StringIO())
    with committed():
        search_actions.do_save_protected_word(ProtectedWord(word="فيلان"))
    assert _search_warnings() == {"search.W002"}
    call_command("rebuild_search_index", stdout=StringIO())
    assert _search_warnings() == set()


def test_staff_protected_words_change_what_is_found_after_a_rebuild(client, committed):
    with committed():
        article = make_article(body="زرنا الفيلان في الصيف")
    # Without protection the stemmer cuts "فيلان" (like a dual ending) down to "فيل".
    assert found_articles(client, "فيل") == [article.pk]
    with committed():
        search_actions.do_save_protected_word(ProtectedWord(word="فيلان"))
    call_command("rebuild_search_index", stdout=StringIO())
    assert found_articles(client, "فيل") == []
    assert found_articles(client, "الفيلان") == [article.pk]


def test_staff_can_manage_protected_words_in_the_admin(client, committed):
    admin = make_editor()
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = "/admin/search/protectedword/add/"
    page = client.get(url)
    assert page.status_code == 200
    assert "rebuild_search_index" in page.content.decode()
    with committed():
        response = client.post(url, {"word": "فيلان", "note": "اسم مكان"})
    assert response.status_code == 302
    assert ProtectedWord.objects.get().word == "فيلان"
    bad = client.post(url, {"word": "كلمتان هنا", "note": ""})
    assert bad.status_code == 200 and ProtectedWord.objects.count() == 1
    assert "errorlist" in bad.content.decode()  # the refusal, on the word's field
    assert selectors.get_protected_words() == {"فيلان"}
    with committed():
        client.post(
            "/admin/search/protectedword/",
            {
                "action": "delete_selected",
                "_selected_action": [ProtectedWord.objects.get().pk],
                "post": "yes",
            },
        )
    assert selectors.get_protected_words() == frozenset()


def test_two_documents_dated_the_same_second_with_clashing_keys_are_both_found(client, committed):
    when = timezone.now() - dt.timedelta(hours=1)
    with committed():
        squatter = make_article(body="مكتبة المدينة", published_at=when)
        article = make_article(body="مكتبة الجامعة", published=False)
    # Give the squatter the key the article is about to get (ids equal modulo 2**22).
    key = search_key(when, article.pk)
    ArticleEntry.objects.filter(article=squatter).delete()
    texts = article_texts(
        [(squatter.pk, squatter.section_id, when, squatter.title, "", squatter.body_html)],
        tags={},
        extra_protected=frozenset(),
    )
    get_backend().add_articles([dataclasses.replace(texts[0], key=key)])
    with committed():
        news.do_publish_article(article, at=when)
    assert ArticleEntry.objects.get(article=article).id == key + 1
    assert sorted(found_articles(client, "مكتبة")) == sorted([squatter.pk, article.pk])


def _squat_the_next_comment_key(article):
    """A comment whose entry holds the key the next comment (next id, an hour ago) will get."""
    squatter = make_comment(article, text="مكتبة الحي")
    when = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    key = search_key(when, squatter.pk + 1)
    CommentEntry.objects.filter(comment=squatter).delete()
    texts = comment_texts(
        [(squatter.pk, article.pk, article.section_id, squatter.body_html, when, when)],
        extra_protected=frozenset(),
    )
    get_backend().add_comments([dataclasses.replace(texts[0], key=key)])
    return squatter, when, key


def _assert_both_found_apart(client, squatter, comment, key):
    assert comment.pk == squatter.pk + 1
    assert CommentEntry.objects.get(comment=comment).id == key + 1
    assert sorted(found_comments(client, "مكتبة")) == sorted([squatter.pk, comment.pk])


def test_a_comment_whose_key_is_taken_is_indexed_under_the_next_free_one(client, committed):
    with committed():
        article = make_article(title="نقاش", published_at=timezone.now() - dt.timedelta(days=1))
    squatter, when, key = _squat_the_next_comment_key(article)
    with committed():
        comment = make_comment(article, text="مكتبة المدرسة", created_at=when)
    _assert_both_found_apart(client, squatter, comment, key)


@pytest.mark.django_db(transaction=True)
def test_a_comment_posted_outside_any_transaction_finds_a_free_key_too(client):
    # Committed for real: the index is written after the commit, on PostgreSQL with the single
    # statement and no transaction of its own, which must still survive a taken key.
    article = make_article(title="نقاش", published_at=timezone.now() - dt.timedelta(days=1))
    squatter, when, key = _squat_the_next_comment_key(article)
    comment = make_comment(article, text="مكتبة المدرسة", created_at=when)
    _assert_both_found_apart(client, squatter, comment, key)


@pytest.mark.parametrize("article_state", ["published", "scheduled", "draft"])
@pytest.mark.parametrize("status", ["visible", "pending", "rejected"])
def test_a_posted_comment_is_indexed_by_the_same_rule_as_a_rebuild(article_state, status):
    # A new comment is indexed from the object just written (documents.comment_row), a rebuild
    # from the database (documents.indexable_comments): both must leave out the same ones.
    when = {
        "published": timezone.now() - dt.timedelta(days=1),
        "scheduled": timezone.now() + dt.timedelta(days=1),
        "draft": None,
    }[article_state]
    article = make_article(published=article_state != "draft", published_at=when)
    if article_state == "scheduled":
        news.do_schedule_article(article, at=when)
    comment = make_comment(article, text="رأي في الخبر", status=status)
    comment = Comment.objects.select_related("article").get(pk=comment.pk)
    from_object = comment_row(comment)
    from_database = list(indexable_comments().filter(pk=comment.pk).values_list(*COMMENT_COLUMNS))
    assert [from_object] == from_database if from_database else from_object is None
    assert (from_object is not None) == (status == "visible" and article_state != "draft")
