"""Signing up through the page: the happy path, the way back to the article, and every refusal
of a username (each with its own Arabic message, the typed name kept, nobody created)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from minbar.accounts import actions
from tests.accounts.helpers import confirm_by_mail, count_hashes, page, signup_data
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()

LOOKALIKE = (
    "اسم المستخدم هذا يبدو مطابقًا لـ«\u2068{}\u2069»، وهو مستخدم من قبل. يُرجى اختيار اسم آخر."
)
INVISIBLE = (
    "لا يجوز أن يحتوي اسم المستخدم على محارف غير مرئية "
    "(محارف تحكم أو تنسيق أو اتجاه نص أو محارف صفرية العرض)."
)
CHARACTERS = (
    "لا يحتوي اسم المستخدم إلا على حروف وأرقام و«_» و«-»: "
    "بلا مسافات ولا علامات ترقيم ولا رموز ولا تشكيل كالحركات."
)
MIXED = "يجب أن تكون حروف اسم المستخدم من أبجدية واحدة، عربية أو لاتينية مثلًا، لا من الاثنتين معًا."
LENGTH = "يجب أن يكون طول اسم المستخدم بين 3 و30 حرفًا."


def signup_link_for(article) -> str:
    """The sign-up address of the article's information box, built the way the box builds it."""
    return f"/accounts/signup/?next={article.get_absolute_url()}%23comments"


def test_reader_can_sign_up_from_an_article_and_land_back_on_its_comments(client):
    article = make_article(title="مقال للنقاش")
    link = signup_link_for(article)
    next_url = page(client.get(link)).input_value("next")
    assert iri_to_uri(next_url) == article.get_absolute_url() + "#comments"

    response = client.post(link, signup_data("سلمى_2", "salma@example.org", next=next_url))

    # Verification is mandatory: the account exists, waiting for the mailed link.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    reader = User.objects.get(username="سلمى_2")
    assert reader.is_active and reader.email == "salma@example.org"
    assert reader.username_key == "سلمي_2"  # alef maqsura folded
    assert "_auth_user_id" not in client.session
    assert EmailAddress.objects.filter(user=reader, verified=False).count() == 1

    confirmed = confirm_by_mail(client, to="salma@example.org")

    assert confirmed.status_code == 302
    assert confirmed["Location"] == article.get_absolute_url() + "#comments"
    assert client.get(confirmed["Location"]).status_code == 200
    assert client.session["_auth_user_id"] == str(reader.pk)
    assert EmailAddress.objects.filter(user=reader, verified=True).count() == 1


def test_reader_cannot_be_sent_off_site_after_signing_up(client):
    for n, target in enumerate(
        ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
    ):
        client.logout()
        response = client.post(
            "/accounts/signup/", signup_data(f"reader{n}x", f"r{n}@example.org", next=target)
        )
        assert response.status_code == 302
        confirmed = confirm_by_mail(client, to=f"r{n}@example.org")
        assert confirmed.status_code == 302
        assert confirmed["Location"] == "/"


@pytest.mark.parametrize(
    ("existing", "typed"),
    [
        ("reem_k", "Reem_K"),  # case
        ("كريم", "كريـــم"),  # tatweel
        ("كريم", "کریم"),  # keheh and farsi yeh
        ("user3", "user٣"),  # Arabic-Indic digit
        ("user3", "user۳"),  # Persian digit
        ("ahmad", "AHMAD"),  # upper case of a whole Latin name
        ("أبو_خالد", "ابو_خالد"),  # hamza dropped (issue 10)
        ("احمد", "أحمد"),  # hamza added
        ("إيمان", "ٱيمان"),  # alef wasla
        ("منى", "مني"),  # alef maqsura
        ("فاطمة", "فاطمه"),  # ta marbuta
        ("reem_k", "reem-k"),  # another separator
        ("reem_k", "reem__k_"),  # doubled and trailing separators
        ("reem_k", "_reem_k"),  # leading separator
    ],
)
def test_reader_cannot_take_a_lookalike_of_an_existing_username(client, existing, typed):
    make_user(existing)
    before = User.objects.count()

    response = client.post("/accounts/signup/", signup_data(typed, "new@example.org"))

    assert response.status_code == 400
    form = page(response)
    assert form.errors() == [LOOKALIKE.format(existing)]
    assert form.input_value("username") == typed
    assert form.input_value("email") == "new@example.org"
    assert User.objects.count() == before


