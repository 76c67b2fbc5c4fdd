"""Every moderation write: reports, the moderators' decisions, sanctions, word lists and
settings. (The checks discussion asks before a reader posts, edits or votes are in `gate.py`.)
`check_*` raise ModerationError (code, status, message in the reader's language,
`retry_after` for rate limits); `do_*` change state atomically and write the audit log.

Visibility changes always go through `discussion.actions.do_change_comment_status`, so the
article's comment count moves in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minbar.accounts.models import User
from minbar.core.announce import announce
from minbar.core.errors import Refusal
from minbar.core.signals import article_changed, comment_decided, discussion_changed
from minbar.core.tasks import announce_in_background
from minbar.core.text import clean_user_text
from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment
from minbar.moderation import access, policy, selectors
from minbar.moderation.errors import ModerationError
from minbar.moderation.gate import check_not_sanctioned, limited
from minbar.moderation.models import (
    REASON_MAX,
    REPORT_TEXT_MAX,
    WORD_MAX,
    ArticleModeration,
    AuditEntry,
    CommentReport,
    Sanction,
    SiteSettings,
    WordListEntry,
)
from minbar.news.models import Article
from minbar.search.arabic.normalise import fold_for_matching

VISIBLE = Comment.Status.VISIBLE
PENDING = Comment.Status.PENDING
REJECTED = Comment.Status.REJECTED
DELETED = Comment.Status.DELETED
OPEN = CommentReport.Resolution.OPEN


# --- helpers ---------------------------------------------------------------------------------


def _audit(
    action: str,
    *,
    actor: User | None,
    reason: str = "",
    comment: Comment | None = None,
    article: Article | None = None,
    reader: User | None = None,
    **details: Any,
) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        reason=reason,
        comment=comment,
        article=article if article is not None else (comment.article if comment else None),
        reader=reader if reader is not None else (comment.author if comment else None),
        details=details,
    )


def _forbidden() -> ModerationError:
    return ModerationError("forbidden", _("You are not allowed to do this."), status=403)


def _require(allowed: bool) -> None:
    if not allowed:
        raise _forbidden()


def _forget_cached() -> None:
    """Drop the cached settings and word lists now and again after commit: a request that read
    them in between would otherwise cache the old values for minutes."""
    selectors.forget_cached()
    transaction.on_commit(selectors.forget_cached)


# --- reports ---------------------------------------------------------------------------------


def check_report_comment(
    comment: Comment, *, reporter: User, reason: str, text: str
) -> CommentReport:
    if len(text) > REPORT_TEXT_MAX * 2:
        raise ModerationError("too-long", _report_too_long(), field="text")
    text = clean_user_text(text).strip()
    if len(text) > REPORT_TEXT_MAX:
        raise ModerationError("too-long", _report_too_long(), field="text")
    if not reporter.is_authenticated or not reporter.is_active:
        raise ModerationError("sign-in", _("Sign in to report a comment."), status=403)
    if reason not in CommentReport.Reason.values:
        raise ModerationError("bad-reason", _("Choose a reason."), field="reason")
    if reason == CommentReport.Reason.OTHER and not text:
        raise ModerationError(
            "no-details", _("Tell the moderators what is wrong with this comment."), field="text"
        )
    if comment.author_id == reporter.pk:
        raise ModerationError("own-comment", _("You cannot report your own comment."), status=403)
    if comment.status != VISIBLE:
        raise ModerationError("gone", _("This comment is no longer shown."), status=410)
    check_not_sanctioned(reporter)
    if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
        raise _already_reported()
    hits = limited("report", ident=str(reporter.pk))
    counted = selectors.is_established_reader(reporter)
    try:
        return do_report_comment(
            comment, reporter=reporter, reason=reason, text=text, counted=counted
        )
    except Refusal:
        hits.undo()
        raise


def _report_too_long() -> str:
    return _("The details can be at most %(max)s characters long.") % {"max": REPORT_TEXT_MAX}


def _already_reported() -> ModerationError:
    return ModerationError(
        "already-reported", _("You have already reported this comment. Thank you."), status=409
    )


@transaction.atomic
def do_report_comment(
    comment: Comment, *, reporter: User, reason: str, text: str = "", counted: bool = True
) -> CommentReport:
    """Record one reader's report; the counted report that reaches the threshold hides the
    comment until a moderator decides. A report that is not `counted` (a new or unverified
    account's, decision 0008) waits in the reported queue all the same."""
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, reporter=reporter, reason=reason, text=text, is_counted=counted
            )
    except IntegrityError:
        raise _already_reported() from None
    if not counted:
        return report
    open_reports = CommentReport.objects.filter(comment=comment, resolution=OPEN, is_counted=True)
    counted_reports = open_reports.count()
    threshold = selectors.get_site_settings().report_threshold
    if counted_reports >= threshold:
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.status == VISIBLE:
            discussion.do_change_comment_status(current, status=PENDING)
            comment.status = PENDING
            _audit(
                AuditEntry.Action.HIDE,
                actor=None,
                comment=current,
                reason=_("Reported by %(n)s readers.") % {"n": counted_reports},
                reports=counted_reports,
            )
    return report


