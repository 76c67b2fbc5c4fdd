"""Every moderation write, and the checks the discussion runs before a reader posts, votes or
reports. `check_*` raise DiscussionError (code, status, message in the reader's language,
`retry_after` for rate limits); `do_*` change state atomically and write the audit log.

Visibility changes always go through `discussion.actions.do_change_comment_status`, so the
article's comment count moves in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.accounts.errors import AccountError
from minbar.core.signals import article_changed, discussion_changed
from minbar.core.text import Reading, clean_user_text, read_rendered, render_comment_markdown
from minbar.discussion import actions as discussion
from minbar.discussion.errors import DiscussionError
from minbar.discussion.models import Comment
from minbar.moderation import access, policy, ratelimit, selectors
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
from minbar.search.arabic.normalise import find_words, fold_for_matching

VISIBLE = Comment.Status.VISIBLE
PENDING = Comment.Status.PENDING
REJECTED = Comment.Status.REJECTED
DELETED = Comment.Status.DELETED
OPEN = CommentReport.Resolution.OPEN


# --- helpers ---------------------------------------------------------------------------------


def _audit(
    action: str,
    *,
    actor,
    reason: str = "",
    comment: Comment | None = None,
    article: Article | None = None,
    reader=None,
    **details,
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


def _announce(article_id: int, comment_ids: list[int]) -> None:
    transaction.on_commit(
        lambda: discussion_changed.send(
            sender=Comment, article_id=article_id, comment_ids=comment_ids
        )
    )


def _forbidden() -> DiscussionError:
    return DiscussionError("forbidden", _("You are not allowed to do this."), status=403)


def _require(allowed: bool) -> None:
    if not allowed:
        raise _forbidden()


def wait_message(seconds: int) -> str:
    """ "Try again in …" with the right Arabic plural of seconds, minutes or hours."""
    if seconds < 120:
        return ngettext(
            "You are going too fast. Try again in %(n)s second.",
            "You are going too fast. Try again in %(n)s seconds.",
            seconds,
        ) % {"n": seconds}
    if seconds < 2 * 3600:
        minutes = (seconds + 59) // 60
        return ngettext(
            "You are going too fast. Try again in %(n)s minute.",
            "You are going too fast. Try again in %(n)s minutes.",
            minutes,
        ) % {"n": minutes}
    hours = (seconds + 3599) // 3600
    return ngettext(
        "You have reached today's limit. Try again in %(n)s hour.",
        "You have reached today's limit. Try again in %(n)s hours.",
        hours,
    ) % {"n": hours}


def _limited(action: str, *, ident: str, anchor: float = 0.0) -> ratelimit.Hits:
    try:
        return ratelimit.hit(action, ident=ident, anchor=anchor)
    except ratelimit.RateLimited as refused:
        raise DiscussionError(
            "rate-limited",
            wait_message(refused.retry_after),
            status=429,
            field="text",
            retry_after=refused.retry_after,
        ) from None


def check_not_sanctioned(user) -> None:
    """Suspended and banned readers read, but do not post, vote or report."""
    sanction = selectors.find_active_sanction(user)
    if sanction is None:
        return
    if sanction.kind == Sanction.Kind.BAN:
        raise DiscussionError(
            "banned",
            _("Your account is banned from taking part in discussions. You can still read."),
            status=403,
        )
    until = date_format(timezone.localtime(sanction.ends_at), "DATETIME_FORMAT")
    raise DiscussionError(
        "suspended",
        _("Your account is suspended from discussions until %(until)s. You can still read.")
        % {"until": until},
        status=403,
    )


def check_display_name_change_allowed(user) -> None:
    """A sanctioned reader keeps the name the moderators sanctioned: a new one would let them
    shed the history other readers know them by (and come back as someone else)."""
    sanction = selectors.find_active_sanction(user)
    if sanction is None:
        return
    if sanction.kind == Sanction.Kind.BAN:
        message = _("Your account is banned, so you cannot change your display name.")
    else:
        message = _(
            "Your account is suspended, so you cannot change your display name until %(until)s."
        ) % {"until": date_format(timezone.localtime(sanction.ends_at), "DATETIME_FORMAT")}
    raise AccountError("sanctioned", message, status=403, field="display_name")


def _is_trusted(user) -> bool:
    return user.is_staff or access.is_moderator(user)


def _forget_cached() -> None:
    """Drop the cached settings and word lists now and again after commit: a request that read
    them in between would otherwise cache the old values for minutes."""
    selectors.forget_cached()
    transaction.on_commit(selectors.forget_cached)


# --- posting, editing, voting (called by discussion.actions) ---------------------------------


def check_comment_allowed(*, article: Article, author, text: str, parent=None) -> str:
    """Everything moderation says about a new comment whose text is already cleaned and within
    the length limit. Returns the status to post it with (visible, or pending when it waits for
    a moderator); raises DiscussionError for a suspended or banned reader (403), a rate limit
    or a repeated comment (429, with retry_after) and a banned word (403)."""
    check_not_sanctioned(author)
    hits = _posting_hits(author)
    try:
        _check_not_duplicate(author, text=text)
        return _initial_status(article=article, author=author, text=text)
    except DiscussionError:
        hits.undo()
        raise


def _posting_hits(author) -> ratelimit.Hits:
    now = timezone.now()
    if policy.is_new_account(joined_at=author.date_joined, now=now):
        return _limited(
            "comment-new-account",
            ident=str(author.pk),
            anchor=author.date_joined.timestamp(),
        )
    return _limited("comment", ident=str(author.pk))


def _check_not_duplicate(author, *, text: str) -> None:
    from django.conf import settings

    window = settings.MINBAR_DUPLICATE_COMMENT_SECONDS
    if not window:
        return
    now = timezone.now()
    earlier = selectors.find_recent_duplicate(
        author, text=text, since=now - dt.timedelta(seconds=window)
    )
    if earlier is None:
        return
    wait = window - int((now - earlier.created_at).total_seconds())
    raise DiscussionError(
        "duplicate",
        _("You posted this same comment a moment ago. Write something new."),
        status=429,
        field="text",
        retry_after=max(1, wait),
    )


def _words_in(text: str, *, entries, text_key: str) -> list[str]:
    """The entries found in `text`; the regular expressions of find_words run only for entries
    whose letters occur in the text at all (a comment of 5,000 characters against hundreds of
    entries would otherwise cost a scan per entry)."""
    candidates = [word for word, key in entries if key and key in text_key]
    return find_words(text, words=candidates) if candidates else []


def _reading(text: str) -> Reading:
    """The comment as readers will get it: the rules judge what is shown, not the Markdown, so
    "sc*am*coin", "sc&#97;mcoin" or a link written as "&#104;ttp://" or "//host" hide nothing."""
    return read_rendered(render_comment_markdown(text))


def _check_words(reading: Reading) -> list[str]:
    """Refuse banned words in the shown text or the links' addresses; return the suspect words
    found."""
    lists = selectors.get_word_lists()
    if not lists.banned and not lists.suspect:
        return []
    text = "\n".join((reading.text, *reading.hrefs))
    text_key = policy.letters_key(fold_for_matching(text))
    banned = _words_in(text, entries=lists.banned, text_key=text_key)
    if banned:
        raise DiscussionError(
            "banned-word",
            _(
                "Your comment contains words that are not allowed here (%(words)s). "
                "Please rephrase it."
            )
            % {"words": "، ".join(f"«{word}»" for word in banned)},
            status=403,
            field="text",
        )
    return _words_in(text, entries=lists.suspect, text_key=text_key)


def _initial_status(*, article: Article, author, text: str, editing: Comment | None = None) -> str:
    """Visible or pending for a text that passed every refusal; the same question for a new
    comment and for an edit (`editing`, judged as if it were posted anew)."""
    reading = _reading(text)
    suspect = _check_words(reading)
    site = selectors.get_site_settings()
    mode = selectors.get_article_premoderation(article)
    links = policy.count_shown_links(
        hrefs=reading.hrefs, text_outside_links=reading.text_outside_links
    )
    is_new = False
    if mode == policy.NEW_READERS or links > site.new_reader_max_links:
        is_new = policy.is_new_reader(
            visible_comments=selectors.count_visible_comments(
                author, excluding=editing.pk if editing else None
            ),
            required=site.new_reader_comments,
        )
    hold = policy.initial_hold(
        mode=mode,
        is_new=is_new,
        links=links,
        max_links_for_new=site.new_reader_max_links,
        suspect_words=suspect,
    )
    # Moderators and staff are never held; asked last, as it costs a look at their permissions.
    return PENDING if hold.held and not _is_trusted(author) else VISIBLE


def check_edit_allowed(comment: Comment, *, editor, text: str) -> str:
    """An edit passes the same rules as a new comment: banned words are refused, and a visible
    comment whose new text would have been held (suspect words, a new reader's links,
    pre-moderation) goes back to the queue. Edits are rate-limited like posts, as each one
    changes the page. Returns the status the comment should have after the edit."""
    check_not_sanctioned(editor)
    hits = _limited("comment-edit", ident=str(editor.pk))
    try:
        status = _initial_status(article=comment.article, author=editor, text=text, editing=comment)
    except DiscussionError:
        hits.undo()
        raise
    if comment.status == VISIBLE and status == PENDING:
        return PENDING
    return comment.status


def check_vote_allowed(*, voter) -> bool:
    """Refuse a sanctioned or too fast voter; return whether the vote counts toward the score
    (an established reader's does; a new or unverified account's is recorded only)."""
    check_not_sanctioned(voter)
    _limited("vote", ident=str(voter.pk))
    return selectors.is_established_reader(voter)


# --- reports ---------------------------------------------------------------------------------


def check_report_comment(comment: Comment, *, reporter, reason: str, text: str) -> CommentReport:
    if len(text) > REPORT_TEXT_MAX * 2:
        raise DiscussionError("too-long", _report_too_long(), field="text")
    text = clean_user_text(text).strip()
    if len(text) > REPORT_TEXT_MAX:
        raise DiscussionError("too-long", _report_too_long(), field="text")
    if not reporter.is_authenticated or not reporter.is_active:
        raise DiscussionError("sign-in", _("Sign in to report a comment."), status=403)
    if reason not in CommentReport.Reason.values:
        raise DiscussionError("bad-reason", _("Choose a reason."), field="reason")
    if reason == CommentReport.Reason.OTHER and not text:
        raise DiscussionError(
            "no-details", _("Tell the moderators what is wrong with this comment."), field="text"
        )
    if comment.author_id == reporter.pk:
        raise DiscussionError("own-comment", _("You cannot report your own comment."), status=403)
    if comment.status != VISIBLE:
        raise DiscussionError("gone", _("This comment is no longer shown."), status=410)
    check_not_sanctioned(reporter)
    if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
        raise _already_reported()
    hits = _limited("report", ident=str(reporter.pk))
    counted = selectors.is_established_reader(reporter)
    try:
        return do_report_comment(
            comment, reporter=reporter, reason=reason, text=text, counted=counted
        )
    except DiscussionError:
        hits.undo()
        raise


def _report_too_long() -> str:
    return _("The details can be at most %(max)s characters long.") % {"max": REPORT_TEXT_MAX}


def _already_reported() -> DiscussionError:
    return DiscussionError(
        "already-reported", _("You have already reported this comment. Thank you."), status=409
    )


@transaction.atomic
def do_report_comment(
    comment: Comment, *, reporter, reason: str, text: str = "", counted: bool = True
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


def _resolve_reports(comment: Comment, *, moderator, resolution: str) -> int:
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
        raise DiscussionError("no-reason", _("Give a reason."), field="reason")
    return reason


def _reason_too_long() -> DiscussionError:
    return DiscussionError(
        "too-long",
        _("A reason can be at most %(max)s characters long.") % {"max": REASON_MAX},
        field="reason",
    )


def check_approve_comment(comment: Comment, *, moderator) -> Comment:
    _require(access.is_moderator(moderator))
    if comment.status == DELETED:
        raise DiscussionError("gone", _("This comment has been deleted."), status=410)
    return do_approve_comment(comment, moderator=moderator)


@transaction.atomic
def do_approve_comment(comment: Comment, *, moderator, reason: str = "") -> Comment:
    """Show the comment (from the pending, reported or rejected queue) and close its reports."""
    was = comment.status
    if was != VISIBLE:
        discussion.do_change_comment_status(comment, status=VISIBLE)
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


def check_reject_comment(comment: Comment, *, moderator, reason: str) -> Comment:
    _require(access.is_moderator(moderator))
    reason = _clean_reason(reason, required=True)
    if comment.status == DELETED:
        raise DiscussionError("gone", _("This comment has been deleted."), status=410)
    return do_reject_comment(comment, moderator=moderator, reason=reason)


@transaction.atomic
def do_reject_comment(comment: Comment, *, moderator, reason: str) -> Comment:
    was = comment.status
    if was != REJECTED:
        discussion.do_change_comment_status(comment, status=REJECTED)
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


def check_feature_comment(comment: Comment, *, moderator, featured: bool) -> Comment:
    _require(access.is_moderator(moderator))
    if featured and comment.status != VISIBLE:
        raise DiscussionError(
            "not-visible", _("Only a comment that readers can see can be featured."), status=409
        )
    return do_feature_comment(comment, moderator=moderator, featured=featured)


@transaction.atomic
def do_feature_comment(comment: Comment, *, moderator, featured: bool) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(is_featured=featured)
    comment.is_featured = featured
    action = AuditEntry.Action.FEATURE if featured else AuditEntry.Action.UNFEATURE
    _audit(action, actor=moderator, comment=comment)
    _announce(comment.article_id, [comment.pk])
    return comment


# --- readers ---------------------------------------------------------------------------------


def _check_can_sanction(reader, *, moderator) -> None:
    _require(access.can_sanction(moderator))
    if not access.can_be_sanctioned_by(reader, moderator=moderator):
        raise DiscussionError(
            "protected",
            _("Moderators act on readers: not on themselves, staff or other moderators."),
            status=403,
        )


def check_suspend_reader(reader, *, moderator, days: int, reason: str) -> Sanction:
    _check_can_sanction(reader, moderator=moderator)
    reason = _clean_reason(reason, required=True)
    if days not in policy.SUSPENSION_DAYS:
        raise DiscussionError("bad-days", _("Choose how long the suspension lasts."), field="days")
    until = timezone.now() + dt.timedelta(days=days)
    return do_suspend_reader(reader, moderator=moderator, until=until, reason=reason)


def check_ban_reader(reader, *, moderator, reason: str) -> Sanction:
    _check_can_sanction(reader, moderator=moderator)
    reason = _clean_reason(reason, required=True)
    return do_ban_reader(reader, moderator=moderator, reason=reason)


def do_suspend_reader(reader, *, moderator, until: dt.datetime, reason: str) -> Sanction:
    return _do_sanction(
        reader, kind=Sanction.Kind.SUSPENSION, moderator=moderator, until=until, reason=reason
    )


def do_ban_reader(reader, *, moderator, reason: str) -> Sanction:
    return _do_sanction(
        reader, kind=Sanction.Kind.BAN, moderator=moderator, until=None, reason=reason
    )


@transaction.atomic
def _do_sanction(reader, *, kind: str, moderator, until: dt.datetime | None, reason: str):
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


def check_lift_sanctions(reader, *, moderator, reason: str) -> int:
    _check_can_sanction(reader, moderator=moderator)
    reason = _clean_reason(reason, required=True)
    return do_lift_sanctions(reader, moderator=moderator, reason=reason)


@transaction.atomic
def do_lift_sanctions(reader, *, moderator, reason: str) -> int:
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


def check_add_word(*, moderator, word: str, kind: str) -> WordListEntry:
    _require(access.can_edit_words(moderator))
    if len(word) > WORD_MAX * 2:
        raise _word_too_long()
    word = " ".join(clean_user_text(word).split())
    if len(word) > WORD_MAX:
        raise _word_too_long()
    if kind not in WordListEntry.Kind.values:
        raise DiscussionError("bad-list", _("Choose a list."), field="kind")
    folded = " ".join(fold_for_matching(word).split())
    if not word or not any(c.isalnum() for c in folded):
        raise DiscussionError("empty", _("Write a word with letters or digits."), field="word")
    existing = WordListEntry.objects.filter(folded=folded).first()
    if existing is not None:
        raise DiscussionError(
            "duplicate",
            _("This word is already on the list (as «%(word)s»).") % {"word": existing.word},
            status=409,
            field="word",
        )
    return do_add_word(moderator=moderator, word=word, folded=folded, kind=kind)


def _word_too_long() -> DiscussionError:
    return DiscussionError(
        "too-long",
        _("A word or phrase can be at most %(max)s characters long.") % {"max": WORD_MAX},
        field="word",
    )


@transaction.atomic
def do_add_word(*, moderator, word: str, folded: str, kind: str) -> WordListEntry:
    try:
        with transaction.atomic():
            entry = WordListEntry.objects.create(
                word=word, folded=folded, kind=kind, created_by=moderator
            )
    except IntegrityError:
        raise DiscussionError(
            "duplicate", _("This word is already on the list."), status=409, field="word"
        ) from None
    _audit(AuditEntry.Action.ADD_WORD, actor=moderator, word=word, list=kind)
    _forget_cached()
    return entry


def check_remove_word(entry: WordListEntry, *, moderator) -> None:
    _require(access.can_edit_words(moderator))
    do_remove_word(entry, moderator=moderator)


@transaction.atomic
def do_remove_word(entry: WordListEntry, *, moderator) -> None:
    _audit(AuditEntry.Action.REMOVE_WORD, actor=moderator, word=entry.word, list=entry.kind)
    entry.delete()
    _forget_cached()


# --- articles and site settings --------------------------------------------------------------


def check_set_article_discussion(
    article: Article, *, moderator, comments_open: bool, premoderation: str, reason: str = ""
) -> None:
    _require(access.is_moderator(moderator))
    reason = _clean_reason(reason, required=False)
    if premoderation not in ArticleModeration.Override.values:
        raise DiscussionError("bad-mode", _("Choose a pre-moderation mode."), field="premoderation")
    do_set_article_discussion(
        article,
        moderator=moderator,
        comments_open=comments_open,
        premoderation=premoderation,
        reason=reason,
    )


@transaction.atomic
def do_set_article_discussion(
    article: Article, *, moderator, comments_open: bool, premoderation: str, reason: str = ""
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
        transaction.on_commit(lambda: article_changed.send(sender=Article, article_id=article_id))


SETTINGS_FIELDS = (
    "premoderation",
    "new_reader_comments",
    "new_reader_max_links",
    "report_threshold",
    "auto_close_days",
)


def check_update_site_settings(*, staff, **values) -> SiteSettings:
    _require(access.can_change_settings(staff))
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    return do_update_site_settings(staff=staff, **values)


@transaction.atomic
def do_update_site_settings(*, staff, **values) -> SiteSettings:
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
