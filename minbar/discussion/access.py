"""Which comment a request may act on. What a reader may not see is a 404."""

from __future__ import annotations

from django.http import Http404

from minbar.accounts.models import AnyUser
from minbar.discussion.models import Comment


def access_comment_for_reading(user: AnyUser, *, comment_id: int) -> Comment:
    comment = Comment.objects.select_related("article", "author").filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    if not comment.article.is_live():
        raise Http404
    if comment.status == Comment.Status.VISIBLE:
        return comment
    if comment.status == Comment.Status.DELETED:
        return comment
    if user.is_authenticated and comment.author_id == user.pk:
        return comment
    raise Http404


def access_comment_for_voting(user: AnyUser, *, comment_id: int) -> Comment:
    return access_comment_for_reading(user, comment_id=comment_id)


def access_comment_for_changing(user: AnyUser, *, comment_id: int) -> Comment:
    """The author's own comment (edit, delete); someone else's is a 404 here."""
    comment = access_comment_for_reading(user, comment_id=comment_id)
    if comment.author_id != user.pk:
        raise Http404
    return comment
