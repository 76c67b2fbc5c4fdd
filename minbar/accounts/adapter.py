"""The glue between django-allauth and Minbar's account rules (settings: ACCOUNT_ADAPTER).

allauth runs the pages and flows; every decision about a name or a password comes back here and
goes on to minbar.accounts.actions, so the sign-up page, the archive importer and the tests
follow the same rules.

Usernames: `clean_username` refuses, each with its own translated message, a wrong length,
anything but letters of one script, digits, `_` and `-`, invisible characters (control,
formatting, bidi, zero-width), mixed scripts, reserved names, and look-alikes of an existing
name (same folded key: "Reem_K"/"reem_k", "كريم"/"كريـــم"/"کریم", "user3"/"user٣").
`save_user` saves through `do_create_reader`, which turns a lost race on the unique
`username_key` into the same refusal; minbar.accounts.views.SignupView shows it on the form.

Imported readers and how they are claimed
-----------------------------------------
The archive importer creates an inactive account with an unusable password for every unknown
comment author. Such an account cannot sign in: no password matches an unusable one, and
allauth refuses inactive accounts anyway (`pre_login` → the "account inactive" page).

To claim it, the reader asks the newsroom, and staff put the reader's email address on the
account in the admin. The reader then uses "Forgotten your password?" with that address:
minbar.accounts.forms.ResetPasswordForm mails a reset link to unclaimed imported accounts too
(allauth alone mails only active ones), and setting the new password through that link
(`set_password` → `do_set_password`) activates the account and marks the address verified,
because following the link proved the reader reads that mailbox. Without an address on the
account there is nothing to send to, so the account stays unclaimed: the simplest behaviour that
never hands an old identity to someone who cannot prove it. A reader deactivated by the
moderators keeps a usable password, is not "unclaimed", and gets no reset link.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from minbar.accounts import actions, limits
from minbar.accounts.errors import AccountError
from minbar.accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        try:
            return actions.check_username(username, against_existing=not shallow)
        except AccountError as error:
            raise ValidationError(error.message, code=error.code) from error

    def save_user(
        self, request: HttpRequest, user: User, form: forms.Form, commit: bool = True
    ) -> User:
        if not commit:
            return super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        return actions.do_create_reader(
            username=data["username"],
            email=(data.get("email") or "").lower(),
            password=data.get("password1") or data.get("password"),
            instance=user,
        )

    def set_password(self, user: User, password: str) -> None:
        actions.do_set_password(user, password=password)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys its per-account sign-in limit by what was typed, so the username and the
        # email of one account had a budget each; here both name the account.
        login = credentials.get("email") or credentials.get("username") or ""
        return limits.sign_in_key(login)
