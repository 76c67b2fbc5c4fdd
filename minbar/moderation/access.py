"""Who may do what in moderation, in one audited place.

Moderators are the members of the `moderators` group (see roles.py), or anyone holding its
permissions; staff (is_staff with the settings permissions, superusers) change site settings and
read the audit log. Readers never reach any of it.
"""

from __future__ import annotations

from django.http import Http404

from minbar.accounts.models import AnyUser, User
from minbar.discussion.models import Comment
from minbar.moderation.models import WordListEntry
from minbar.news.models import Article

MODERATE = "moderation.moderate_comments"
SANCTION = "moderation.sanction_readers"
EDIT_WORDS = "moderation.change_wordlistentry"
CHANGE_SETTINGS = "moderation.change_sitesettings"
READ_LOG = "moderation.view_auditentry"


def _active(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_moderator(user: AnyUser) -> bool:
    return _active(user) and user.has_perm(MODERATE)


def can_sanction(user: AnyUser) -> bool:
    return _active(user) and user.has_perm(SANCTION)


def can_edit_words(user: AnyUser) -> bool:
    return _active(user) and user.has_perm(EDIT_WORDS)


def can_change_settings(user: AnyUser) -> bool:
    return _active(user) and user.is_staff and user.has_perm(CHANGE_SETTINGS)


def can_read_audit_log(user: AnyUser) -> bool:
    return _active(user) and user.is_staff and user.has_perm(READ_LOG)


def can_be_sanctioned_by(reader: User, *, moderator: User) -> bool:
    """Moderators act on readers: not on themselves, staff or other moderators."""
    if reader.pk == moderator.pk:
        return False
    if reader.is_superuser:
        return False
    # Only a superuser acts on staff and moderators.
    return moderator.is_superuser or not (reader.is_staff or is_moderator(reader))


def access_comment_for_moderation(user: AnyUser, *, comment_id: int) -> Comment:
    """Any comment but a deleted one (its text is gone), for a moderator; callers have already
    checked `is_moderator`."""
    comment = (
        Comment.objects.select_related("article", "author", "parent__author")
        .filter(pk=comment_id)
        .exclude(status=Comment.Status.DELETED)
        .first()
    )
    if comment is None:
        raise Http404
    return comment


def access_comment_for_reporting(user: AnyUser, *, comment_id: int) -> Comment:
    """A comment the reader can see on the page: visible, on a live article."""
    comment = Comment.objects.select_related("article", "author").filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    if not comment.article.is_live():
        raise Http404
    if comment.status != Comment.Status.VISIBLE:
        raise Http404
    return comment


def access_article_for_moderation(user: AnyUser, *, article_id: int) -> Article:
    """Any article, draft or live, with its moderation settings, for a moderator (a moderator
    may close the discussion of an article before it is published); 404 for anyone else."""
    if not is_moderator(user):
        raise Http404
    article = Article.objects.select_related("moderation").filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


def access_reader_for_moderation(user: AnyUser, *, user_id: int) -> User:
    """Any account, for a moderator (callers have already checked `is_moderator`; whether
    they may sanction it is `can_be_sanctioned_by`'s answer, asked by the actions)."""
    reader = User.objects.filter(pk=user_id).first()
    if reader is None:
        raise Http404
    return reader


def access_word_for_editing(user: AnyUser, *, entry_id: int) -> WordListEntry:
    """An entry of the word lists, for a moderator (whether they may remove it is
    `check_remove_word`'s answer, which names the refusal)."""
    entry = WordListEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry
