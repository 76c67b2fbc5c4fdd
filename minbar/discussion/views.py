"""Discussion endpoints: parse, access, act, respond. Every refusal keeps what the reader typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minbar.core.errors import Refusal
from minbar.core.formatting import format_score
from minbar.core.http import refusal_response, wants_json
from minbar.discussion import actions, selectors
from minbar.discussion.access import (
    access_comment_for_changing,
    access_comment_for_reading,
    access_comment_for_voting,
)
from minbar.discussion.errors import DiscussionError
from minbar.discussion.forms import CommentForm, VoteForm
from minbar.discussion.policy import parse_order
from minbar.news.access import access_article_for_reading
from minbar.serving.selectors import get_posting_state

if TYPE_CHECKING:
    from minbar.accounts.models import AnyUser, User
    from minbar.discussion.models import Comment
    from minbar.news.models import Article

    class SignedInRequest(HttpRequest):
        """A request that passed login_required: its user is signed in."""

        user: User


def comment_url(
    comment: Comment,
    *,
    user: AnyUser | None = None,
    order: str = "oldest",
    just_posted: bool = False,
) -> str:
    if just_posted:
        page = selectors.find_posted_comment_page(comment, order=order, user=user)
    else:
        page = selectors.find_comment_page(comment, order=order, user=user)
    base = comment.article.get_absolute_url()
    query = []
    if order != "oldest":
        query.append(f"order={order}")
    if page != 1:
        query.append(f"page={page}")
    return f"{base}{'?' + '&'.join(query) if query else ''}#comment-{comment.pk}"


def _refused_post(
    request: HttpRequest,
    article: Article,
    form: CommentForm,
    refusal: Refusal,
    *,
    parent: Comment | None = None,
) -> HttpResponseBase:
    """The write (or reply) page again, the reader's text in the form and the reason above it."""
    context: dict[str, Any]
    if parent is not None:
        template, context = "discussion/comment_reply.html", {"parent": parent}
    else:
        template, context = "discussion/comment_write.html", write_state(request, article)
    context = {**context, "article": article, "form": form}
    return refusal_response(request, refusal, template=template, context=context, form=form)


def _refused_on_comment(
    request: HttpRequest, comment: Comment, refusal: Refusal
) -> HttpResponseBase:
    """A vote or a deletion refused: the reason, and the way back to the comment."""
    context = {"comment": comment, "message": refusal.message}
    return refusal_response(
        request, refusal, template="discussion/comment_error.html", context=context
    )


def write_state(request: HttpRequest, article: Article) -> dict[str, Any]:
    """What the write page says besides the form: closed, sanctioned, held for review."""
    return {"posting": get_posting_state(request.user, article=article)}


@login_required
def write_comment(request: SignedInRequest, slug: str) -> HttpResponse:
    """The form on a page of its own: the way to comment without JavaScript (the article page
    is the same for every reader, so it cannot show a signed-in reader's form by itself)."""
    article = access_article_for_reading(request.user, slug=slug, for_page=False)
    if not article.is_live():
        raise Http404
    context = {"article": article, "form": CommentForm(), **write_state(request, article)}
    return render(request, "discussion/comment_write.html", context)


@login_required
def comment_actions(request: SignedInRequest, comment_id: int) -> HttpResponse:
    """One comment and what this reader may do with it: vote, reply, edit, delete, report (the
    article page's controls, without JavaScript)."""
    comment = access_comment_for_reading(request.user, comment_id=comment_id)
    context = selectors.get_comment_actions(comment, reader=request.user)
    return render(request, "discussion/comment_actions.html", context)


