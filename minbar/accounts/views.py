"""Readers' pages (profile, settings) and thin wrappers around allauth's entrance views.

The wrappers exist for the house rule that bad input answers with a 4xx status: allauth shows a
refused form with 200. They change nothing else; allauth still runs every flow.
"""

from __future__ import annotations

from functools import wraps

from allauth.account import views as allauth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from minbar.accounts import actions, selectors
from minbar.accounts.access import access_reader_for_profile
from minbar.accounts.errors import AccountError
from minbar.accounts.forms import DisplayNameForm
from minbar.serving.middleware import public_page


@public_page
def profile(request, username):
    reader = access_reader_for_profile(username=username)
    if reader.username != username:
        return HttpResponseRedirect(reverse("accounts:profile", args=[reader.username]))
    return render(
        request,
        "accounts/profile.html",
        {"profile": selectors.get_reader_profile(reader=reader)},
    )


@login_required
def account_settings(request):
    if request.method != "POST":
        form = DisplayNameForm(initial={"display_name": request.user.display_name})
        return render(request, "accounts/settings.html", {"form": form})
    form = DisplayNameForm(request.POST)
    try:
        if not form.is_valid():
            raise AccountError("invalid", form.errors.as_text())
        display_name = actions.check_display_name(form.cleaned_data["display_name"])
    except AccountError as error:
        form.add_error("display_name", error.message)
        return render(request, "accounts/settings.html", {"form": form}, status=error.status)
    actions.do_change_display_name(request.user, display_name=display_name)
    return HttpResponseRedirect(reverse("accounts:profile", args=[request.user.username]))


def _refused_form_is_400(view):
    """A POST that comes back with form errors answers 400 instead of allauth's 200."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        refused = form is not None and form.is_bound and bool(form.errors)
        if request.method == "POST" and response.status_code == 200 and refused:
            response.status_code = 400
        return response

    return wrapped


class SignupView(allauth_views.SignupView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except AccountError as error:
            # Lost the race for a look-alike name (see actions.do_create_reader).
            form.add_error(error.field, error.message)
            return self.form_invalid(form)


signup = _refused_form_is_400(SignupView.as_view())
login = _refused_form_is_400(allauth_views.login)
password_reset = _refused_form_is_400(allauth_views.password_reset)
password_reset_from_key = _refused_form_is_400(allauth_views.password_reset_from_key)
password_change = _refused_form_is_400(allauth_views.password_change)
password_set = _refused_form_is_400(allauth_views.password_set)
