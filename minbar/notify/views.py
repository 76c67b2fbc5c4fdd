"""Notifications, following and email choices: pages of the reader's own (private, signed in),
and the unsubscribe link from an email (no sign-in: the signed token is the key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from minbar.news.access import access_article_for_reading
from minbar.notify import actions, emails, selectors
from minbar.notify.forms import FollowForm, PreferencesForm

if TYPE_CHECKING:
    from minbar.accounts.models import User

    class SignedInRequest(HttpRequest):
        """A request that passed login_required: its user is signed in."""

        user: User


@login_required
def inbox(request: SignedInRequest) -> HttpResponse:
    items = selectors.list_notifications(reader=request.user)
    entries = [
        {
            "notification": n,
            "text": emails.describe(n),
            "shown": n.comment.is_visible,
        }
        for n in items
    ]
    unread = sum(1 for n in items if n.read_at is None)
    return render(request, "notify/inbox.html", {"entries": entries, "unread": unread})


@require_POST
@login_required
def mark_read(request: SignedInRequest, notification_id: int) -> HttpResponse:
    actions.do_mark_read(request.user, notification_id=notification_id)
    return HttpResponseRedirect(reverse("notify:inbox"))


@require_POST
@login_required
def mark_all_read(request: SignedInRequest) -> HttpResponse:
    actions.do_mark_read(request.user)
    return HttpResponseRedirect(reverse("notify:inbox"))


@login_required
def preferences(request: SignedInRequest) -> HttpResponse:
    current = selectors.get_preferences(reader_id=request.user.pk)
    if request.method != "POST":
        form = PreferencesForm(instance=current)
        return render(request, "notify/preferences.html", {"form": form})
    form = PreferencesForm(request.POST, instance=current)
    if not form.is_valid():
        return render(request, "notify/preferences.html", {"form": form}, status=400)
    actions.do_save_preferences(request.user, **form.cleaned_data)
    return render(request, "notify/preferences.html", {"form": form, "saved": True})


@csrf_exempt  # the signed token is the credential; mail clients POST without a session
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link checkers that open links must not unsubscribe anyone); POST,
    the button or a mail client's one-click (RFC 8058), unsubscribes. A forged, damaged or
    expired token, or one for another reader than the one signed in, does nothing."""
    reader_id = emails.reader_of_token(token)
    signed_in = request.user.is_authenticated
    if reader_id is None or (signed_in and request.user.pk != reader_id):
        problem = (
            _("This unsubscribe link is not valid: it is damaged, too old, or not yours.")
            if reader_id is None or not signed_in
            else _("This unsubscribe link belongs to another account. Nothing was changed.")
        )
        return render(request, "notify/unsubscribe.html", {"problem": problem}, status=400)
    if request.method == "POST":
        actions.do_unsubscribe(reader_id=reader_id)
        return render(request, "notify/unsubscribe.html", {"done": True})
    return render(request, "notify/unsubscribe.html", {"token": token})


@login_required
def follow(request: SignedInRequest, slug: str) -> HttpResponse:
    """Follow or stop following an article's discussion: the page without JavaScript (a POST
    form that comes back to the article) and the endpoint minbar.js posts to."""
    article = access_article_for_reading(request.user, slug=slug, for_page=False)
    if not article.is_live():
        raise Http404
    following = article.pk in selectors.get_reader_summary(reader_id=request.user.pk).follows
    if request.method != "POST":
        context = {"article": article, "following": following}
        return render(request, "notify/follow.html", context)
    form = FollowForm(request.POST)
    if not form.is_valid():
        context = {"article": article, "following": following, "invalid": True}
        return render(request, "notify/follow.html", context, status=400)
    following = actions.check_follow(
        request.user, article=article, follow=form.cleaned_data["follow"]
    )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"following": following})
    return HttpResponseRedirect(article.get_absolute_url() + "#comments")