def test_reader_cannot_take_an_existing_username(client):
    make_user("reem_k")
    response = client.post("/accounts/signup/", signup_data("reem_k", "new@example.org"))
    assert response.status_code == 400
    assert page(response).errors() == ["اسم المستخدم هذا مستخدم من قبل."]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("re\u202eem", INVISIBLE),  # right-to-left override
        ("كريم\u200f", INVISIBLE),  # right-to-left mark
        ("\u2067كريم\u2069", INVISIBLE),  # isolates
        ("re\u200bem", INVISIBLE),  # zero-width space
        ("كر\u200dيم", INVISIBLE),  # zero-width joiner
        ("re\x07em", INVISIBLE),  # control character (bell)
        ("re\x1bem", INVISIBLE),  # control character (escape)
        ("\ufeffreem", INVISIBLE),  # byte-order mark
        ("reem k", CHARACTERS),  # space
        ("reem.k", CHARACTERS),  # punctuation
        ("reem@k", CHARACTERS),
        ("<script>", CHARACTERS),
        ("مُحمد", CHARACTERS),  # harakat
        ("ﻛﺮﻳﻢ", CHARACTERS),  # presentation forms
        ("ｒｅｅｍ", CHARACTERS),  # full-width letters
        ("user²", CHARACTERS),  # superscript digit
        ("reemкa", MIXED),  # Latin with a Cyrillic letter
        ("كريمa", MIXED),  # Arabic with a Latin letter
        ("pаypal", MIXED),  # Cyrillic а inside a Latin name
        ("ab", LENGTH),
        ("كر", LENGTH),
        ("كـــر", LENGTH),  # tatweel does not count
        ("a" * 31, LENGTH),
        ("123", "يجب أن يحتوي اسم المستخدم على حرف واحد على الأقل."),
        ("__-_", "يجب أن يحتوي اسم المستخدم على حرف واحد على الأقل."),
        ("Admin", "اسم المستخدم هذا محجوز. يُرجى اختيار اسم آخر."),
        ("مشرف", "اسم المستخدم هذا محجوز. يُرجى اختيار اسم آخر."),
        ("المشرف_", "اسم المستخدم هذا محجوز. يُرجى اختيار اسم آخر."),  # issue 10
        ("الإدارة", "اسم المستخدم هذا محجوز. يُرجى اختيار اسم آخر."),
        ("فريق_منبر", "اسم المستخدم هذا محجوز. يُرجى اختيار اسم آخر."),
        ("المشرف_العام", "اسم المستخدم هذا محجوز. يُرجى اختيار اسم آخر."),
        ("moderator2", "اسم المستخدم هذا محجوز. يُرجى اختيار اسم آخر."),
        ("ad-min", "اسم المستخدم هذا محجوز. يُرجى اختيار اسم آخر."),
    ],
)
def test_reader_cannot_sign_up_with_a_bad_username(client, typed, message):
    response = client.post("/accounts/signup/", signup_data(typed, "new@example.org"))

    assert response.status_code == 400
    form = page(response)
    assert form.errors() == [message]
    assert form.input_value("username") == typed
    assert not User.objects.exists()


def test_reader_can_sign_up_with_an_arabic_name_with_digits_and_separators(client):
    response = client.post("/accounts/signup/", signup_data("أحمد-٢٠٢٤_ب", "a@example.org"))
    assert response.status_code == 302
    assert User.objects.get().username_key == "احمد_2024_ب"


@pytest.mark.parametrize("typed", ["taken@example.org", "TAKEN@Example.org"])
def test_stranger_cannot_tell_from_sign_up_whether_an_address_is_registered(client, typed):
    owner = make_user("first_reader", email="taken@example.org")

    taken = client.post("/accounts/signup/", signup_data("second_reader", typed))
    taken_page = client.get(taken["Location"])
    client.logout()
    free = client.post("/accounts/signup/", signup_data("third_reader", "free@example.org"))
    free_page = client.get(free["Location"])

    # The same answer and the same page ...
    assert (
        (taken.status_code, taken["Location"])
        == (free.status_code, free["Location"])
        == (
            302,
            reverse("account_email_verification_sent"),
        )
    )
    assert page(taken_page).text("h1") == page(free_page).text("h1")
    # ... while only the new address got an account; the owner of the taken one is told by mail.
    assert not User.objects.filter(username="second_reader").exists()
    assert User.objects.filter(username="third_reader").exists()
    assert [m.to for m in mail.outbox] == [[owner.email], ["free@example.org"]]


def test_sign_up_with_a_registered_address_hashes_the_password_like_a_new_one(client, monkeypatch):
    make_user("first_reader", email="taken@example.org")
    hashed = count_hashes(monkeypatch)

    client.post("/accounts/signup/", signup_data("second_reader", "taken@example.org"))
    taken = len(hashed)
    client.logout()
    client.post("/accounts/signup/", signup_data("third_reader", "free@example.org"))

    assert taken == len(hashed) - taken == 1


def test_reader_who_loses_the_race_for_a_lookalike_name_gets_the_form_error(client, monkeypatch):
    """Two sign-ups pass the look-alike check at once; the unique key lets one in. The other
    must get the same form error, not an error page."""
    check = actions.check_username
    # Stand in for "the other sign-up committed between our check and our insert".
    monkeypatch.setattr(
        actions, "check_username", lambda name, **kw: check(name, against_existing=False)
    )
    make_user("كريم")

    response = client.post("/accounts/signup/", signup_data("كريـــم", "late@example.org"))

    assert response.status_code == 400
    form = page(response)
    assert form.errors() == [LOOKALIKE.format("كريم")]
    assert form.input_value("username") == "كريـــم"
    assert list(User.objects.values_list("username", flat=True)) == ["كريم"]
    assert "_auth_user_id" not in client.session


def test_reader_can_read_the_sign_up_page_in_english(client):
    response = client.get("/en/accounts/signup/")
    assert response.status_code == 200
    html = page(response)
    assert html.all("html", lang="en", dir="ltr")
    assert html.text("h1") == "Create an account"

    make_user("reem_k")
    refused = page(client.post("/en/accounts/signup/", signup_data("Reem_K", "n@example.org")))
    assert refused.errors() == [
        "This username looks the same as “\u2068reem_k\u2069”, which is already taken. "
        "Please choose another."
    ]


def test_reader_sees_the_sign_up_page_in_arabic_right_to_left(client):
    html = page(client.get("/accounts/signup/"))
    assert html.all("html", lang="ar", dir="rtl")
    assert html.text("h1") == "إنشاء حساب"
    assert html.all("form", method="post", action="/accounts/signup/")
