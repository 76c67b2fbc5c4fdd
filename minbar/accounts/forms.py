from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from minbar.accounts import policy, selectors
from minbar.accounts.models import User


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's form, which mails active accounts only, plus unclaimed imported accounts that
    carry this address: for them the reset is how the account is claimed (see
    minbar.accounts.adapter)."""

    def clean_email(self) -> str:
        try:
            email = super().clean_email()
        except ValidationError:
            # Only raised when allauth may say "unknown address" (enumeration allowed).
            email = self.cleaned_data["email"]
            self.users: list[User] = []
            claimable = selectors.list_claimable_accounts(email=email)
            if not claimable:
                raise
        else:
            claimable = selectors.list_claimable_accounts(email=email)
        self.users = [*self.users, *claimable]
        return email


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        help_text=_(
            "Shown beside your comments instead of your username. At most 60 characters; "
            "leave it empty to show your username."
        ),
        required=False,
        strip=False,
        # Over-long names are refused by check_display_name with a clear message, and the form
        # keeps them; the attribute only helps browsers stop the typing early.
        widget=forms.TextInput(
            attrs={"maxlength": policy.DISPLAY_NAME_MAX, "dir": "auto", "autocomplete": "nickname"}
        ),
    )


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, with a label that says both ways in work."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username or email")
        # Password managers file the sign-in name under "username", whichever the reader types.
        login.widget.attrs["autocomplete"] = "username"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form. For an address that already has an account, allauth makes no
    account and mails the owner instead, showing the page a new reader sees; the password is
    hashed all the same, so that the answer does not come a hash sooner either."""

    def try_save(self, request: HttpRequest) -> Any:
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
