"""What archive version 2 adds to an import: the readers' own details, individual votes and
edit times (docs/archive-format-v2.md).

Called by minbar.archive.actions inside its transaction, after the accounts and comments are
written; any error here rolls the whole import back. An account that was already on the site
is never changed: the readers' details are applied to the accounts this import created.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from minbar.accounts.policy import display_name_key, display_name_problems, username_key
from minbar.archive import policy
from minbar.archive.validate import ArchiveDocument, ArchiveError, ArchiveInvalid, ReaderEntry
from minbar.discussion.models import Comment, CommentVote
from minbar.discussion.policy import best_rank
from minbar.moderation.models import AuditEntry, CommentReport, Sanction

BATCH = 500


def apply_readers(readers: Iterable[ReaderEntry], *, created: set[str]) -> None:
    """Give the accounts made by this import the details the file has for them, a batch at a
    time (the readers may be a stream); raises ArchiveInvalid with every problem found."""
    state = _ReaderChecks()
    batch: list[ReaderEntry] = []
    for entry in readers:
        if entry.username in created:
            batch.append(entry)
        if len(batch) >= BATCH:
            _apply_reader_batch(batch, state)
            batch = []
    _apply_reader_batch(batch, state)
    if state.errors:
        raise ArchiveInvalid(state.errors)


class _ReaderChecks:
    """What the checks of display names and emails carry from one batch to the next."""

    def __init__(self) -> None:
        self.errors: list[ArchiveError] = []
        self.shown: dict[str, str] = {}
        self.emails: dict[str, str] = {}


def _apply_reader_batch(entries: list[ReaderEntry], state: _ReaderChecks) -> None:
    from allauth.account.models import EmailAddress

    User = get_user_model()
    if not entries:
        return
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[entry.username for entry in entries])
    }
    errors = state.errors
    shown, emails = state.shown, state.emails
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
        return  # the import is refused: nothing more is written
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
        rows = (
            Comment.objects.filter(article_id=article.pk)
            .filter(_standing_for([item.id for item in items]))
            .only("pk", "import_id", "upvotes", "downvotes", "imported_score")
        )
        by_id: dict[str, Comment] = {}
        by_pk: dict[int, Comment] = {}
        for comment in rows:
            by_pk[comment.pk] = comment
            if comment.import_id:
                by_id[comment.import_id] = comment
        targets: dict[str, Comment] = {}
        for item in items:
            found = by_id.get(item.id)
            if found is None:
                native = policy.native_pk(item.id)
                found = by_pk.get(native) if native is not None else None
            if found is not None:
                targets[item.id] = found
        present = set(
            CommentVote.objects.filter(comment_id__in=[c.pk for c in targets.values()]).values_list(
                "comment_id", "voter_id"
            )
        )
        new: list[CommentVote] = []
        moved: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for item in items:
            target = targets.get(item.id)
            if target is None:
                continue
            for vote in item.votes:
                voter = authors[vote.reader]
                if (target.pk, voter) in present:
                    continue
                new.append(
                    CommentVote(
                        comment_id=target.pk,
                        voter_id=voter,
                        value=vote.value,
                        is_counted=vote.counted,
                        created_at=vote.at,
                    )
                )
                if vote.counted:
                    moved[target.pk][0 if vote.value > 0 else 1] += 1
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


def comment_ids(
    document: ArchiveDocument,
    articles: dict,
    *,
    wanted: Collection[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], int]:
    """(article slug, file id) → comment id, for every comment of the file (or only those
    `wanted`)."""
    found: dict[tuple[str, str], int] = {}
    for entry in document.articles:
        idents = [
            item.id for item in entry.comments if wanted is None or (entry.slug, item.id) in wanted
        ]
        if not idents:
            continue
        article = articles[entry.slug]
        by_id: dict[str, int] = {}
        pks: set[int] = set()
        for pk, import_id in (
            Comment.objects.filter(article_id=article.pk)
            .filter(_standing_for(idents))
            .values_list("pk", "import_id")
        ):
            pks.add(pk)
            if import_id:
                by_id[import_id] = pk
        for ident in idents:
            known = by_id.get(ident)
            if known is None:
                native = policy.native_pk(ident)
                known = native if native in pks else None
            if known is not None:
                found[(entry.slug, ident)] = known
    return found


def _standing_for(idents: list[str]) -> Q:
    """The comments that file ids may stand for: by import id, or Minbar's own as `c<pk>`."""
    natives = [pk for ident in idents if (pk := policy.native_pk(ident)) is not None]
    return Q(import_id__in=idents) | Q(pk__in=natives)


