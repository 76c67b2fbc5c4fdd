"""Refusals a reader meets taking part in a discussion (posting, editing, voting, reporting,
and the moderators' decisions on comments and readers)."""

from __future__ import annotations

from minbar.core.errors import Refusal


class DiscussionError(Refusal):
    pass