@require_POST
@login_required
def post_comment(request: SignedInRequest, slug: str) -> HttpResponseBase:
    article = access_article_for_reading(request.user, slug=slug, for_page=False)
    form = CommentForm(request.POST)
    if not form.is_valid():
        error = DiscussionError("invalid", form.errors.as_text())
        return _refused_post(request, article, form, error)
    parent_id = form.cleaned_data.get("parent")
    try:
        comment = actions.check_post_comment(
            article=article,
            author=request.user,
            text=form.cleaned_data["text"],
            parent_id=parent_id,
        )
    except DiscussionError as error:
        parent = None
        if parent_id and error.code != "bad-parent":
            parent = access_comment_for_reading(request.user, comment_id=parent_id)
        return _refused_post(request, article, form, error, parent=parent)
    _confirm(request, comment, published=_("Your comment is published."))
    return HttpResponseRedirect(comment_url(comment, user=request.user, just_posted=True))


def _confirm(request: HttpRequest, comment: Comment, *, published: str) -> None:
    """What the reader is told after writing (shown beside the comment by minbar.js, from the
    reader's state; the comment itself is highlighted as the address's target)."""
    comment.refresh_from_db(fields=["status"])
    if comment.status == comment.Status.PENDING:
        messages.info(request, _("Thank you: your comment will show once a moderator approves it."))
    else:
        messages.success(request, published)


def permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment_for_reading(request.user, comment_id=comment_id)
    order = request.GET.get("order", "oldest")
    return HttpResponseRedirect(comment_url(comment, user=request.user, order=parse_order(order)))


@login_required
def reply(request: SignedInRequest, comment_id: int) -> HttpResponse:
    parent = access_comment_for_reading(request.user, comment_id=comment_id)
    form = CommentForm(initial={"parent": parent.pk})
    return render(
        request,
        "discussion/comment_reply.html",
        {"parent": parent, "article": parent.article, "form": form},
    )


@login_required
def cast_vote(request: SignedInRequest, comment_id: int) -> HttpResponseBase:
    if request.method != "POST":
        return comment_actions(request, comment_id)
    form = VoteForm(request.POST)
    comment = access_comment_for_voting(request.user, comment_id=comment_id)
    try:
        if not form.is_valid():
            raise DiscussionError("bad-vote", form.errors.as_text())
        tally = actions.check_cast_vote(
            comment, voter=request.user, value=form.cleaned_data["value"]
        )
    except DiscussionError as error:
        return _refused_on_comment(request, comment, error)
    if wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "comment": tally.comment_id,
                "score": tally.score,
                "score_display": format_score(tally.score),
                "my_vote": tally.my_vote,
                # False: the vote is kept, but the reader's account does not move scores yet.
                "counted": tally.counted,
                "note": "" if tally.counted else _uncounted_vote_note(),
            }
        )
    return HttpResponseRedirect(comment_url(comment, user=request.user))


def _uncounted_vote_note() -> str:
    return _(
        "Your vote is kept. It will count toward the score once your account is a few days "
        "old and its email address is verified."
    )


@login_required
def edit_comment(request: SignedInRequest, comment_id: int) -> HttpResponseBase:
    comment = access_comment_for_changing(request.user, comment_id=comment_id)
    if request.method != "POST":
        form = CommentForm(initial={"text": comment.body})
        return render(request, "discussion/comment_edit.html", {"comment": comment, "form": form})
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise DiscussionError("invalid", form.errors.as_text(), field="text")
        actions.check_edit_comment(comment, editor=request.user, text=form.cleaned_data["text"])
    except DiscussionError as error:
        return refusal_response(
            request,
            error,
            template="discussion/comment_edit.html",
            context={"comment": comment, "form": form},
            form=form,
            fallback_field="text",
        )
    _confirm(request, comment, published=_("Your comment is updated."))
    return HttpResponseRedirect(comment_url(comment, user=request.user))


@login_required
def delete_comment(request: SignedInRequest, comment_id: int) -> HttpResponseBase:
    comment = access_comment_for_changing(request.user, comment_id=comment_id)
    if request.method == "POST":
        try:
            actions.check_delete_comment(comment, user=request.user)
        except DiscussionError as error:
            return _refused_on_comment(request, comment, error)
        return HttpResponseRedirect(reverse("news:article", kwargs={"slug": comment.article.slug}))
    return render(request, "discussion/comment_delete.html", {"comment": comment})
