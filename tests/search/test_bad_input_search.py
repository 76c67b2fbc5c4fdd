"""Whatever a reader types, the search page answers with a page: never a 500, never their
markup back as markup."""

from __future__ import annotations

import pytest

from minbar.search.policy import MAX_QUERY_LENGTH
from tests.factories import make_article, make_comment
from tests.search.conftest import page_of, text_of
from tests.search.helpers import search

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "",
    " ",
    "\t\n  \u00a0",
    "و" * 5000,
    ("كلمة " * 1000)[:5000],
    "?!.,;:()[]{}<>«»،؛؟…",
    "OR",
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    '"',
    '"""',
    "-",
    "--",
    "AND",
    "NOT",
    "^",
    ":",
    "a:b",
    "'; DROP TABLE x; --",
    "1' OR '1'='1",
    '"; DELETE FROM search_article_fts; --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\x00\x01\x02",
    "\ud7ff\ufffd\U0001f600",
    "%s %(x)s {0} {{ q }}",
    "\\ \\\\ '' ''' \\'",
]


@pytest.fixture
def corpus(committed):
    with committed():
        article = make_article(title="خبر عن الأمن", body="نص الخبر عن alert و script")
        make_comment(article, text="تعليق عن OR و NEAR")
    return article


def test_reader_cannot_break_the_search_page(client, corpus):
    # One test over the whole table (one corpus, one database setup): each case names itself.
    for q in BAD_QUERIES:
        for show in ("articles", "comments"):
            case = f"q={q[:40]!r} show={show}"
            response = search(client, q, show=show)
            assert response.status_code in (200, 400), case
            html = response.content.decode()
            page = page_of(response)
            assert "img" not in page.tags, case
            assert page.tags.count("script") == 1, case  # the site's own script, nothing else
            assert not {name for name in page.attributes if name.startswith("on")}, case
            assert "<script>alert" not in html, case


def test_reader_sees_a_long_query_cut_with_a_note(client, corpus):
    response = search(client, "وزير " * 1000)
    assert response.status_code == 200
    assert f"اختُصر بحثك إلى أول {MAX_QUERY_LENGTH} حرف." in text_of(response)
    html = response.content.decode()
    value = html.split('id="search-page-q"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert len(value) <= MAX_QUERY_LENGTH


@pytest.mark.parametrize("q", ["", "   "])
def test_reader_is_invited_to_type_when_the_query_is_empty(client, q):
    response = search(client, q)
    assert response.status_code == 200
    assert "اكتب كلمة أو كلمتين للبحث في الأخبار ونقاشات القراء." in text_of(response)


@pytest.mark.parametrize("q", ["***", '"', "-", "^", ":", "؟!،"])
def test_reader_is_told_when_the_query_has_no_words(client, q):
    response = search(client, q)
    assert response.status_code == 200
    assert "لا يحتوي بحثك على كلمات" in text_of(response)


def test_reader_is_told_that_exclusions_alone_find_nothing(client):
    response = search(client, "-وزير")
    assert response.status_code == 200
    assert "يحتاج البحث إلى كلمة واحدة على الأقل" in text_of(response)


def test_reader_sees_their_markup_as_text(client, corpus):
    response = search(client, "<script>alert(1)</script>")
    html = response.content.decode()
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.split("<title>", 1)[1]


def test_operators_are_words_and_find_what_contains_them(client, corpus):
    page = page_of(search(client, "OR NEAR", show="comments"))
    assert len(page.comments) == 1
    assert page_of(search(client, "alert script")).articles == [corpus.pk]


def test_unknown_order_and_tab_fall_back_quietly(client, corpus):
    response = search(client, "الأمن", sort="'; DROP", show="<b>")
    assert response.status_code == 200
    assert page_of(response).articles == [corpus.pk]


# Issue 16's awkward inputs: each gets a page that either searches or says why it cannot.
AWKWARD = [
    ("في من على إلى عن", "searches"),  # stop words only: searched like any words
    ("\u064e\u064f\u0650\u0651\u0652", "no-words"),  # harakat only
    ("ـــــــ", "no-words"),  # tatweel only
    ("\u0640\u064e\u0640", "no-words"),
    ("Trumpترامب ترامبTrump", "searches"),  # mixed scripts in one word
    ("ترامب Trump ۲۰۲۴", "searches"),
    ('"ترامب', "searches"),  # unbalanced quotes
    ('ترامب" "بوتين', "searches"),
    ('"ترامب بوتين', "searches"),
    (" ".join(f"اسم{n}" for n in range(200)), "searches"),  # 200 unknown words
    (" ".join(["كوفيدوفيتش"] * 200), "searches"),  # 200 times a name with variants
]


@pytest.mark.parametrize(("q", "outcome"), AWKWARD, ids=[repr(a[0][:30]) for a in AWKWARD])
def test_reader_gets_a_page_for_awkward_queries(client, corpus, q, outcome):
    response = search(client, q)
    assert response.status_code == 200
    text = text_of(response)
    if outcome == "no-words":
        assert "لا يحتوي بحثك على كلمات" in text
    else:
        assert "search-count" in response.content.decode()


def test_arabic_indic_and_persian_digits_find_western_ones(client, committed):
    with committed():
        article = make_article(title="موازنة 2024", body="أرقام عام 1400 هجري")
    assert page_of(search(client, "٢٠٢٤")).articles == [article.pk]
    assert page_of(search(client, "۱۴۰۰")).articles == [article.pk]
    assert page_of(search(client, "موازنة ۲۰۲۴")).articles == [article.pk]


def test_a_query_of_many_words_is_cut_with_a_note(client, corpus):
    response = search(client, " ".join(f"اسم{n}" for n in range(200)))
    assert "استُخدمت أول" in text_of(response)