def _resolve_reports(comment: Comment, *, moderator: User, resolution: str) -> int:
    return CommentReport.objects.filter(comment=comment, resolution=OPEN).update(
        resolution=resolution, resolved_at=timezone.now(), resolved_by=moderator
    )


# --- decisions on comments -------------------------------------------------------------------


def _clean_reason(reason: str, *, required: bool) -> str:
    if len(reason) > REASON_MAX * 2:
        raise _reason_too_long()
    reason = clean_user_text(reason).strip()
    if len(reason) > REASON_MAX:
        raise _reason_too_long()
    if required and not reason:
        raise ModerationError("no-reason", _("Give a reason."), field="reason")
    return reason


def _reason_too_long() -> ModerationError:
    return ModerationError(
        "too-long",
        _("A reason can be at most %(max)s characters long.") % {"max": REASON_MAX},
        field="reason",
    )


def check_approve_comment(comment: Comment, *, moderator: User) -> Comment:
    _require(access.is_moderator(moderator))
    if comment.status == DELETED:
        raise ModerationError("gone", _("This comment has been deleted."), status=410)
    return do_approve_comment(comment, moderator=moderator)


@transaction.atomic
def do_approve_comment(comment: Comment, *, moderator: User, reason: str = "") -> Comment:
    """Show the comment (from the pending, reported or rejected queue) and close its reports."""
    was = comment.status
    if was != VISIBLE:
        discussion.do_change_comment_status(comment, status=VISIBLE)
        announce_in_background(comment_decided, comment_id=comment.pk, decision="approved")
    resolved = _resolve_reports(comment, moderator=moderator, resolution="kept")
    _audit(
        AuditEntry.Action.APPROVE,
        actor=moderator,
        comment=comment,
        reason=reason,
        was=was,
        reports=resolved,
    )
    return comment


def check_reject_comment(comment: Comment, *, moderator: User, reason: str) -> Comment:
    _require(access.is_moderator(moderator))
    reason = _clean_reason(reason, required=True)
    if comment.status == DELETED:
        raise ModerationError("gone", _("This comment has been deleted."), status=410)
    return do_reject_comment(comment, moderator=moderator, reason=reason)


@transaction.atomic
def do_reject_comment(comment: Comment, *, moderator: User, reason: str) -> Comment:
    was = comment.status
    if was != REJECTED:
        discussion.do_change_comment_status(comment, status=REJECTED)
        announce_in_background(
            comment_decided, comment_id=comment.pk, decision="rejected", reason=reason
        )
    if comment.is_featured:
        Comment.objects.filter(pk=comment.pk).update(is_featured=False)
        comment.is_featured = False
    resolved = _resolve_reports(comment, moderator=moderator, resolution="removed")
    _audit(
        AuditEntry.Action.REJECT,
        actor=moderator,
        comment=comment,
        reason=reason,
        was=was,
        reports=resolved,
    )
    return comment


def check_feature_comment(comment: Comment, *, moderator: User, featured: bool) -> Comment:
    _require(access.is_moderator(moderator))
    if featured and comment.status != VISIBLE:
        raise ModerationError(
            "not-visible", _("Only a comment that readers can see can be featured."), status=409
        )
    return do_feature_comment(comment, moderator=moderator, featured=featured)


@transaction.atomic
def do_feature_comment(comment: Comment, *, moderator: User, featured: bool) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(is_featured=featured)
    comment.is_featured = featured
    action = AuditEntry.Action.FEATURE if featured else AuditEntry.Action.UNFEATURE
    _audit(action, actor=moderator, comment=comment)
    announce(
        discussion_changed, sender=Comment, article_id=comment.article_id, comment_ids=[comment.pk]
    )
    return comment


