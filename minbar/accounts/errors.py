"""Refusals a reader can meet on the account pages, each with a code for machines, a status and
a message in the reader's language."""

from __future__ import annotations


class AccountError(Exception):
    def __init__(self, code: str, message: str, *, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
