"""The results page through HTTP: hits, snippets, filters, order, pages, counts, languages."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from minbar.discussion.policy import THREADS_PER_PAGE
from minbar.news import actions as news
from minbar.search import policy
from tests.factories import make_article, make_comment, make_section, make_user
from tests.search.conftest import page_of, text_of
from tests.search.helpers import found_articles, found_comments, search

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def noon_utc(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)


def test_search_page_answers_in_arabic_and_in_english(client):
    assert reverse("search:results") == "/search/"
    arabic = client.get("/search/")
    english = client.get("/en/search/")
    assert arabic.status_code == english.status_code == 200
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert "كيف تبحث" in text_of(arabic)
    assert "How to search" in text_of(english)


def test_header_search_box_sends_readers_to_the_search_page(client):
    make_article()
    for prefix, action in (("/", "/search/"), ("/en/", "/en/search/")):
        html = client.get(prefix).content.decode()
        assert f'<form class="search-box" role="search" action="{action}" method="get">' in html


def test_reader_can_see_article_hits_with_their_words_marked(client, committed):
    with committed():
        article = make_article(
            title="الحكومة تقر الموازنة",
            body="قال وزير المالية إن <الموازنة> الجديدة تدعم الحكومات المحلية.",
        )
    response = search(client, "حكومة موازنة")
    page = page_of(response)
    assert page.articles == [article.pk]
    assert page.marks == ["الحكومة", "الموازنة", "الموازنة", "الحكومات"]
    assert article.get_absolute_url() in page.links
    html = response.content.decode()
    assert "&lt;<mark>الموازنة</mark>&gt;" in html  # the body's own markup stays text


def test_reader_can_find_comments_and_jump_to_them(client, committed):
    with committed():
        article = make_article(title="مقال عن النقل")
        comment = make_comment(article, text="القطار السريع سيغير حياتنا")
    response = search(client, "قطار", show="comments")
    page = page_of(response)
    assert page.comments == [comment.pk]
    assert f"{article.get_absolute_url()}#comment-{comment.pk}" in page.links
    assert page.marks == ["القطار"]
    assert "/search/?q=" in "".join(page.links)  # the tabs keep the query


def test_comment_hits_beyond_the_first_page_of_threads_lead_to_their_page(client, committed):
    article = make_article(title="نقاش طويل")
    reader = make_user()
    for n in range(THREADS_PER_PAGE):
        make_comment(article, author=reader, text=f"رأي عابر رقم {n}")
    with committed():
        late = make_comment(article, text="القطار السريع وصل متأخرا")
    response = search(client, "قطار", show="comments")
    page = page_of(response)
    assert page.comments == [late.pk]
    permalink = reverse("discussion:permalink", kwargs={"comment_id": late.pk})
    assert permalink in page.links
    assert f"#comment-{late.pk}" not in "".join(page.links)  # page 1 would not hold it
    landing = client.get(permalink)
    assert landing.status_code == 302
    assert landing["Location"] == f"{article.get_absolute_url()}?page=2#comment-{late.pk}"


def test_title_words_rank_above_body_words(client, committed):
    with committed():
        in_body = make_article(
            title="أخبار اليوم", body="حديث عن الزلزال", published_at=days_ago(1)
        )
        in_title = make_article(title="الزلزال", body="حديث قصير", published_at=days_ago(2))
    assert found_articles(client, "زلزال") == [in_title.pk, in_body.pk]
    assert found_articles(client, "زلزال", sort="date") == [in_body.pk, in_title.pk]


def test_newer_articles_rank_first_when_the_text_is_the_same(client, committed):
    with committed():
        old = make_article(title="مهرجان", body="مهرجان الأفلام", published_at=days_ago(400))
        new = make_article(title="مهرجان", body="مهرجان الأفلام", published_at=days_ago(1))
    assert found_articles(client, "مهرجان") == [new.pk, old.pk]


def test_reader_can_filter_by_section(client, committed):
    sport, economy = make_section("رياضة"), make_section("اقتصاد")
    with committed():
        a = make_article(body="نتائج الدوري", section=sport)
        b = make_article(body="نتائج الشركات", section=economy)
        comment = make_comment(b, text="نتائج ممتازة")
    assert set(found_articles(client, "نتائج")) == {a.pk, b.pk}
    assert found_articles(client, "نتائج", section=sport.slug) == [a.pk]
    assert found_comments(client, "نتائج", section=sport.slug) == []
    assert found_comments(client, "نتائج", section=economy.slug) == [comment.pk]
    response = search(client, "نتائج", section="لا-يوجد")
    assert response.status_code == 400
    assert "لا يوجد قسم بهذا الاسم." in text_of(response)


def test_reader_can_filter_by_dates(client, committed):
    with committed():
        old = make_article(
            body="تقرير المناخ", published_at=dt.datetime(2020, 5, 1, 12, tzinfo=dt.UTC)
        )
        mid = make_article(
            body="تقرير المناخ", published_at=dt.datetime(2022, 5, 1, 12, tzinfo=dt.UTC)
        )
        new = make_article(body="تقرير المناخ", published_at=days_ago(1))
    found = found_articles
    assert found(client, "المناخ", sort="date") == [new.pk, mid.pk, old.pk]
    assert found(client, "المناخ", **{"from": "2021-01-01"}, sort="date") == [new.pk, mid.pk]
    assert found(client, "المناخ", to="2022-05-01") == [mid.pk, old.pk]  # "to" is inclusive
    assert found(client, "المناخ", **{"from": "2020-05-01", "to": "2020-05-01"}) == [old.pk]
    assert found(client, "المناخ", **{"from": "01/01/2021", "to": "31/12/2022"}) == [mid.pk]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2024-13-45"}, "أدخل تاريخًا مثل 2024-07-15."),
        ({"to": "yesterday"}, "أدخل تاريخًا مثل 2024-07-15."),
        ({"from": "2024-05-01", "to": "2024-01-01"}, "تاريخ النهاية قبل تاريخ البداية."),
        ({"from": "0001-01-01"}, "أدخل تاريخًا بين 1800-01-01 و2199-12-31."),
        ({"to": "9999-12-31"}, "أدخل تاريخًا بين 1800-01-01 و2199-12-31."),
    ],
)
def test_reader_cannot_filter_by_a_bad_date_and_is_told_why(client, params, message):
    response = search(client, "المناخ", **params)
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'value="المناخ"' in response.content.decode()  # what they typed is kept


def test_reader_can_page_through_many_results(client, committed):
    with committed():
        articles = [
            make_article(body="سوق الأسهم", published_at=days_ago(i + 1)) for i in range(13)
        ]
    first = page_of(search(client, "الأسهم", sort="date"))
    assert first.articles == [a.pk for a in articles[:10]]
    assert any("page=2" in link and "q=" in link for link in first.links)
    second = page_of(search(client, "الأسهم", sort="date", page=2))
    assert second.articles == [a.pk for a in articles[10:]]
    assert search(client, "الأسهم", page=3).status_code == 404
    assert search(client, "الأسهم", page="x").status_code == 404


@pytest.mark.parametrize(
    ("n", "heading"),
    [
        (0, "لا نتائج"),
        (1, "نتيجة واحدة"),
        (2, "نتيجتان"),
        (3, "3 نتائج"),
        (10, "10 نتائج"),
        (11, "11 نتيجةً"),
    ],
)
def test_result_count_uses_the_right_arabic_plural(client, committed, n, heading):
    with committed():
        for _ in range(n):
            make_article(body="الكسوف")
    response = search(client, "كسوف")
    assert page_of(response).count.strip() == heading


def test_result_count_beyond_the_cap_says_more_than(client, committed, monkeypatch):
    monkeypatch.setattr(policy, "MAX_RESULTS", 3)
    with committed():
        for _ in range(5):
            make_article(body="الخسوف")
    page = page_of(search(client, "خسوف"))
    assert page.count.strip() == "أكثر من 3 نتائج"
    english = page_of(client.get("/en/search/", {"q": "خسوف"}))
    assert english.count.strip() == "More than 3 results"


def test_english_count_is_plural_too(client, committed):
    with committed():
        make_article(body="الكسوف")
    assert page_of(client.get("/en/search/", {"q": "كسوف"})).count.strip() == "1 result"
    assert page_of(client.get("/en/search/", {"q": "قمر"})).count.strip() == "0 results"


def test_reader_gets_help_when_nothing_is_found(client, committed):
    section = make_section("علوم")
    with committed():
        article = make_article(title="مقال")
        make_comment(article, text="الفضاء واسع")
    response = search(client, "الفضاء", section=section.slug)
    assert response.status_code == 200
    text = text_of(response)
    assert "لا شيء يطابق بحثك." in text
    assert "أزل فلتر القسم أو التاريخ." in text
    assert "كيف تبحث" in text
    response = search(client, "الفضاء", show="articles")  # chosen: no comments instead
    assert "اطلع على التعليقات المطابقة." in text_of(response)


def test_search_page_costs_the_same_queries_however_many_hits(client, committed):
    with committed():
        article = make_article(body="الطاقة المتجددة")
        make_comment(article, text="الطاقة")
    search(client, "الطاقة")  # warm the protected-words cache
    with CaptureQueriesContext(connection) as few:
        assert search(client, "الطاقة").status_code == 200
    with committed():
        for _ in range(9):
            tag = news.do_get_or_create_tag(name="طاقة")
            more = make_article(body="الطاقة الشمسية", tags=[tag])
            make_comment(more, text="الطاقة")
    with CaptureQueriesContext(connection) as many:
        response = search(client, "الطاقة")
    assert len(page_of(response).articles) == 10
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    with CaptureQueriesContext(connection) as comments:
        assert len(found_comments(client, "الطاقة")) == 10
    assert len(comments) == len(few)


def test_republishing_keeps_results_in_step(client, committed):
    with committed():
        article = make_article(body="المعرض الدولي للكتاب")
    with committed():
        news.do_unpublish_article(article)
        news.do_publish_article(article)
    assert found_articles(client, "الكتاب") == [article.pk]


def test_section_tokens_of_the_index_are_not_words_a_reader_can_find(client, committed):
    section = make_section("تقنية")
    with committed():
        make_article(body="خبر عادي", section=section)
    assert found_articles(client, f"s{section.pk}") == []
    assert found_articles(client, "عادي", section=section.slug) != []


def test_reader_sees_the_matching_comments_when_no_article_matches(client, committed):
    with committed():
        article = make_article(title="مقال عن النقل", body="الحافلات في المدينة")
        comment = make_comment(article, text="القطار السريع سيغير حياتنا")
    response = search(client, "القطار")
    page = page_of(response)
    assert response.status_code == 200
    assert page.articles == [] and page.comments == [comment.pk]
    assert "لا يطابق بحثك أي مقال، وهذه تعليقات القراء التي تطابقه." in text_of(response)
    english = client.get("/en/search/", {"q": "القطار"})
    assert "No article matches your search; these readers’ comments do." in text_of(english)
    # The next page, if any, shows comments too; the articles tab, chosen, shows articles.
    assert any("show=comments" in link for link in page.links)
    chosen = page_of(search(client, "القطار", show="articles"))
    assert chosen.articles == [] and chosen.comments == []


def test_fallback_to_comments_costs_no_extra_query(client, committed):
    with committed():
        article = make_article(body="الحافلات")
        make_comment(article, text="القطار")
        make_comment(article, text="الحافلات")
    search(client, "القطار")  # warm the protected-words cache
    with CaptureQueriesContext(connection) as articles_found:
        assert page_of(search(client, "الحافلات")).articles == [article.pk]
    with CaptureQueriesContext(connection) as comments_instead:
        assert len(page_of(search(client, "القطار")).comments) == 1
    assert len(comments_instead) == len(articles_found)


def test_reader_is_offered_the_closest_spelling_when_nothing_matches(client, committed):
    with committed():
        article = make_article(title="الحكومة تقر الموازنة", body="جلسة طويلة للبرلمان")
    call_command("rebuild_search_index", stdout=StringIO())  # fills the vocabulary
    response = search(client, "الحكومع الموازنه")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-suggestion" in html
    [link] = [link for link in page_of(response).links if "حكومه" in unquote(link)]
    assert "هل تقصد" in text_of(response)
    assert page_of(client.get(f"/search/{link}")).articles == [article.pk]
    english = client.get("/en/search/", {"q": "الحكومع"})
    assert "Did you mean" in text_of(english)


def test_reader_is_offered_nothing_when_no_spelling_is_close(client, committed):
    with committed():
        make_article(title="الحكومة تقر الموازنة")
    call_command("rebuild_search_index", stdout=StringIO())
    for q in ("طماطم", "الحكومة طماطم", "<b>حكومع</b>", "حكو*"):
        response = search(client, q)
        assert response.status_code == 200
        assert "data-suggestion" not in response.content.decode(), q
    assert "data-suggestion" not in search(client, "الحكومة").content.decode()


def test_a_newly_published_word_can_be_suggested_before_any_rebuild(client, committed):
    with committed():
        make_article(title="الحكومة تقر الموازنة")
    response = search(client, "الحكومع")
    assert "data-suggestion" in response.content.decode()
    assert "حكومه" in unquote(" ".join(page_of(response).links))