Moderation = tuple[str, str, dict[str, Any]]  # (kind, pointer, fields), as validate gives it


def write_moderation(
    batches: Iterable[Sequence[Moderation]],
    *,
    articles: dict,
    authors: dict[str, int],
    comments: dict[tuple[str, str], int],
) -> None:
    """Reports, sanctions and decisions the site does not have yet, a batch at a time (the
    file's may be a stream). Staff are named by username; one that has no account here is
    left out of the row (as when a staff account is deleted): a file never makes staff."""
    seen: _Known | None = None
    for batch in batches:
        if not batch:
            continue
        if seen is None:
            seen = _Known()
        _write_moderation_batch(batch, seen, articles=articles, authors=authors, comments=comments)


class _Known:
    """The keys of the moderation rows already here (and written so far)."""

    def __init__(self) -> None:
        self.reports = set(CommentReport.objects.values_list("comment_id", "reporter_id"))
        self.sanctions = set(Sanction.objects.values_list("reader_id", "kind", "starts_at"))
        self.decisions: set[tuple[object, ...]] = set(
            AuditEntry.objects.values_list(
                "action", "created_at", "actor_id", "comment_id", "article_id", "reader_id"
            )
        )


def _write_moderation_batch(
    batch: Sequence[Moderation],
    known: _Known,
    *,
    articles: dict,
    authors: dict[str, int],
    comments: dict[tuple[str, str], int],
) -> None:
    User = get_user_model()
    staff_names = {
        fields[key]
        for _kind, _pointer, fields in batch
        for key in ("resolved_by", "by", "lifted_by")
        if fields.get(key)
    }
    staff = dict(User.objects.filter(username__in=staff_names).values_list("username", "pk"))

    def who(name: str) -> int | None:
        return staff.get(name) if name else None

    def person(name: str) -> int | None:
        return authors.get(name) if name else None

    reports, sanctions, decisions = known.reports, known.sanctions, known.decisions
    new_reports, new_sanctions, new_decisions = [], [], []
    for kind, _pointer, f in batch:
        if kind == "reports":
            report_key = (comments[(f["article"], f["comment"])], authors[f["reporter"]])
            if report_key in reports:
                continue
            reports.add(report_key)
            new_reports.append(
                CommentReport(
                    comment_id=report_key[0], reporter_id=report_key[1], reason=f["reason"],
                    text=f["text"], is_counted=f["counted"], created_at=f["at"],
                    resolution=f["resolution"], resolved_at=f["resolved_at"],
                    resolved_by_id=who(f["resolved_by"]),
                )
            )  # fmt: skip
        elif kind == "sanctions":
            sanction_key = (authors[f["reader"]], f["kind"], f["starts_at"])
            if sanction_key in sanctions:
                continue
            sanctions.add(sanction_key)
            new_sanctions.append(
                Sanction(
                    reader_id=sanction_key[0], kind=f["kind"], reason=f["reason"],
                    starts_at=f["starts_at"], ends_at=f["ends_at"], created_by_id=who(f["by"]),
                    lifted_at=f["lifted_at"], lifted_by_id=who(f["lifted_by"]),
                )
            )  # fmt: skip
        else:
            comment = comments.get((f["article"], f["comment"])) if f["comment"] else None
            article = articles[f["article"]].pk if f["article"] else None
            actor, reader = who(f["by"]), person(f["reader"])
            decision_key = (f["action"], f["at"], actor, comment, article, reader)
            if decision_key in decisions:
                continue
            decisions.add(decision_key)
            new_decisions.append(
                AuditEntry(
                    action=f["action"], created_at=f["at"], actor_id=actor, reason=f["reason"],
                    comment_id=comment, article_id=article, reader_id=reader,
                    details=f["details"],
                )
            )  # fmt: skip
    CommentReport.objects.bulk_create(new_reports, batch_size=BATCH)
    Sanction.objects.bulk_create(new_sanctions, batch_size=BATCH)
    AuditEntry.objects.bulk_create(new_decisions, batch_size=BATCH)


__all__ = ["apply_readers", "username_key", "write_moderation", "write_votes"]
