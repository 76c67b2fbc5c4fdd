"""Refusals of the moderation area's own writes (decisions, sanctions, word lists, settings).
What a reader meets before posting, editing or voting is a DiscussionError (see gate.py)."""

from __future__ import annotations

from minbar.core.errors import Refusal


class ModerationError(Refusal):
    pass
