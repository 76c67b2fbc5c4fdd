"""The report page readers use and the moderation area: parse, access, act, respond.

Every refusal is a page in the reader's language with a 4xx status and what was typed kept;
rate limits add Retry-After.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minbar.accounts import limits
from minbar.core.errors import Refusal
from minbar.core.http import paginate, refusal_response
from minbar.moderation import access, actions, gate, models, policy, selectors
from minbar.moderation.forms import (
    ArticleDiscussionForm,
    ReasonForm,
    ReportForm,
    SiteSettingsForm,
    SuspendForm,
    WordForm,
)

if TYPE_CHECKING:
    from minbar.accounts.models import User
    from minbar.discussion.models import Comment

    class StaffRequest(HttpRequest):
        """A request a `_gate` let through: its user is signed in."""

        user: User


View = Callable[..., HttpResponseBase]

QUEUE_PAGE = 50
LOG_PAGE = 100


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/forbidden.html", status=403)


def _refused(request: HttpRequest, refusal: Refusal) -> HttpResponseBase:
    """A decision refused with no form to show it on (the reader lost a permission since the
    page was drawn): the refusal's page and status, or its JSON."""
    return refusal_response(
        request, refusal, template="moderation/forbidden.html", context={"refusal": refusal}
    )


def _gate(allowed: Callable[[Any], bool]) -> Callable[[View], View]:
    """A view for those `allowed(user)` says yes to: others are sent to sign in, or refused."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


moderator_required = _gate(access.is_moderator)
settings_staff_required = _gate(access.can_change_settings)
log_reader_required = _gate(access.can_read_audit_log)


def _next_or(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def _limits() -> dict[str, int]:
    """The lengths the actions accept, for the forms' maxlength (one source: the models)."""
    return {"reason": models.REASON_MAX, "report": models.REPORT_TEXT_MAX, "word": models.WORD_MAX}


def _area_context(request: StaffRequest) -> dict[str, Any]:
    return {
        "limits": _limits(),
        "queue_counts": selectors.count_queues(),
        "can_change_settings": access.can_change_settings(request.user),
        "can_read_log": access.can_read_audit_log(request.user),
        "can_sanction": access.can_sanction(request.user),
        "can_edit_words": access.can_edit_words(request.user),
    }


# --- readers' reports ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_comment(request: StaffRequest, comment_id: int) -> HttpResponseBase:
    comment = access.access_comment_for_reporting(request.user, comment_id=comment_id)
    if request.method == "GET":
        return _report_page(request, comment, ReportForm())
    form = ReportForm(request.POST)
    form.is_valid()  # every field is optional: the action gives the reasons
    try:
        actions.check_report_comment(
            comment,
            reporter=request.user,
            reason=form.cleaned_data.get("reason") or "",
            text=form.cleaned_data.get("text") or "",
        )
    except Refusal as error:
        return refusal_response(
            request,
            error,
            template="moderation/report.html",
            context={"comment": comment, "form": form, "limits": _limits()},
            form=form,
        )
    messages.success(request, _("Thank you. The moderators will look at this comment."))
    return HttpResponseRedirect(reverse("discussion:permalink", args=[comment.pk]))


def _report_page(
    request: HttpRequest, comment: Comment, form: ReportForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "moderation/report.html",
        {"comment": comment, "form": form, "limits": _limits()},
        status=status,
    )


# --- the moderation area ---------------------------------------------------------------------


@require_GET
@moderator_required
def home(request: StaffRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("moderation:queue", args=["pending"]))


@require_GET
@moderator_required
def queue(request: StaffRequest, name: str) -> HttpResponse:
    if name not in selectors.QUEUES:
        raise Http404
    page = paginate(request, selectors.QUEUES[name](), per_page=QUEUE_PAGE)
    comments = list(page.object_list)
    summaries = selectors.summarise_readers({c.author_id for c in comments})
    for comment in comments:
        comment.reader_summary = summaries[comment.author_id]
    context = {
        **_area_context(request),
        "queue": name,
        "page": page,
        "comments": comments,
        "suspension_days": policy.SUSPENSION_DAYS,
    }
    return render(request, "moderation/queue.html", context)


@require_GET
@moderator_required
def comment_detail(request: StaffRequest, comment_id: int) -> HttpResponseBase:
    comment = access.access_comment_for_moderation(request.user, comment_id=comment_id)
    return _comment_page(request, comment)


def _comment_page(
    request: StaffRequest,
    comment: Comment,
    *,
    error: Refusal | None = None,
    forms: dict[str | None, django_forms.Form | None] | None = None,
) -> HttpResponseBase:
    history = selectors.get_reader_history(comment.author, limit=20)
    reports = selectors.list_reports(comment=comment)
    # What the comment's card shows beside it, as the queues' cards get it (Prefetch to_attr).
    comment.reader_summary = history.summary  # type: ignore[attr-defined]
    comment.open_reports = [r for r in reports if not r.resolution]  # type: ignore[attr-defined]
    context = {
        **_area_context(request),
        "comment": comment,
        "reports": reports,
        "history": history,
        "error": error,
        "reject_form": (forms or {}).get("reject") or ReasonForm(),
        "ban_form": (forms or {}).get("ban") or ReasonForm(),
        "suspension_days": policy.SUSPENSION_DAYS,
    }
    template = "moderation/comment_detail.html"
    if error:
        return refusal_response(request, error, template=template, context=context)
    return render(request, template, context)


