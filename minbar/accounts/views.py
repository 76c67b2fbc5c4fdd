"""Readers' pages (profile, settings) and thin wrappers around allauth's entrance views.

The wrappers exist for the house rule that bad input answers with a 4xx status: allauth shows a
refused form with 200. They change nothing else; allauth still runs every flow.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from allauth.account import views as allauth_views
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from minbar.accounts import actions, limits
from minbar.accounts.access import access_reader_for_profile
from minbar.accounts.errors import AccountError
from minbar.accounts.forms import DisplayNameForm
from minbar.core.errors import Refusal
from minbar.core.http import refusal_response
from minbar.discussion import selectors as discussion_selectors
from minbar.moderation.gate import check_display_name_change_allowed, wait_message
from minbar.notify.forms import PreferencesForm
from minbar.notify.selectors import get_preferences
from minbar.serving.middleware import public_page

View = Callable[..., HttpResponseBase]

if TYPE_CHECKING:
    from minbar.accounts.models import User

    class SignedInRequest(HttpRequest):
        """A request that passed login_required: its user is signed in."""

        user: User


@public_page
def profile(request: HttpRequest, username: str) -> HttpResponse:
    reader = access_reader_for_profile(username=username)
    if reader.username != username:
        return HttpResponseRedirect(reverse("accounts:profile", args=[reader.username]))
    return render(
        request,
        "accounts/profile.html",
        {"profile": discussion_selectors.get_reader_profile(reader=reader)},
    )


@login_required
def account_settings(request: SignedInRequest) -> HttpResponseBase:
    notifications = PreferencesForm(instance=get_preferences(reader_id=request.user.pk))
    if request.method != "POST":
        form = DisplayNameForm(initial={"display_name": request.user.display_name})
        context = {"form": form, "notification_form": notifications}
        return render(request, "accounts/settings.html", context)
    form = DisplayNameForm(request.POST)
    try:
        if not form.is_valid():
            raise AccountError("invalid", form.errors.as_text(), field="display_name")
        check_display_name_change_allowed(request.user)
        display_name = actions.check_display_name(
            form.cleaned_data["display_name"], user=request.user
        )
        actions.do_change_display_name(request.user, display_name=display_name)
    except Refusal as error:
        return refusal_response(
            request,
            error,
            template="accounts/settings.html",
            context={"form": form, "notification_form": notifications},
            form=form,
            fallback_field="display_name",
        )
    return HttpResponseRedirect(reverse("accounts:profile", args=[request.user.username]))


def _refused_form_is_400(view: View) -> View:
    """A POST that comes back with form errors answers 400 instead of allauth's 200."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        refused = form is not None and form.is_bound and bool(form.errors)
        if request.method == "POST" and response.status_code == 200 and refused:
            response.status_code = 400
        return response

    return wrapped


class SignupView(allauth_views.SignupView):
    def form_valid(self, form: forms.Form) -> HttpResponseBase:
        try:
            return super().form_valid(form)
        except AccountError as error:
            # Lost the race for a look-alike name (see actions.do_create_reader).
            form.add_error(error.field, error.message)
            return self.form_invalid(form)


def _too_many_failures_is_429(view: View) -> View:
    """A sign-in refused by the failed-attempts limit answers 429 with Retry-After and the wait
    in words, read from the counters that refused it (minbar.accounts.limits)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if form is None or not form.is_bound or not form.has_error("__all__"):
            return response
        if not form.has_error("__all__", code="too_many_login_attempts"):
            return response
        key = limits.sign_in_key(form.data.get("login", ""))
        seconds = limits.retry_after(request, action="login_failed", key=key) or 1
        form.add_error(None, wait_message(seconds))
        response.status_code = 429
        response["Retry-After"] = str(seconds)
        return response

    return wrapped


def admin_login(request: HttpRequest) -> HttpResponseRedirect:
    """/admin/login/ sends the newsroom through the readers' sign-in page, so that one door with
    one set of limits guards every account (the admin's own form had none)."""
    if request.user.is_authenticated:
        if not request.user.is_staff:
            # A reader has no newsroom door (as the moderation area): not a redirect loop.
            raise Http404
        return HttpResponseRedirect(reverse("admin:index"))
    # allauth checks `next` before following it (same site only).
    next_url = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": next_url}))


signup = _refused_form_is_400(SignupView.as_view())
login = _too_many_failures_is_429(_refused_form_is_400(allauth_views.login))
password_reset = _refused_form_is_400(allauth_views.password_reset)
password_reset_from_key = _refused_form_is_400(allauth_views.password_reset_from_key)
password_change = _refused_form_is_400(allauth_views.password_change)
password_set = _refused_form_is_400(allauth_views.password_set)
