"""Notifications, following a discussion, and the emails they send.

notify owns what brings a reader back: a notification when someone replies to their comment,
mentions them (`@username`, folded like usernames), when a moderator decides on their comment,
and when a discussion they follow gets a new comment; the bell's unread count (through the
reader's state, never in a public page), the notifications page, following, each reader's email
choices, and the batched emails with their one-click unsubscribe. Everything it does runs in
the background worker, from signals announced after commit (decision 0018); it never changes a
comment, and nothing below it knows it exists.
"""