def _decide(
    request: StaffRequest,
    comment_id: int,
    run: Callable[[Comment], None],
    *,
    form_name: str | None = None,
    form: django_forms.Form | None = None,
) -> HttpResponseBase:
    comment = access.access_comment_for_moderation(request.user, comment_id=comment_id)
    try:
        run(comment)
    except Refusal as error:
        return _comment_page(request, comment, error=error, forms={form_name: form})
    return _next_or(request, reverse("moderation:comment", args=[comment.pk]))


@require_POST
@moderator_required
def approve(request: StaffRequest, comment_id: int) -> HttpResponseBase:
    def run(comment: Comment) -> None:
        actions.check_approve_comment(comment, moderator=request.user)
        messages.success(request, _("Comment approved."))

    return _decide(request, comment_id, run)


@require_POST
@moderator_required
def reject(request: StaffRequest, comment_id: int) -> HttpResponseBase:
    form = ReasonForm(request.POST)
    form.is_valid()

    def run(comment: Comment) -> None:
        actions.check_reject_comment(
            comment, moderator=request.user, reason=form.cleaned_data.get("reason") or ""
        )
        messages.success(request, _("Comment rejected."))

    return _decide(request, comment_id, run, form_name="reject", form=form)


@require_POST
@moderator_required
def feature(request: StaffRequest, comment_id: int) -> HttpResponseBase:
    featured = request.POST.get("featured") == "1"

    def run(comment: Comment) -> None:
        actions.check_feature_comment(comment, moderator=request.user, featured=featured)
        messages.success(request, _("Comment featured.") if featured else _("Comment unfeatured."))

    return _decide(request, comment_id, run)


@require_POST
@moderator_required
def ban_author(request: StaffRequest, comment_id: int) -> HttpResponseBase:
    """The queue's one-click ban: the comment's author, with a reason."""
    form = ReasonForm(request.POST)
    form.is_valid()

    def run(comment: Comment) -> None:
        actions.check_ban_reader(
            comment.author, moderator=request.user, reason=form.cleaned_data.get("reason") or ""
        )
        messages.success(request, _("Reader banned; their waiting comments were rejected."))

    return _decide(request, comment_id, run, form_name="ban", form=form)


# --- readers ---------------------------------------------------------------------------------


@require_GET
@moderator_required
def reader_detail(request: StaffRequest, user_id: int) -> HttpResponseBase:
    return _reader_page(request, access.access_reader_for_moderation(request.user, user_id=user_id))


def _reader_page(
    request: StaffRequest,
    reader: User,
    *,
    error: Refusal | None = None,
    forms: dict[str, django_forms.Form] | None = None,
) -> HttpResponseBase:
    forms = forms or {}
    context = {
        **_area_context(request),
        "reader": reader,
        "history": selectors.get_reader_history(reader),
        "suspend_form": forms.get("suspend") or SuspendForm(),
        "ban_form": forms.get("ban") or ReasonForm(),
        "lift_form": forms.get("lift") or ReasonForm(),
        "error": error,
        "suspension_days": policy.SUSPENSION_DAYS,
    }
    template = "moderation/reader_detail.html"
    if error:
        return refusal_response(request, error, template=template, context=context)
    return render(request, template, context)


def _sanction(
    request: StaffRequest,
    user_id: int,
    form: django_forms.Form,
    run: Callable[[User, dict[str, Any]], None],
    *,
    form_name: str,
    done: str,
) -> HttpResponseBase:
    reader = access.access_reader_for_moderation(request.user, user_id=user_id)
    form.is_valid()
    try:
        run(reader, form.cleaned_data)
    except Refusal as error:
        return _reader_page(request, reader, error=error, forms={form_name: form})
    messages.success(request, done)
    return _next_or(request, reverse("moderation:reader", args=[reader.pk]))


@require_POST
@moderator_required
def suspend(request: StaffRequest, user_id: int) -> HttpResponseBase:
    def run(reader: User, data: dict[str, Any]) -> None:
        actions.check_suspend_reader(
            reader,
            moderator=request.user,
            days=data.get("days") or 0,
            reason=data.get("reason") or "",
        )

    return _sanction(
        request, user_id, SuspendForm(request.POST), run, form_name="suspend",
        done=_("Reader suspended."),
    )  # fmt: skip


