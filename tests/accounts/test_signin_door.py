"""One way in for every account: the newsroom's admin signs in through the readers' page and its
limits, and no answer tells a stranger whether an account exists (the same page, the same
number of password hashes)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.helpers import count_hashes, verified
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def editor():
    return verified(make_user("chief_editor", email="chief@example.org", is_staff=True))


def test_newsroom_is_sent_to_the_readers_sign_in_page_with_the_way_back(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    door = client.get(response["Location"])
    assert door.status_code == 302
    assert door["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_editor_signs_in_through_the_readers_page_and_lands_in_the_admin(client, editor):
    response = client.post(
        reverse("account_login"), {"login": "chief_editor", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_nobody_can_sign_in_by_posting_to_the_admins_own_form(client, editor):
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "chief_editor", "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_guessing_the_editors_password_meets_the_readers_limits(client, editor):
    """The finding: 40 wrong passwords at /admin/login/, then the right one, signed in, while
    the readers' page refused the account. Now the readers' page is the only door."""
    for n in range(10):
        client.post(
            reverse("account_login"),
            {"login": "chief_editor", "password": f"guess-{n}", "next": "/admin/"},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
    for where, data in [
        ("/admin/login/?next=/admin/", {"username": "chief_editor", "password": PASSWORD}),
        (reverse("account_login"), {"login": "chief@example.org", "password": PASSWORD}),
    ]:
        response = client.post(where, data, REMOTE_ADDR="192.0.2.1", follow=True)
        assert response.status_code in (200, 429)
        assert "_auth_user_id" not in client.session, where
    assert response.status_code == 429


def test_reader_without_newsroom_access_finds_no_door_and_no_loop(client):
    client.force_login(make_user("plain_reader"))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 404
    assert len(response.redirect_chain) == 1


@pytest.mark.parametrize(
    "login",
    ["chief_editor", "nobody_here", "chief@example.org", "nobody@example.org"],
    ids=["known-name", "unknown-name", "known-address", "unknown-address"],
)
def test_a_failed_sign_in_costs_one_password_hash_whether_or_not_the_account_exists(
    client, monkeypatch, editor, login
):
    hashed = count_hashes(monkeypatch)
    response = client.post(reverse("account_login"), {"login": login, "password": "wrong-guess"})
    assert response.status_code == 400
    assert len(hashed) == 1


def test_a_successful_sign_in_costs_one_password_hash(client, monkeypatch, editor):
    hashed = count_hashes(monkeypatch)
    response = client.post(
        reverse("account_login"), {"login": "chief_editor", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert len(hashed) == 1


def test_wrong_password_pages_are_the_same_for_known_and_unknown_accounts(client, editor):
    def errors(login):
        response = client.post(reverse("account_login"), {"login": login, "password": "x-guess"})
        return response.status_code, response.context["form"].errors.as_data()["__all__"][0].code

    assert errors("chief_editor") == errors("nobody_here")
    assert errors("chief@example.org") == errors("nobody@example.org")


def test_an_imported_account_nobody_claimed_is_refused_like_an_unknown_one(client, monkeypatch):
    old = make_user("old_author", email="old@example.org", is_active=False)
    old.set_unusable_password()
    old.save()
    hashed = count_hashes(monkeypatch)
    response = client.post(reverse("account_login"), {"login": "old_author", "password": "guess"})
    assert response.status_code == 400
    assert len(hashed) == 1
