"""What archive version 2 adds to an import: the readers' own details, individual votes and
edit times (docs/archive-format-v2.md).

Called by minbar.archive.actions inside its transaction, after the accounts and comments are
written; any error here rolls the whole import back. An account that was already on the site
is never changed: the readers' details are applied to the accounts this import created.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from minbar.accounts.policy import display_name_key, display_name_problems, username_key
from minbar.archive import policy
from minbar.archive.validate import ArchiveDocument, ArchiveError, ArchiveInvalid
from minbar.discussion.models import Comment, CommentVote
from minbar.discussion.policy import best_rank

BATCH = 500


def apply_readers(document: ArchiveDocument, *, created: set[str]) -> None:
    """Give the accounts made by this import the details the file has for them."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    entries = [entry for entry in document.readers if entry.username in created]
    if not entries:
        return
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[entry.username for entry in entries])
    }
    errors: list[ArchiveError] = []
    shown: dict[str, str] = {}
    emails: dict[str, str] = {}
    for entry in entries:
        user = users[entry.username]
        if entry.display_name:
            problems = display_name_problems(entry.display_name)
            key = display_name_key(entry.display_name, own_key=user.username_key)
            if problems:
                errors.append(
                    ArchiveError(
                        f"{entry.pointer}/display_name",
                        _("Not an acceptable display name (%(problems)s).")
                        % {"problems": ", ".join(problems)},
                    )
                )
            elif key and (
                key in shown
                or User.objects.filter(username_key=key).exclude(pk=user.pk).exists()
                or User.objects.filter(display_name_key=key).exclude(pk=user.pk).exists()
            ):
                errors.append(
                    ArchiveError(
                        f"{entry.pointer}/display_name",
                        _("This display name looks the same as another reader's name."),
                    )
                )
            elif key:
                shown[key] = entry.pointer
        if entry.email:
            lowered = entry.email.lower()
            if lowered in emails or (
                User.objects.filter(email__iexact=lowered).exclude(pk=user.pk).exists()
            ):
                errors.append(
                    ArchiveError(
                        f"{entry.pointer}/email",
                        _("Another account already has this email address."),
                    )
                )
            emails[lowered] = entry.pointer
    if errors:
        raise ArchiveInvalid(errors)
    addresses = []
    for entry in entries:
        user = users[entry.username]
        user.display_name = entry.display_name
        user.email = entry.email
        if entry.joined_at is not None:
            user.date_joined = entry.joined_at
        user.save(update_fields=["display_name", "email", "date_joined"])
        if entry.email:
            addresses.append(
                EmailAddress(
                    user=user,
                    email=entry.email.lower(),
                    verified=entry.email_verified,
                    primary=True,
                )
            )
    EmailAddress.objects.bulk_create(addresses, batch_size=BATCH)


def write_votes(document: ArchiveDocument, *, articles: dict, authors: dict[str, int]) -> int:
    """Add the votes the site does not have yet; returns how many. A comment's score stays
    what the file says: the counted votes move from its imported score into its up and down
    counts."""
    added = 0
    for entry in document.articles:
        items = [item for item in entry.comments if item.votes]
        if not items:
            continue
        article = articles[entry.slug]
        rows = Comment.objects.filter(article_id=article.pk).only(
            "pk", "import_id", "upvotes", "downvotes", "imported_score"
        )
        by_id: dict[str, Comment] = {}
        by_pk: dict[int, Comment] = {}
        for comment in rows:
            by_pk[comment.pk] = comment
            if comment.import_id:
                by_id[comment.import_id] = comment
        targets: dict[str, Comment] = {}
        for item in items:
            comment = by_id.get(item.id)
            if comment is None:
                pk = policy.native_pk(item.id)
                comment = by_pk.get(pk) if pk is not None else None
            if comment is not None:
                targets[item.id] = comment
        present = set(
            CommentVote.objects.filter(comment_id__in=[c.pk for c in targets.values()]).values_list(
                "comment_id", "voter_id"
            )
        )
        new: list[CommentVote] = []
        moved: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for item in items:
            comment = targets.get(item.id)
            if comment is None:
                continue
            for vote in item.votes:
                voter = authors[vote.reader]
                if (comment.pk, voter) in present:
                    continue
                new.append(
                    CommentVote(
                        comment_id=comment.pk,
                        voter_id=voter,
                        value=vote.value,
                        is_counted=vote.counted,
                        created_at=vote.at,
                    )
                )
                if vote.counted:
                    moved[comment.pk][0 if vote.value > 0 else 1] += 1
        CommentVote.objects.bulk_create(new, batch_size=BATCH)
        added += len(new)
        dirty = []
        for pk, (up, down) in moved.items():
            comment = by_pk[pk]
            comment.upvotes += up
            comment.downvotes += down
            comment.imported_score -= up - down
            comment.best_rank = best_rank(
                upvotes=comment.upvotes,
                downvotes=comment.downvotes,
                imported_score=comment.imported_score,
            )
            dirty.append(comment)
        Comment.objects.bulk_update(
            dirty, ["upvotes", "downvotes", "imported_score", "best_rank"], batch_size=BATCH
        )
    return added


__all__ = ["apply_readers", "username_key", "write_votes"]