@require_POST
@moderator_required
def ban(request: StaffRequest, user_id: int) -> HttpResponseBase:
    def run(reader: User, data: dict[str, Any]) -> None:
        actions.check_ban_reader(reader, moderator=request.user, reason=data.get("reason") or "")

    return _sanction(
        request, user_id, ReasonForm(request.POST), run, form_name="ban", done=_("Reader banned.")
    )


@require_POST
@moderator_required
def lift(request: StaffRequest, user_id: int) -> HttpResponseBase:
    def run(reader: User, data: dict[str, Any]) -> None:
        actions.check_lift_sanctions(
            reader, moderator=request.user, reason=data.get("reason") or ""
        )

    return _sanction(
        request, user_id, ReasonForm(request.POST), run, form_name="lift",
        done=_("Suspension or ban lifted."),
    )  # fmt: skip


# --- word lists ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@moderator_required
def words(request: StaffRequest) -> HttpResponseBase:
    form, status, error = WordForm(), 200, None
    if request.method == "POST":
        form = WordForm(request.POST)
        form.is_valid()
        try:
            actions.check_add_word(
                moderator=request.user,
                word=form.cleaned_data.get("word") or "",
                kind=form.cleaned_data.get("kind") or "",
            )
        except Refusal as refused:
            error = refused
        else:
            messages.success(request, _("Word added."))
            return HttpResponseRedirect(reverse("moderation:words"))
    context = {**_area_context(request), "form": form, "entries": selectors.list_word_entries()}
    context["error"] = error
    if error:
        return refusal_response(
            request, error, template="moderation/words.html", context=context, form=form
        )
    return render(request, "moderation/words.html", context, status=status)


@require_POST
@moderator_required
def word_delete(request: StaffRequest, entry_id: int) -> HttpResponseBase:
    entry = access.access_word_for_editing(request.user, entry_id=entry_id)
    try:
        actions.check_remove_word(entry, moderator=request.user)
    except Refusal as refused:
        return _refused(request, refused)
    messages.success(request, _("Word removed."))
    return HttpResponseRedirect(reverse("moderation:words"))


# --- articles --------------------------------------------------------------------------------


@require_GET
@moderator_required
def articles(request: StaffRequest) -> HttpResponse:
    context = {**_area_context(request), "articles": selectors.list_recent_articles()}
    return render(request, "moderation/articles.html", context)


@require_http_methods(["GET", "POST"])
@moderator_required
def article_discussion(request: StaffRequest, article_id: int) -> HttpResponseBase:
    article = access.access_article_for_moderation(request.user, article_id=article_id)
    error = None
    if request.method == "POST":
        form = ArticleDiscussionForm(request.POST)
        form.is_valid()
        try:
            actions.check_set_article_discussion(
                article,
                moderator=request.user,
                comments_open=bool(form.cleaned_data.get("comments_open")),
                premoderation=form.cleaned_data.get("premoderation") or "",
                reason=form.cleaned_data.get("reason") or "",
            )
        except Refusal as refused:
            error = refused
        else:
            messages.success(request, _("Discussion settings saved."))
            return HttpResponseRedirect(reverse("moderation:article", args=[article.pk]))
    else:
        override = getattr(article, "moderation", None)
        form = ArticleDiscussionForm(
            initial={
                "comments_open": article.comments_open,
                "premoderation": override.premoderation if override else "",
            }
        )
    context = {
        **_area_context(request),
        "article": article,
        "form": form,
        "is_open": selectors.comments_are_open(article),
        "pending": selectors.list_pending(article=article)[:QUEUE_PAGE],
        "site": selectors.get_site_settings(),
    }
    if error:
        return refusal_response(
            request, error, template="moderation/article.html", context=context, form=form
        )
    return render(request, "moderation/article.html", context)


# --- staff -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@settings_staff_required
def site_settings(request: StaffRequest) -> HttpResponseBase:
    current = selectors.get_site_settings()
    status = 200
    if request.method == "POST":
        form = SiteSettingsForm(request.POST, instance=type(current)(pk=1))
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in actions.SETTINGS_FIELDS}
            try:
                actions.check_update_site_settings(staff=request.user, **values)
            except Refusal as refused:
                return _refused(request, refused)
            messages.success(request, _("Settings saved."))
            return HttpResponseRedirect(reverse("moderation:settings"))
        status = 400
    else:
        form = SiteSettingsForm(instance=current)
    context = {**_area_context(request), "form": form}
    return render(request, "moderation/settings.html", context, status=status)


@require_GET
@log_reader_required
def audit_log(request: StaffRequest) -> HttpResponse:
    page = paginate(request, selectors.list_audit_entries(), per_page=LOG_PAGE)
    return render(request, "moderation/log.html", {**_area_context(request), "page": page})


# --- allauth's sign-in and sign-up limits ----------------------------------------------------


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """allauth's 429 (config.urls.handler429): in Arabic, with the real wait in Retry-After."""
    retry_after = limits.retry_after_for_view(request)
    context = {"retry_after": retry_after, "message": gate.wait_message(retry_after)}
    response = render(request, "moderation/429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
