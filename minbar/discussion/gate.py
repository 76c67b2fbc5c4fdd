"""The checks a comment passes on its way in, asked of the app that owns them.

discussion decides what a comment *is* (its text, its thread, its counters); whether this
reader may post it now, and whether it waits for a moderator, is moderation's to say. To keep
the apps depending one way (moderation imports discussion, never the reverse), discussion
names the questions here and moderation installs the answers when Django starts
(`minbar.moderation.apps`). The order in which `check_post_comment` asks them is in
`discussion.actions`; what each refusal says is in `minbar.moderation.gate`.

Nothing installed is a configuration error, not an open door: without the gate every post
fails loudly.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from minbar.accounts.models import User
from minbar.discussion.models import Comment
from minbar.news.models import Article


class CommentGate(Protocol):
    def comments_are_open(self, article: Article) -> bool:
        """Whether the article takes comments now (its flag and the automatic closing)."""
        ...

    def check_post(
        self, *, article: Article, author: User, text: str, parent: Comment | None
    ) -> str:
        """Refuse the new comment (raise a Refusal) or return the status to store it with."""
        ...

    def check_edit(self, comment: Comment, *, editor: User, text: str) -> str:
        """Refuse the edit or return the status the comment has after it."""
        ...

    def check_vote(self, *, voter: User) -> bool:
        """Refuse the vote or return whether it counts toward the score."""
        ...


_installed: list[CommentGate] = []


def install_gate(gate: CommentGate) -> None:
    """Called once, from the moderation app's `ready()`."""
    _installed[:] = [gate]


def get_gate() -> CommentGate:
    if not _installed:
        raise ImproperlyConfigured(
            "No comment gate is installed: minbar.moderation must be in INSTALLED_APPS."
        )
    return _installed[0]
