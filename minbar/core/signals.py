"""Signals sent after a write has committed, so that other apps (the search index, the page
cache) follow the change without the writing app knowing them.

Actions send these from `transaction.on_commit`; receivers must be quick and must not raise.
"""

from django.dispatch import Signal

# article_changed(article_id: int): content, status, or anything shown on its pages changed.
article_changed = Signal()
# discussion_changed(article_id: int, comment_ids: list[int], counter_moved: bool | None,
# posted: Comment | None): comments or votes changed; counter_moved says whether the article's
# comment count moved (None: the sender does not know, receivers find out); posted is the
# comment just posted, as written (nothing derived from it exists yet), when that is the change.
discussion_changed = Signal()
# lists_changed(): something only list pages show changed (a section's position or
# description, an author's biography); no article page changed.
lists_changed = Signal()

# Sent by the background worker (minbar.core.tasks), never in a request; queued with
# `announce_in_background` in the transaction that made the change. Receivers must be idempotent
# (a delivery can come twice) and may raise: the delivery is tried again later.
#
# comment_posted(comment_id: int, article_id: int): a comment was posted (visible or waiting
# for a moderator).
comment_posted = Signal()
# comment_decided(comment_id: int, decision: "approved" | "rejected", reason: str): a moderator
# changed a comment's visibility.
comment_decided = Signal()
