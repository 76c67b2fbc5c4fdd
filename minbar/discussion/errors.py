"""Refusals a reader can meet, each with a code for machines, a status and a message in the
reader's language."""

from __future__ import annotations


class DiscussionError(Exception):
    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        field: str | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        # Seconds until the same request may succeed (rate limits): sent as Retry-After.
        self.retry_after = retry_after
