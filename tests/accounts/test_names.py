"""Names readers trust (issue 10, point 6): display names under the username rules, one
look-alike key for usernames and display names held unique by the database, and a team badge
that no name can copy."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from minbar.accounts import actions
from minbar.accounts.errors import AccountError
from minbar.accounts.policy import display_name_problems, username_key
from tests.accounts.helpers import page, signup_data
from tests.factories import make_article, make_comment, make_user

User = get_user_model()

RESERVED = "اسم العرض هذا يوهم بأن صاحبه هو الموقع أو أحد فريقه. يُرجى اختيار اسم آخر."
LOOKALIKE = "اسم العرض هذا يبدو مطابقًا لاسم يستعمله قارئ آخر. يُرجى اختيار اسم آخر."
MIXED = (
    "يجب أن تكون حروف كل كلمة في اسم العرض من أبجدية واحدة، عربية أو لاتينية مثلًا، "
    "لا من الاثنتين في كلمة واحدة."
)
CHARACTERS = (
    "لا يجوز أن يستعمل اسم العرض أشكالًا شبيهة بالحروف (أشكال العرض أو الحروف كاملة العرض "
    "أو الحروف المركّبة) ولا علامات غير الحركات."
)
NO_LETTER = "يجب أن يحتوي اسم العرض على حرف واحد على الأقل."


# --- the rules, as a table -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("ريم الكاتبة", []),
        ("Reem ريم", []),  # words of two scripts side by side
        ("مُحَمَّد", []),  # harakat are allowed in a display name
        ("أبو خالد (الرياض)", []),
        ("Аdmin Team", ["mixed-scripts"]),  # Cyrillic А
        ("pаypal", ["mixed-scripts"]),
        ("ﻛﺮﻳﻢ", ["characters"]),  # presentation forms
        ("ｒｅｅｍ", ["characters"]),
        ("ريم\u0336", ["characters"]),  # combining long stroke
        ("12345", ["no-letter"]),
        ("...", ["no-letter"]),
        ("المشرف", ["reserved"]),
        ("مشرف", ["reserved"]),
        ("الإدارة", ["reserved"]),
        ("ادارة", ["reserved"]),
        ("منبر", ["reserved"]),
        ("فريق منبر", ["reserved"]),
        ("فريق_منبر", ["reserved"]),
        ("المشرف العام", ["reserved"]),
        ("محرر", ["reserved"]),
        ("Moderator", ["reserved"]),
        ("The Admin", ["reserved"]),
        ("administrator", ["reserved"]),
        ("staff", ["reserved"]),
        ("editor 2", ["reserved"]),
        ("المـــشرف", ["reserved"]),  # tatweel
        ("ٱلمشرف", ["reserved"]),  # alef wasla
    ],
)
def test_display_name_problems(name: str, problems: list[str]) -> None:
    assert display_name_problems(name) == problems


@pytest.mark.parametrize("name", ["المشرف", "فريق منبر", "Moderator", "هالة المحررة"])
def test_staff_may_show_the_names_of_their_roles(name: str) -> None:
    assert display_name_problems(name, is_staff=True) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("المشرف_", "المشرف"),
        ("ابو_خالد", "أبو_خالد"),
        ("أبو خالد", "ابو_خالد"),
        ("أبو  خالد ", "ابو-خالد"),
        ("Abu.Khalid", "abu_khalid"),
        ("إيمان", "ايمان"),
        ("آمنة", "امنه"),
        ("منى", "مني"),
    ],
)
def test_names_that_pass_for_each_other_share_a_key(a: str, b: str) -> None:
    assert username_key(a) == username_key(b)


# --- through HTTP ----------------------------------------------------------------------------


def _set_display_name(client, user, typed: str):
    client.force_login(user)
    return client.post("/accounts/settings/", {"display_name": typed})


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["مراقب النقاش", "مراقب  النقاش", "مراقب_النقاش", "مُراقب النقاش"])
def test_reader_cannot_take_the_display_name_of_a_moderator(client, typed):
    make_user("moderator", is_staff=True, groups=["moderators"], display_name="مراقب النقاش")
    reader = make_user("reem_k", display_name="ريم")

    response = _set_display_name(client, reader, typed)

    assert response.status_code == 400
    html = page(response)
    assert html.errors() == [LOOKALIKE]
    assert html.input_value("display_name") == typed
    reader.refresh_from_db()
    assert reader.display_name == "ريم"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("existing", "typed"),
    [("أبو_خالد", "ابو خالد"), ("ابو_خالد", "أبو خالد"), ("reem_k", "Reem K"), ("منى", "مني")],
)
def test_reader_cannot_show_another_readers_username(client, existing, typed):
    make_user(existing)
    response = _set_display_name(client, make_user("salma"), typed)
    assert response.status_code == 400
    assert page(response).errors() == [LOOKALIKE]


@pytest.mark.django_db
def test_reader_cannot_show_a_lookalike_of_another_readers_display_name(client):
    make_user("first", display_name="فاطمة الزهراء")
    response = _set_display_name(client, make_user("second"), "فاطمه  الزهراء")
    assert response.status_code == 400
    assert page(response).errors() == [LOOKALIKE]


@pytest.mark.django_db
def test_reader_can_show_their_own_username_as_display_name(client):
    reader = make_user("abu_khalid")
    assert _set_display_name(client, reader, "Abu Khalid").status_code == 302
    reader.refresh_from_db()
    assert reader.display_name == "Abu Khalid" and reader.display_name_key == ""
    # and keep it when nothing changes
    assert _set_display_name(client, reader, "Abu Khalid").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("المشرف", RESERVED),
        ("فريق منبر", RESERVED),
        ("إدارة الموقع", RESERVED),
        ("Admin", RESERVED),
        ("moderator", RESERVED),
        ("محرر", RESERVED),
        ("Аhmad", MIXED),  # Cyrillic А
        ("ﻛﺮﻳﻢ", CHARACTERS),
        ("١٢٣", NO_LETTER),
    ],
)
def test_reader_cannot_set_a_display_name_that_breaks_the_name_rules(client, typed, message):
    reader = make_user("reem_k", display_name="ريم")
    response = _set_display_name(client, reader, typed)
    assert response.status_code == 400
    html = page(response)
    assert html.errors() == [message]
    assert html.input_value("display_name") == typed
    reader.refresh_from_db()
    assert reader.display_name == "ريم"


@pytest.mark.django_db
def test_english_reader_is_refused_in_english(client):
    reader = make_user("reem_k")
    client.force_login(reader)
    response = client.post("/en/accounts/settings/", {"display_name": "Moderator"})
    assert response.status_code == 400
    assert page(response).errors() == [
        "This display name would pass for the site or its staff. Please choose another."
    ]


@pytest.mark.django_db
def test_staff_can_show_their_role_in_their_display_name(client):
    moderator = make_user("mod_salma", is_staff=True, groups=["moderators"])
    assert _set_display_name(client, moderator, "المشرف").status_code == 302
    moderator.refresh_from_db()
    assert moderator.display_name == "المشرف"


@pytest.mark.django_db
def test_reader_cannot_sign_up_with_the_display_name_of_another_reader(client):
    make_user("moderator", is_staff=True, display_name="مراقب النقاش")
    response = client.post("/accounts/signup/", signup_data("مراقب_النقاش", "new@example.org"))
    assert response.status_code == 400
    assert page(response).errors() == [
        "اسم المستخدم هذا يبدو مطابقًا لاسم يظهر به قارئ آخر. يُرجى اختيار اسم آخر."
    ]
    assert not User.objects.filter(email="new@example.org").exists()


# --- the database holds the rule -------------------------------------------------------------


@pytest.mark.django_db
def test_database_refuses_two_lookalike_display_names():
    make_user("first", display_name="أبو خالد")
    second = make_user("second")
    second.display_name = "ابو_خالد"
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


@pytest.mark.django_db
def test_reader_who_loses_the_race_for_a_display_name_gets_the_refusal():
    make_user("first", display_name="أبو خالد")
    second = make_user("second", display_name="سلمى")
    # The check passed a moment before the first reader took the name.
    with pytest.raises(AccountError) as refused:
        actions.do_change_display_name(second, display_name="ابو خالد")
    assert refused.value.code == "lookalike"
    second.refresh_from_db()
    assert second.display_name == "سلمى"


@pytest.mark.django_db
def test_migration_recomputes_keys_without_renaming_anyone(client):
    """Names that collide only under the new fold stay, each with its own profile."""
    older = make_user("احمد", display_name="فاطمة")
    newer = make_user("placeholder")
    third = make_user("reem-k")
    # As the old fold left them: both names and their keys were different then.
    User.objects.filter(pk=older.pk).update(username_key="احمد", display_name_key="")
    User.objects.filter(pk=newer.pk).update(
        username="أحمد_", username_key="أحمد_", display_name="فاطمه", display_name_key=""
    )
    User.objects.filter(pk=third.pk).update(username_key="reem-k")

    migration = importlib.import_module("minbar.accounts.migrations.0002_display_name_key")
    migration.recompute_keys(apps, None)

    older.refresh_from_db()
    newer.refresh_from_db()
    third.refresh_from_db()
    assert older.username_key == "احمد" and older.display_name_key == "فاطمه"
    assert newer.username_key == f"احمد#{newer.pk}"
    assert newer.display_name_key == f"فاطمه#{newer.pk}"
    assert third.username_key == "reem_k"
    # Both keep signing in and saving; each keeps their profile address.
    newer.first_name = "x"
    newer.save()
    assert client.get("/readers/أحمد_/").status_code == 200
    assert client.get("/readers/احمد/").status_code == 200
    # A new look-alike of either is refused.
    with pytest.raises(AccountError):
        actions.check_username("أحمد")
    with pytest.raises(AccountError):
        actions.check_display_name("فاطمة", user=third)


# --- the badge -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_comments_carry_the_team_badge_and_readers_cannot_copy_it(client):
    article = make_article()
    editor = make_user("editor_one", is_staff=True, display_name="سارة")
    # A moderator is not staff (no admin): the mark comes from what they may do.
    moderator = make_user("mod_one", groups=["moderators"], display_name="منى")
    impostor = make_user("impostor", display_name="سارة فريق")
    make_comment(article, author=editor, text="تعليق من المحررة")
    make_comment(article, author=moderator, text="تعليق من المشرفة")
    make_comment(article, author=impostor, text="تعليق من قارئ")

    html = page(client.get(article.get_absolute_url()))

    badges = html.all("span", class_="comment__staff")
    assert [text for _, text in badges] == ["فريق منبر", "فريق منبر"]
    assert badges[0][0]["title"]
    authors = [text for _, text in html.all("bdi", class_="comment__author")]
    assert authors == ["سارة", "منى", "سارة فريق"]
