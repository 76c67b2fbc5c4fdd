"""Readers brought in from another platform take their history back: with an email, alone, by a
password reset; without one, staff merge the imported account into the reader's new one in one
admin action."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from minbar.archive.models import ImportedReader
from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment, CommentVote
from tests.accounts.helpers import PASSWORD as NEW_PASSWORD
from tests.accounts.helpers import mail_link, page
from tests.archive.platform_helpers import FIXTURES, run
from tests.factories import make_article, make_established_reader, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def imported_site():
    make_article(slug="kashmir-talks", title="محادثات كشمير")
    assert run("import_disqus", str(FIXTURES / "disqus.xml"), "--create-missing").ok


def test_an_imported_reader_with_an_email_claims_the_account_by_password_reset(
    client, imported_site
):
    samir = User.objects.get(username="samir_haddad")
    assert not samir.is_active
    client.post("/accounts/password/reset/", {"email": "samir@example.net"})
    assert mail.outbox[-1].to == ["samir@example.net"]
    response = client.get(mail_link("/password/reset/key/"))
    form_url = response["Location"]
    assert page(client.get(form_url)).all("input", name="password1")
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    samir.refresh_from_db()
    assert samir.is_active and samir.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=samir).verified
    response = client.post("/accounts/login/", {"login": "samir_haddad", "password": NEW_PASSWORD})
    assert client.session["_auth_user_id"] == str(samir.pk)
    # The old comments are theirs.
    assert Comment.objects.filter(author=samir, import_id__startswith="disqus:").count() == 2


def merge(client, imported, into: str):
    identity = ImportedReader.objects.get(user=imported)
    return client.post(
        "/admin/archive/importedreader/",
        {
            "action": "merge_into_account",
            "_selected_action": [identity.pk],
            "into": into,
            "apply": "1",
        },
    )


def test_staff_merge_an_email_less_imported_account_into_a_new_one(client, imported_site):
    guest = User.objects.get(username="Wanderer")  # a guest with no email
    assert guest.email == ""
    comment = Comment.objects.get(import_id="disqus:5008")
    voter = make_established_reader("voter")
    discussion.do_cast_vote(comment, voter=voter, value=1)
    new = make_established_reader("wanderer_new")
    client.force_login(make_user("chief", is_staff=True, is_superuser=True))

    # The action asks for the account first.
    form = client.post(
        "/admin/archive/importedreader/",
        {
            "action": "merge_into_account",
            "_selected_action": [ImportedReader.objects.get(user=guest).pk],
        },
    )
    assert form.status_code == 200 and b'name="into"' in form.content

    response = merge(client, guest, "wanderer_new")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.author == new
    assert not User.objects.filter(pk=guest.pk).exists()
    assert ImportedReader.objects.get(identity="name:wanderer").user == new
    assert CommentVote.objects.get(comment=comment).voter == voter
    # A second run of the import finds the identity on the new account and adds nothing.
    again = run("import_disqus", str(FIXTURES / "disqus.xml"), "--create-missing")
    assert "Reader accounts: 0 created" in again.stdout


def test_a_merge_never_takes_over_a_live_account(client, imported_site):
    reader = make_established_reader("someone")
    other = make_established_reader("other")
    ImportedReader.objects.create(source="disqus", identity="user:x", user=reader)
    client.force_login(make_user("chief", is_staff=True, is_superuser=True))
    response = merge(client, reader, "other")
    # A refusal like any other (core.http.refusal_response): the form again, a 400.
    assert response.status_code == 400
    # The admin speaks Arabic, the site's language.
    assert "ليس someone حسابًا مستوردًا لم يُطالب به أحد" in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists() and other.comments.count() == 0


def test_a_merge_into_an_unknown_username_says_so(client, imported_site):
    guest = User.objects.get(username="Wanderer")
    client.force_login(make_user("chief", is_staff=True, is_superuser=True))
    response = merge(client, guest, "nobody_here")
    assert response.status_code == 200
    assert "لا حساب باسم المستخدم nobody_here" in response.content.decode()
    assert User.objects.filter(pk=guest.pk).exists()


def test_readers_cannot_reach_the_merge(client, imported_site):
    guest = User.objects.get(username="Wanderer")
    client.force_login(make_established_reader("curious"))
    merge(client, guest, "curious")
    assert User.objects.filter(pk=guest.pk).exists()