# --- readers ---------------------------------------------------------------------------------


def _check_can_sanction(reader: User, *, moderator: User) -> None:
    _require(access.can_sanction(moderator))
    if not access.can_be_sanctioned_by(reader, moderator=moderator):
        raise ModerationError(
            "protected",
            _("Moderators act on readers: not on themselves, staff or other moderators."),
            status=403,
        )


def check_suspend_reader(reader: User, *, moderator: User, days: int, reason: str) -> Sanction:
    _check_can_sanction(reader, moderator=moderator)
    reason = _clean_reason(reason, required=True)
    if days not in policy.SUSPENSION_DAYS:
        raise ModerationError("bad-days", _("Choose how long the suspension lasts."), field="days")
    until = timezone.now() + dt.timedelta(days=days)
    return do_suspend_reader(reader, moderator=moderator, until=until, reason=reason)


def check_ban_reader(reader: User, *, moderator: User, reason: str) -> Sanction:
    _check_can_sanction(reader, moderator=moderator)
    reason = _clean_reason(reason, required=True)
    return do_ban_reader(reader, moderator=moderator, reason=reason)


def do_suspend_reader(
    reader: User, *, moderator: User, until: dt.datetime, reason: str
) -> Sanction:
    return _do_sanction(
        reader, kind=Sanction.Kind.SUSPENSION, moderator=moderator, until=until, reason=reason
    )


def do_ban_reader(reader: User, *, moderator: User, reason: str) -> Sanction:
    return _do_sanction(
        reader, kind=Sanction.Kind.BAN, moderator=moderator, until=None, reason=reason
    )


@transaction.atomic
def _do_sanction(
    reader: User, *, kind: str, moderator: User, until: dt.datetime | None, reason: str
) -> Sanction:
    """Record the sanction, end every session of the reader at once (the session hash includes
    `session_epoch`), and reject the comments they still have waiting."""
    sanction = Sanction.objects.create(
        reader=reader, kind=kind, ends_at=until, reason=reason, created_by=moderator
    )
    type(reader).objects.filter(pk=reader.pk).update(session_epoch=F("session_epoch") + 1)
    rejected = []
    for comment in Comment.objects.filter(author=reader, status=PENDING).select_related(
        "article", "author"
    ):
        discussion.do_change_comment_status(comment, status=REJECTED)
        _resolve_reports(comment, moderator=moderator, resolution="removed")
        rejected.append(comment.pk)
    action = AuditEntry.Action.BAN if kind == Sanction.Kind.BAN else AuditEntry.Action.SUSPEND
    _audit(
        action,
        actor=moderator,
        reader=reader,
        reason=reason,
        until=until.isoformat() if until else None,
        rejected_comments=rejected,
    )
    return sanction


def check_lift_sanctions(reader: User, *, moderator: User, reason: str) -> int:
    _check_can_sanction(reader, moderator=moderator)
    reason = _clean_reason(reason, required=True)
    return do_lift_sanctions(reader, moderator=moderator, reason=reason)


@transaction.atomic
def do_lift_sanctions(reader: User, *, moderator: User, reason: str) -> int:
    lifted = (
        Sanction.objects.filter(reader=reader)
        .active()
        .update(lifted_at=timezone.now(), lifted_by=moderator)
    )
    if lifted:
        _audit(AuditEntry.Action.LIFT, actor=moderator, reader=reader, reason=reason)
        epoch = type(reader).objects.values_list("session_epoch", flat=True).get(pk=reader.pk)
        key = selectors.sanction_key(reader.pk, epoch)
        selectors.forget_keys(key)  # now, and again once committed (a read in between cached)
        transaction.on_commit(lambda: selectors.forget_keys(key))
    return lifted


# --- word lists ------------------------------------------------------------------------------


def check_add_word(*, moderator: User, word: str, kind: str) -> WordListEntry:
    _require(access.can_edit_words(moderator))
    if len(word) > WORD_MAX * 2:
        raise _word_too_long()
    word = " ".join(clean_user_text(word).split())
    if len(word) > WORD_MAX:
        raise _word_too_long()
    if kind not in WordListEntry.Kind.values:
        raise ModerationError("bad-list", _("Choose a list."), field="kind")
    folded = " ".join(fold_for_matching(word).split())
    if not word or not any(c.isalnum() for c in folded):
        raise ModerationError("empty", _("Write a word with letters or digits."), field="word")
    existing = WordListEntry.objects.filter(folded=folded).first()
    if existing is not None:
        raise ModerationError(
            "duplicate",
            _("This word is already on the list (as «%(word)s»).") % {"word": existing.word},
            status=409,
            field="word",
        )
    return do_add_word(moderator=moderator, word=word, folded=folded, kind=kind)


