"""Readers' discussion under every article.

discussion owns comments and votes: posting, replying, editing, deleting, voting, threading,
ordering and paging, and the article's `comment_count`, which it moves inside the transaction
that changes a comment's visibility. It never decides whether a reader is trusted (moderation
does, answering the questions `gate.py` asks) and never renders article content (news does).
It imports news, accounts and core, never moderation, search or archive.
"""
