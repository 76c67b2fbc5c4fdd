"""Staff name accounts in the admin by the readers' rules, without error pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.helpers import page
from tests.factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def staff_client(client):
    client.force_login(make_user("chief", is_staff=True, is_superuser=True))
    return client


def change_data(user, **changes) -> dict[str, str]:
    data = {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_staff_cannot_create_a_lookalike_account(staff_client):
    make_user("كريم")
    response = staff_client.post(
        "/admin/accounts/user/add/",
        {"username": "کریم", "password1": "", "password2": "", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert any("«\u2068كريم\u2069»" in error for error in page(response).errors())
    assert User.objects.filter(username="کریم").count() == 0


def test_staff_cannot_rename_an_account_to_a_lookalike(staff_client):
    make_user("reem_k")
    other = make_user("salma")
    response = staff_client.post(
        f"/admin/accounts/user/{other.pk}/change/", change_data(other, username="REEM_K")
    )
    assert response.status_code == 200
    assert page(response).errors()
    other.refresh_from_db()
    assert other.username == "salma"


def test_staff_can_edit_an_imported_account_whose_old_name_breaks_the_rules(staff_client):
    imported = User(username="old.reader", is_active=False)
    imported.set_unusable_password()
    imported.save()
    response = staff_client.post(
        f"/admin/accounts/user/{imported.pk}/change/",
        change_data(imported, email="old@example.org"),
    )
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.email == "old@example.org" and not imported.is_active


def test_staff_cannot_give_a_display_name_with_a_direction_override(staff_client):
    reader = make_user("salma")
    response = staff_client.post(
        f"/admin/accounts/user/{reader.pk}/change/",
        change_data(reader, display_name="سلمى\u202e"),
    )
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.display_name == ""


def test_staff_cannot_give_a_reader_the_display_name_of_a_role_or_of_another_reader(
    staff_client,
):
    make_user("moderator", is_staff=True, display_name="مراقب النقاش")
    reader = make_user("salma")
    for typed in ("المشرف", "مراقب_النقاش"):
        response = staff_client.post(
            f"/admin/accounts/user/{reader.pk}/change/", change_data(reader, display_name=typed)
        )
        assert response.status_code == 200  # the form again, with the reason
        assert page(response).errors()
        reader.refresh_from_db()
        assert reader.display_name == ""


def test_staff_can_give_a_staff_account_a_role_display_name(staff_client):
    editor = make_user("hala", is_staff=True)
    response = staff_client.post(
        f"/admin/accounts/user/{editor.pk}/change/",
        change_data(editor, display_name="فريق منبر", is_staff="on"),
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.display_name == "فريق منبر"
