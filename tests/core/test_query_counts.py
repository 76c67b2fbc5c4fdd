"""Exact query counts on the hot pages (the article, anonymous and signed in with the reader's
state, home, search, posting): a change in either direction shows, so a new query is a decision
and not an accident. Each page is measured with its per-worker caches warm, then again with
several times the data: both must cost exactly the number written here.

To change a number, read the queries the failure lists and say in the commit why."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minbar.discussion.models import Comment
from tests.factories import make_article, make_comment, make_established_reader, make_user
from tests.search.conftest import page_of

pytestmark = pytest.mark.django_db

# The article page, its discussion rendered (the test settings keep no rendered discussion):
# the article with its section, its tags, its authors, the count and the page of threads, their
# replies, which of their authors are on the team, the featured comments, the site's sections.
# (Moderation's settings, read for the closing, are kept by the worker.)
ARTICLE = 9
# The same page as served, its discussion kept for its version (MINBAR_FRAGMENT_CACHE): the
# article, its tags, its authors and the site's sections. The same bytes for a signed-in reader
# (decision 0009): no session or user query on the page.
ARTICLE_KEPT = 4
# The signed-in reader's own part (/me/state/), as tests/serving/test_reader_state.py counts it:
# session, reader, article, their own comments with their votes on the page (one query,
# decision 0020), which of their comments still in the edit window have replies.
READER_STATE = 5
# Home: the count for the pager, the page of articles, their rows, their authors, the sections,
# and the most discussed articles (one aggregate query).
HOME_ANONYMOUS = 6
# The same page for every reader (issue 11): a signed-in reader's costs no session or user query.
HOME_SIGNED_IN = 6
# Search: the sections (the form's filter), the page of hits and a count of each kind of hit,
# the articles shown, the sections again (the site's navigation). PostgreSQL counts the page's
# kind in the page's own walk (decision 0021): one query fewer.
SEARCH = {"sqlite": 6, "postgresql": 5}
# Posting: session, user, article; savepoint, insert, counter, release; the page to go to; and
# what the reader is told beside their comment (published, updated or held).
POST_COMMENT = 9


def _queries(do) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = do()
    assert response.status_code in (200, 302), response.status_code
    return [q["sql"] for q in queries.captured_queries]


def _articles(n: int, *, start: int = 0) -> list:
    made = []
    for i in range(start, start + n):
        article = make_article(title=f"خبر الطاقة {i}", body="الطاقة المتجددة")
        make_comment(article, text="الطاقة")
        made.append(article)
    return made


def test_home_page_costs_the_same_exact_queries_for_few_and_many_articles(client):
    _articles(2)
    client.get("/")  # warm the per-worker caches
    few = _queries(lambda: client.get("/"))
    _articles(12, start=2)
    many = _queries(lambda: client.get("/"))
    assert len(few) == HOME_ANONYMOUS, few
    assert len(many) == HOME_ANONYMOUS, many


def test_home_page_for_a_signed_in_reader_costs_exact_queries(client):
    _articles(2)
    client.force_login(make_established_reader())
    client.get("/")
    few = _queries(lambda: client.get("/"))
    _articles(12, start=2)
    many = _queries(lambda: client.get("/"))
    assert len(few) == HOME_SIGNED_IN, few
    assert len(many) == HOME_SIGNED_IN, many


def test_search_page_costs_exact_queries_however_many_hits(
    client, django_capture_on_commit_callbacks
):
    for i in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            _articles(1, start=i)
    client.get("/search/", {"q": "الطاقة"})  # warm the protected-words cache
    few = _queries(lambda: client.get("/search/", {"q": "الطاقة"}))
    for i in range(2, 14):
        with django_capture_on_commit_callbacks(execute=True):
            _articles(1, start=i)
    response = client.get("/search/", {"q": "الطاقة"})
    assert len(page_of(response).articles) == 10
    many = _queries(lambda: client.get("/search/", {"q": "الطاقة"}))
    assert len(few) == SEARCH[connection.vendor], few
    assert len(many) == SEARCH[connection.vendor], many


def test_posting_a_comment_costs_exact_queries_however_long_the_discussion(client):
    article = _articles(1)[0]
    reader = make_established_reader()
    client.force_login(reader)
    url = reverse("discussion:post", kwargs={"slug": article.slug})
    client.post(url, {"text": "تعليق يدفئ ما يحفظ في الذاكرة"})  # warm the settings, lists
    few = _queries(lambda: client.post(url, {"text": "تعليق ثان"}))
    for n in range(30):
        make_comment(article, text=f"تعليق رقم {n}")
    many = _queries(lambda: client.post(url, {"text": "تعليق ثالث"}))
    assert Comment.objects.filter(author=reader).count() == 3
    assert len(few) == POST_COMMENT, few
    assert len(many) == POST_COMMENT, many


def _discussion(article, *, threads: int) -> None:
    authors = [make_user() for _ in range(3)]
    for n in range(threads):
        root = make_comment(article, author=authors[n % 3], text=f"تعليق {n}")
        make_comment(article, author=authors[(n + 1) % 3], parent=root, text=f"رد {n}")


def test_article_page_costs_the_same_exact_queries_however_long_the_discussion(client):
    article = _articles(1)[0]
    url = article.get_absolute_url()
    client.get(url)  # warm the per-worker caches
    few = _queries(lambda: client.get(url))
    _discussion(article, threads=30)
    many = _queries(lambda: client.get(url))
    assert len(few) == ARTICLE, few
    assert len(many) == ARTICLE, many


def test_article_page_and_state_for_a_signed_in_reader_cost_exact_queries(
    client, settings, django_capture_on_commit_callbacks
):
    # As served: the rendered discussion is kept per version, and the state reads the ids of
    # the comments on the page from it.
    settings.MINBAR_FRAGMENT_CACHE = True
    caches["pages"].clear()
    article = _articles(1)[0]
    reader = make_established_reader()
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, author=reader, text="تعليقي الأول")
    url = article.get_absolute_url()
    state = reverse("serving:state")

    def measure() -> tuple[list[str], list[str]]:
        client.get(url)  # renders the discussion of this version once, and keeps it
        client.get(state, {"article": article.pk})  # the reader's permission sets, then kept
        return (
            _queries(lambda: client.get(url)),
            _queries(lambda: client.get(state, {"article": article.pk})),
        )

    few_page, few_state = measure()
    with django_capture_on_commit_callbacks(execute=True):
        _discussion(article, threads=30)
        for n in range(5):
            make_comment(article, author=reader, text=f"تعليقي {n}")
    many_page, many_state = measure()
    assert len(few_page) == ARTICLE_KEPT, few_page
    assert len(many_page) == ARTICLE_KEPT, many_page
    assert len(few_state) == READER_STATE, few_state
    assert len(many_state) == READER_STATE, many_state
