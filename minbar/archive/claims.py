"""Giving an imported reader's history to the person it belongs to.

A reader imported with an email claims the account alone, by a password reset to that
address (minbar.accounts.actions.do_set_password). One imported without an email cannot prove
anything by mail; staff who are satisfied it is the same person merge the imported account
into the reader's new one, in one action: comments, votes and the platform identity move, and
the empty imported account goes.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from minbar.accounts.models import User
from minbar.accounts.policy import is_unclaimed_import
from minbar.archive.models import ImportedReader
from minbar.core.errors import Refusal
from minbar.discussion import actions as discussion
from minbar.discussion.changes import announce_changes
from minbar.discussion.models import Comment, CommentVote


class MergeRefused(Refusal):
    """A merge staff may not make: the one refusal type (`core.errors.Refusal`), about the
    account named to receive the history (`field="into"`)."""

    def __init__(self, code: str, message: str):
        super().__init__(code, message, field="into")


def check_merge_imported_reader(imported: User, *, into: User) -> None:
    """Refuse a merge that would take over a live account or merge an account into itself."""
    if imported.pk == into.pk:
        raise MergeRefused("merge-into-itself", _("An account cannot be merged into itself."))
    if not is_unclaimed_import(
        is_active=imported.is_active,
        has_usable_password=imported.has_usable_password(),
        has_signed_in=imported.last_login is not None,
    ):
        raise MergeRefused(
            "not-unclaimed-import",
            _("%(name)s is not an unclaimed imported account: it cannot be merged.")
            % {"name": imported.username},
        )
    if into.is_staff or not into.is_active:
        raise MergeRefused(
            "not-an-active-reader",
            _("%(name)s is not an active reader's account.") % {"name": into.username},
        )


@transaction.atomic
def do_merge_imported_reader(imported: User, *, into: User) -> int:
    """Move everything of the unclaimed imported account `imported` to `into`, then delete it;
    returns the number of comments moved. Where both voted on one comment, `into`'s vote
    stays and the imported one is withdrawn (the counters move with it)."""
    check_merge_imported_reader(imported, into=into)
    both = set(CommentVote.objects.filter(voter=into).values_list("comment_id", flat=True)) & set(
        CommentVote.objects.filter(voter=imported).values_list("comment_id", flat=True)
    )
    for comment in Comment.objects.filter(pk__in=both):
        discussion.do_cast_vote(comment, voter=imported, value=0)
    CommentVote.objects.filter(voter=imported).update(voter=into)
    touched: dict[int, list[int]] = defaultdict(list)
    for pk, article_id in Comment.objects.filter(author=imported).values_list("pk", "article_id"):
        touched[article_id].append(pk)
    moved = Comment.objects.filter(author=imported).update(author=into)
    ImportedReader.objects.filter(user=imported).update(user=into)
    imported.delete()
    announce_changes(discussions=touched)
    return moved
