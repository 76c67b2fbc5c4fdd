"""Passwords: Argon2 in production, reset by mail, optional email verification, and the claim of
an imported account through password reset."""

from __future__ import annotations

import importlib
import sys

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail

from tests.accounts.helpers import PASSWORD as NEW_PASSWORD
from tests.accounts.helpers import mail_link, page, signup_data
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_production_hashes_passwords_with_argon2(monkeypatch):
    # base.py was read before this test with the dev secret; prod.py may accept it on request.
    monkeypatch.setenv("MINBAR_ALLOW_DEV_SECRET", "1")
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    # ... and without EMAIL_URL, which production requires.
    monkeypatch.setattr(importlib.import_module("config.settings.base"), "EMAIL_URL", "console://")
    sys.modules.pop("config.settings.prod", None)
    prod = importlib.import_module("config.settings.prod")
    sys.modules.pop("config.settings.prod", None)

    assert prod.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # The hasher really works here (argon2-cffi is installed), so production can use it.
    encoded = Argon2PasswordHasher().encode("كلمة-سر", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$") and Argon2PasswordHasher().verify("كلمة-سر", encoded)


def request_reset(client, email: str, *, prefix: str = ""):
    return client.post(f"{prefix}/accounts/password/reset/", {"email": email})


def choose_new_password(client, link: str, password: str = NEW_PASSWORD):
    """Follow the mailed link (allauth moves the key into the session) and set a password."""
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert page(client.get(form_url)).all("input", name="password1")
    return client.post(form_url, {"password1": password, "password2": password})


def test_reader_can_reset_a_forgotten_password_by_mail(client):
    reader = make_user("reem_k", email="reem@example.org")

    response = request_reset(client, "reem@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    message = mail.outbox[-1]
    assert message.to == ["reem@example.org"]
    assert message.subject.startswith("[منبر] ")
    assert "منبر" in message.body and "reem_k" in message.body
    link = mail_link("/accounts/password/reset/key/")
    done = choose_new_password(client, link)
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/key/done/"

    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD) and not reader.check_password(PASSWORD)
    signed_in = client.post("/accounts/login/", {"login": "reem_k", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    # The link works once.
    assert page(client.get(link)).text("h1") == "هذا الرابط لم يعد صالحًا"


def test_reader_can_reset_a_password_in_english(client):
    make_user("reem_k", email="reem@example.org")
    response = request_reset(client, "reem@example.org", prefix="/en")
    assert response["Location"] == "/en/accounts/password/reset/done/"
    assert mail_link("/en/accounts/password/reset/key/")


def test_reader_cannot_reset_with_something_that_is_not_an_address(client):
    response = request_reset(client, "not an address")
    assert response.status_code == 400
    html = page(response)
    assert len(html.errors()) == 1
    assert html.input_value("email") == "not an address"
    assert not mail.outbox


def test_reader_cannot_choose_a_weak_new_password(client):
    make_user("reem_k", email="reem@example.org")
    request_reset(client, "reem@example.org")
    response = choose_new_password(client, mail_link("/password/reset/key/"), "12345678")
    assert response.status_code == 400
    assert page(response).errors()


def test_imported_reader_can_claim_the_account_by_password_reset(client):
    imported = User(username="old_reader", email="Old@Example.org", is_active=False)
    imported.set_unusable_password()
    imported.save()

    request_reset(client, "old@example.org")

    assert mail.outbox[-1].to == ["old@example.org"]
    assert choose_new_password(client, mail_link("/password/reset/key/")).status_code == 302
    imported.refresh_from_db()
    assert imported.is_active and imported.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=imported).verified
    response = client.post("/accounts/login/", {"login": "old_reader", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(imported.pk)


def test_imported_reader_without_an_address_cannot_be_claimed(client):
    imported = User(username="old_reader", is_active=False)
    imported.set_unusable_password()
    imported.save()

    request_reset(client, "someone@example.org")

    # The address gets allauth's "no account here" mail, never a reset link.
    assert all("/password/reset/key/" not in message.body for message in mail.outbox)
    imported.refresh_from_db()
    assert not imported.is_active and not imported.has_usable_password()


def test_deactivated_reader_cannot_get_back_in_by_password_reset(client):
    banned = make_user("banned_reader", email="banned@example.org", is_active=False)

    request_reset(client, "banned@example.org")

    assert all("/password/reset/key/" not in message.body for message in mail.outbox)
    banned.refresh_from_db()
    assert not banned.is_active


def test_reader_must_confirm_the_address_when_verification_is_mandatory(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = client.post("/accounts/signup/", signup_data("salma", "salma@example.org"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    link = mail_link("/accounts/confirm-email/")
    not_yet = client.post("/accounts/login/", {"login": "salma", "password": NEW_PASSWORD})
    assert not_yet["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    confirm_page = page(client.get(link))
    assert confirm_page.text("h1") == "تأكيد بريدك الإلكتروني"
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="salma@example.org").verified
    signed_in = client.post("/accounts/login/", {"login": "salma", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session


def test_reader_can_change_the_password_when_signed_in(client):
    reader = make_user("reem_k")
    client.force_login(reader)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(reader.pk)