def _word_too_long() -> ModerationError:
    return ModerationError(
        "too-long",
        _("A word or phrase can be at most %(max)s characters long.") % {"max": WORD_MAX},
        field="word",
    )


@transaction.atomic
def do_add_word(*, moderator: User, word: str, folded: str, kind: str) -> WordListEntry:
    try:
        with transaction.atomic():
            entry = WordListEntry.objects.create(
                word=word, folded=folded, kind=kind, created_by=moderator
            )
    except IntegrityError:
        raise ModerationError(
            "duplicate", _("This word is already on the list."), status=409, field="word"
        ) from None
    _audit(AuditEntry.Action.ADD_WORD, actor=moderator, word=word, list=kind)
    _forget_cached()
    return entry


def check_remove_word(entry: WordListEntry, *, moderator: User) -> None:
    _require(access.can_edit_words(moderator))
    do_remove_word(entry, moderator=moderator)


@transaction.atomic
def do_remove_word(entry: WordListEntry, *, moderator: User) -> None:
    _audit(AuditEntry.Action.REMOVE_WORD, actor=moderator, word=entry.word, list=entry.kind)
    entry.delete()
    _forget_cached()


# --- articles and site settings --------------------------------------------------------------


def check_set_article_discussion(
    article: Article, *, moderator: User, comments_open: bool, premoderation: str, reason: str = ""
) -> None:
    _require(access.is_moderator(moderator))
    reason = _clean_reason(reason, required=False)
    if premoderation not in ArticleModeration.Override.values:
        raise ModerationError("bad-mode", _("Choose a pre-moderation mode."), field="premoderation")
    do_set_article_discussion(
        article,
        moderator=moderator,
        comments_open=comments_open,
        premoderation=premoderation,
        reason=reason,
    )


@transaction.atomic
def do_set_article_discussion(
    article: Article, *, moderator: User, comments_open: bool, premoderation: str, reason: str = ""
) -> None:
    """Open or close comments on one article and set its own pre-moderation mode."""
    changed = False
    if article.comments_open != comments_open:
        # Only this flag: the article's content, revision and "updated" time are untouched.
        Article.objects.filter(pk=article.pk).update(comments_open=comments_open)
        article.comments_open = comments_open
        action = AuditEntry.Action.OPEN if comments_open else AuditEntry.Action.CLOSE
        _audit(action, actor=moderator, article=article, reason=reason)
        changed = True
    current = ArticleModeration.objects.filter(article=article).first()
    before = current.premoderation if current else ""
    if before != premoderation:
        ArticleModeration.objects.update_or_create(
            article=article, defaults={"premoderation": premoderation}
        )
        _audit(
            AuditEntry.Action.ARTICLE_PREMODERATION,
            actor=moderator,
            article=article,
            reason=reason,
            before=before,
            after=premoderation,
        )
        changed = True
    if changed:
        article_id = article.pk
        key = selectors.premoderation_key(article_id)
        selectors.forget_keys(key)  # now, and again once committed (a read in between cached)
        transaction.on_commit(lambda: selectors.forget_keys(key))
        announce(article_changed, sender=Article, article_id=article_id)


SETTINGS_FIELDS = (
    "premoderation",
    "new_reader_comments",
    "new_reader_max_links",
    "report_threshold",
    "auto_close_days",
)


def check_update_site_settings(*, staff: User, **values: Any) -> SiteSettings:
    _require(access.can_change_settings(staff))
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    return do_update_site_settings(staff=staff, **values)


@transaction.atomic
def do_update_site_settings(*, staff: User, **values: Any) -> SiteSettings:
    row, _created = SiteSettings.objects.select_for_update().get_or_create(pk=1)
    changes = {}
    for name, value in values.items():
        if getattr(row, name) != value:
            changes[name] = [getattr(row, name), value]
            setattr(row, name, value)
    if changes:
        row.updated_at = timezone.now()
        row.updated_by = staff
        row.save()
        _audit(AuditEntry.Action.SETTINGS, actor=staff, changes=changes)
    _forget_cached()
    return row
