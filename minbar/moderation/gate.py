"""What moderation says about a reader's post, edit or vote before discussion stores it: the
reader-side checks (sanctions, rate limits, repeats, word lists, pre-moderation), in the order
they are asked. discussion asks them through `minbar.discussion.gate`; `ModerationGate` is
what this app installs there (see `minbar.moderation.apps`).

Each check raises a Refusal (DiscussionError) that says why in the reader's language, with the
status and, for limits, `retry_after`. The moderators' own decisions are in `actions.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.accounts.errors import AccountError
from minbar.accounts.models import AnyUser, User
from minbar.core.text import Reading, read_rendered, render_comment_markdown
from minbar.discussion.errors import DiscussionError
from minbar.discussion.models import Comment
from minbar.moderation import access, policy, ratelimit, selectors
from minbar.moderation.models import Sanction
from minbar.news.models import Article
from minbar.search.arabic.normalise import find_words, fold_for_matching

VISIBLE = Comment.Status.VISIBLE
PENDING = Comment.Status.PENDING


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


def limited(action: str, *, ident: str, anchor: float = 0.0) -> ratelimit.Hits:
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


def check_not_sanctioned(user: User) -> None:
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


def check_display_name_change_allowed(user: User) -> None:
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


def _is_trusted(user: AnyUser) -> bool:
    return user.is_staff or access.is_moderator(user)


# --- posting, editing, voting (asked by discussion through its gate) --------------------------


def check_comment_allowed(
    *, article: Article, author: User, text: str, parent: Comment | None = None
) -> str:
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


def _posting_hits(author: User) -> ratelimit.Hits:
    now = timezone.now()
    if policy.is_new_account(joined_at=author.date_joined, now=now):
        return limited(
            "comment-new-account",
            ident=str(author.pk),
            anchor=author.date_joined.timestamp(),
        )
    return limited("comment", ident=str(author.pk))


def _check_not_duplicate(author: User, *, text: str) -> None:
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


def _words_in(text: str, *, entries: Sequence[tuple[str, str]], text_key: str) -> list[str]:
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


def _initial_status(
    *, article: Article, author: User, text: str, editing: Comment | None = None
) -> str:
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


def check_edit_allowed(comment: Comment, *, editor: User, text: str) -> str:
    """An edit passes the same rules as a new comment: banned words are refused, and a visible
    comment whose new text would have been held (suspect words, a new reader's links,
    pre-moderation) goes back to the queue. Edits are rate-limited like posts, as each one
    changes the page. Returns the status the comment should have after the edit."""
    check_not_sanctioned(editor)
    hits = limited("comment-edit", ident=str(editor.pk))
    try:
        status = _initial_status(article=comment.article, author=editor, text=text, editing=comment)
    except DiscussionError:
        hits.undo()
        raise
    if comment.status == VISIBLE and status == PENDING:
        return PENDING
    return comment.status


def check_vote_allowed(*, voter: User) -> bool:
    """Refuse a sanctioned or too fast voter; return whether the vote counts toward the score
    (an established reader's does; a new or unverified account's is recorded only)."""
    check_not_sanctioned(voter)
    limited("vote", ident=str(voter.pk))
    return selectors.is_established_reader(voter)


class ModerationGate:
    """The answers `minbar.discussion.gate.CommentGate` asks for."""

    def comments_are_open(self, article: Article) -> bool:
        return selectors.comments_are_open(article)

    def check_post(
        self, *, article: Article, author: User, text: str, parent: Comment | None
    ) -> str:
        return check_comment_allowed(article=article, author=author, text=text, parent=parent)

    def check_edit(self, comment: Comment, *, editor: User, text: str) -> str:
        return check_edit_allowed(comment, editor=editor, text=text)

    def check_vote(self, *, voter: User) -> bool:
        return check_vote_allowed(voter=voter)
