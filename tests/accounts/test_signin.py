"""Signing in (by username or by email), the way back to the article, signing out, and the
accounts that must not get in: imported ones nobody has claimed and deactivated ones."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils.encoding import iri_to_uri

from tests.accounts.helpers import page, verified
from tests.factories import PASSWORD, make_article, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def signed_in_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def login_link_for(article) -> str:
    """The sign-in address of the article's information box, built the way the box builds it."""
    return f"/accounts/login/?next={article.get_absolute_url()}%23comments"


def test_reader_can_sign_in_by_username_and_land_back_on_the_article(client):
    reader = verified(make_user("كريم"))
    article = make_article(title="مقال للقراءة")
    link = login_link_for(article)
    next_url = page(client.get(link)).input_value("next")

    response = client.post(link, {"login": "كريم", "password": PASSWORD, "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#comments"
    assert iri_to_uri(next_url) == response["Location"]
    assert signed_in_id(client) == str(reader.pk)


def test_reader_can_sign_in_by_email(client):
    reader = verified(make_user("reem_k", email="reem@example.org"))
    response = client.post("/accounts/login/", {"login": "Reem@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_id(client) == str(reader.pk)


def test_reader_can_find_the_way_to_sign_up_from_the_sign_in_page_keeping_next(client):
    article = make_article()
    html = page(client.get(login_link_for(article)))
    signup = [
        a["href"] for a, _ in html.all("a") if a.get("href", "").startswith("/accounts/signup/")
    ]
    assert any("%23comments" in href for href in signup)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "http:\\\\evil"])
def test_reader_cannot_be_sent_off_site_after_signing_in(client, target):
    verified(make_user("reem_k"))
    response = client.post(
        "/accounts/login/", {"login": "reem_k", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_reader_cannot_sign_in_with_a_wrong_password_and_keeps_what_was_typed(client):
    make_user("reem_k")
    response = client.post("/accounts/login/", {"login": "reem_k", "password": "wrong-one"})
    assert response.status_code == 400
    html = page(response)
    assert len(html.errors()) == 1
    assert html.input_value("login") == "reem_k"
    assert signed_in_id(client) is None


def test_reader_can_sign_out_with_a_post(client):
    reader = make_user("reem_k")
    client.force_login(reader)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_id(client) is None


def test_reader_is_not_signed_out_by_a_mere_link(client):
    reader = make_user("reem_k")
    client.force_login(reader)

    response = client.get("/accounts/logout/")

    assert response.status_code == 200
    html = page(response)
    assert html.all("form", method="post", action="/accounts/logout/")
    assert signed_in_id(client) == str(reader.pk)


def test_imported_reader_cannot_sign_in_before_claiming_the_account(client):
    imported = User(username="old_reader", email="old@example.org", is_active=False)
    imported.set_unusable_password()
    imported.save()

    for login in ("old_reader", "old@example.org"):
        for password in ("", "!", imported.password, PASSWORD):
            response = client.post("/accounts/login/", {"login": login, "password": password})
            assert response.status_code == 400
            assert signed_in_id(client) is None


def test_deactivated_reader_cannot_sign_in_even_with_the_right_password(client):
    make_user("banned_reader", is_active=False)

    response = client.post("/accounts/login/", {"login": "banned_reader", "password": PASSWORD})

    assert signed_in_id(client) is None
    assert response.status_code == 302
    assert response["Location"] == "/accounts/inactive/"
    html = page(client.get(response["Location"]))
    assert html.text("h1") == "الحساب غير مفعّل"


def test_reader_can_sign_in_through_the_english_pages(client):
    verified(make_user("reem_k"))
    html = page(client.get("/en/accounts/login/"))
    assert html.all("html", lang="en", dir="ltr")
    assert html.text("h1") == "Sign in"
    assert html.text("label", for_="id_login") == "Username or email:"

    response = client.post("/en/accounts/login/", {"login": "reem_k", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_reader_sees_the_sign_in_page_in_arabic(client):
    html = page(client.get("/accounts/login/"))
    assert html.all("html", lang="ar", dir="rtl")
    assert html.text("h1") == "تسجيل الدخول"
    assert html.text("label", for_="id_login") == "اسم المستخدم أو البريد الإلكتروني:"


ANONYMOUS_PAGES = [
    "accounts/login/",
    "accounts/signup/",
    "accounts/password/reset/",
    "accounts/password/reset/done/",
    "accounts/password/reset/key/done/",
    "accounts/inactive/",
    "accounts/confirm-email/",
    "accounts/confirm-email/not-a-key/",
    "accounts/password/reset/key/1-not-a-key/",
]
READER_PAGES = [
    "accounts/settings/",
    "accounts/password/change/",
    "accounts/email/",
    "accounts/logout/",
    "readers/reem_k/",
]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_reader_meets_every_account_page_in_the_site_layout(client, language):
    prefix = "/" if language == "ar" else "/en/"
    direction = "rtl" if language == "ar" else "ltr"
    reader = make_user("reem_k")
    for signed_in, paths in ((False, ANONYMOUS_PAGES), (True, READER_PAGES)):
        if signed_in:
            client.force_login(reader)
        for path in paths:
            response = client.get(prefix + path)
            assert response.status_code == 200, path
            html = page(response)
            assert html.all("html", lang=language, dir=direction), path
            assert html.all("header", class_="site-header"), path
            assert len(html.all("h1")) == 1, path
