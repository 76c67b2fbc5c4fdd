"""The one refusal type. A `check_*` action that will not do what was asked raises a Refusal
(or an app's subclass of it): a code for machines, a message in the reader's language, the
HTTP status, the form field it is about and, for limits, when to try again.
`minbar.core.http.refusal_response` turns one into the page, the 4xx and the kept text."""

from __future__ import annotations


class Refusal(Exception):
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
