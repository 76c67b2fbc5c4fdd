"""Signals sent after a write has committed, so that other apps (the search index, the page
cache) follow the change without the writing app knowing them.

Actions send these from `transaction.on_commit`; receivers must be quick and must not raise.
"""

from django.dispatch import Signal

# article_changed(article_id: int): content, status, or anything shown on its pages changed.
article_changed = Signal()
# discussion_changed(article_id: int, comment_ids: list[int]): comments or votes changed.
discussion_changed = Signal()
# lists_changed(): something only list pages show changed (a section's position or
# description, an author's biography); no article page changed.
lists_changed = Signal()
