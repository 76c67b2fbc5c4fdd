"""Moderation and abuse resistance.

moderation owns what protects the discussion: readers' reports, the banned and suspect word
lists, pre-moderation, suspensions and bans, rate limits, the client's IP behind a trusted proxy,
the audit log of every moderator decision, and the moderation area where moderators work. It
never changes a comment's visibility itself: every approval, rejection and hiding goes through
`minbar.discussion.actions.do_change_comment_status`, which keeps `Article.comment_count` exact.
It depends on discussion, never the reverse: the checks discussion asks before a post, an edit
or a vote (`gate.py`) are installed into `minbar.discussion.gate` when Django starts.
"""
