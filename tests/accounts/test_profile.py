"""The reader's profile page and the display-name settings: what they show, how many queries,
and names that try to be HTML or to reorder the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import iri_to_uri

from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment
from tests.accounts.helpers import page
from tests.factories import make_article, make_comment, make_user
from tests.state import reader_state

pytestmark = pytest.mark.django_db
User = get_user_model()

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def joined(reader, when: dt.datetime) -> None:
    User.objects.filter(pk=reader.pk).update(date_joined=when)


def vote(comment, value: int, *, times: int) -> None:
    for _ in range(times):
        discussion.do_cast_vote(comment, voter=make_user(), value=value)


def test_reader_can_see_a_profile_with_counts_score_and_latest_comments(client):
    reader = make_user("كريم", display_name="كريم المصري")
    joined(reader, dt.datetime(2024, 3, 5, 12, tzinfo=dt.UTC))
    first = make_article(title="المقال الأول")
    second = make_article(title="المقال الثاني")
    older = make_comment(first, author=reader, text="تعليق **أقدم**.")
    newer = make_comment(second, author=reader, text="تعليق أحدث.")
    vote(older, +1, times=3)
    vote(newer, -1, times=1)
    # The importer keeps the old platform's score apart; it counts in the total.
    Comment.objects.filter(pk=newer.pk).update(imported_score=4)
    # Not counted: a deleted comment, and one under an article readers cannot open.
    gone = make_comment(first, author=reader, text="سيحذف")
    discussion.do_delete_comment(gone)
    make_comment(make_article(title="مسودة سرية", published=False), author=reader)

    response = client.get("/readers/كريم/")

    assert response.status_code == 200
    html = page(response)
    assert html.text("h1") == "كريم المصري"
    assert html.text("bdi", class_="profile__username") == "كريم"
    assert html.text("dd", class_="profile__joined") == "5 مارس 2024"
    assert html.text("dd", class_="profile__count") == "2"
    assert html.text("dd", class_="profile__score") == "+6"  # 3 + (4 - 1)
    links = [a["href"] for a, _ in html.all("a") if a.get("href", "").startswith("/comments/")]
    assert links == [f"/comments/{newer.pk}/", f"/comments/{older.pk}/"]
    assert [text for _, text in html.all("p", class_="card__title")] == [
        "المقال الثاني",
        "المقال الأول",
    ]
    assert "مسودة سرية" not in response.content.decode()
    assert [text for _, text in html.all("p", class_="profile__excerpt")][1] == "تعليق أقدم."


def test_reader_can_follow_a_profile_comment_to_the_comment(client):
    reader = make_user("reem_k")
    comment = make_comment(make_article(), author=reader)
    html = page(client.get("/readers/reem_k/"))
    href = next(a["href"] for a, _ in html.all("a") if a.get("href", "").startswith("/comments/"))
    response = client.get(href)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")


def test_reader_can_see_the_profile_of_an_imported_reader_nobody_has_claimed(client):
    imported = User(username="old_reader", is_active=False)
    imported.set_unusable_password()
    imported.save()
    make_comment(make_article(), author=imported, text="من الأرشيف")

    response = client.get("/readers/old_reader/")

    assert response.status_code == 200
    html = page(response)
    assert html.text("h1") == "old_reader"
    assert html.text("dd", class_="profile__count") == "1"
    assert html.text("dd", class_="profile__score") == "0"


def test_reader_is_sent_from_a_lookalike_address_to_the_real_profile(client):
    make_user("كريم")
    response = client.get("/readers/کریـم/")
    assert response.status_code == 302
    assert response["Location"] == iri_to_uri("/readers/كريم/")


def test_reader_gets_a_404_for_a_missing_profile(client):
    assert client.get("/readers/nobody_here/").status_code == 404
    assert client.get("/readers/" + "x" * 400 + "/").status_code == 404


def test_reader_can_read_a_profile_in_english(client):
    reader = make_user("reem_k")
    joined(reader, dt.datetime(2024, 3, 5, 12, tzinfo=dt.UTC))
    html = page(client.get("/en/readers/reem_k/"))
    assert html.all("html", lang="en", dir="ltr")
    assert html.text("dd", class_="profile__joined") == "5 March 2024"
    assert html.text("h2", id="latest-comments") == "Latest comments"


def test_profile_query_count_does_not_grow_with_comments(client, django_assert_max_num_queries):
    reader = make_user("reem_k")
    article = make_article()
    make_comment(article, author=reader)
    client.get("/readers/reem_k/")  # warm the per-process caches (site navigation)
    with CaptureQueriesContext(connection) as one_comment:
        assert client.get("/readers/reem_k/").status_code == 200

    articles = [article, make_article(), make_article()]
    for n in range(20):
        comment = make_comment(articles[n % 3], author=reader)
        if n % 4 == 0:
            vote(comment, +1, times=1)

    # The reader, one aggregate, one short list; the site's header may add its own.
    with django_assert_max_num_queries(len(one_comment)):
        html = page(client.get("/readers/reem_k/"))
    assert html.text("dd", class_="profile__count") == "21"
    assert len(html.all("li", class_="card profile__comment")) == 10


def test_reader_sees_a_signed_in_reader_name_linking_to_the_profile(client):
    reader = make_user("reem_k", display_name="ريم")
    client.force_login(reader)
    # The header of a public page is the same for everyone; the reader's state fills it in.
    header = reader_state(client)["header"]
    assert header["profile"] == "/readers/reem_k/" and header["name"] == "ريم"
    html = page(client.get("/accounts/settings/"))  # a page of their own names them itself
    link = html.all("a", class_="account-nav__name")
    assert link and link[0][0]["href"] == "/readers/reem_k/" and link[0][1] == "ريم"


def test_reader_can_set_a_display_name(client):
    reader = make_user("reem_k")
    client.force_login(reader)
    form = page(client.get("/accounts/settings/"))
    assert form.all("input", name="display_name")

    response = client.post("/accounts/settings/", {"display_name": "  ريم   الكاتبة  "})

    assert response.status_code == 302
    assert response["Location"] == "/readers/reem_k/"
    reader.refresh_from_db()
    assert reader.display_name == "ريم الكاتبة"
    assert page(client.get("/readers/reem_k/")).text("h1") == "ريم الكاتبة"

    client.post("/accounts/settings/", {"display_name": ""})
    reader.refresh_from_db()
    assert reader.display_name == "" and reader.public_name == "reem_k"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ر" * 61, "لا يزيد اسم العرض على 60 حرفًا."),
        ("x" * 1000, "لا يزيد اسم العرض على 60 حرفًا."),
        ("ريم\u202e", "invisible"),  # right-to-left override
        ("\u2067ريم\u2069", "invisible"),  # isolates
        ("ر\u200bيم", "invisible"),  # zero-width space
        ("ر\u200fيم", "invisible"),  # right-to-left mark
        ("ريم\x07", "invisible"),  # control character
        ("ريم\nالكاتبة", "invisible"),  # line break
    ],
)
def test_reader_cannot_set_a_bad_display_name(client, typed, message):
    reader = make_user("reem_k", display_name="ريم")
    client.force_login(reader)

    response = client.post("/accounts/settings/", {"display_name": typed})

    assert response.status_code == 400
    html = page(response)
    if message == "invisible":
        message = (
            "لا يجوز أن يحتوي اسم العرض على محارف غير مرئية "
            "(محارف تحكم أو تنسيق أو اتجاه نص أو محارف صفرية العرض)."
        )
    assert html.errors() == [message]
    assert html.input_value("display_name") == typed
    reader.refresh_from_db()
    assert reader.display_name == "ريم"


def test_reader_cannot_reach_settings_without_signing_in(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/settings/")
    assert client.post("/accounts/settings/", {"display_name": "x"}).status_code == 302


def test_html_in_a_display_name_is_shown_as_text_everywhere(client):
    reader = make_user("reem_k")
    client.force_login(reader)
    assert client.post("/accounts/settings/", {"display_name": XSS}).status_code == 302
    comment = make_comment(make_article(), author=reader)

    for url in ("/readers/reem_k/", "/", f"/comments/{comment.pk}/"):
        response = client.get(url, follow=True)
        body = response.content.decode()
        html = page(response)
        assert "<script>alert(1)</script>" not in body
        assert not [a for a, _ in html.all("img") if "onerror" in a]
        assert [s for s, _ in html.all("script") if not s.get("src") and not s.get("type")] == []
    profile = page(client.get("/readers/reem_k/"))
    assert profile.text("h1") == XSS
