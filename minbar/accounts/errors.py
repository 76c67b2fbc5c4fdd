"""Refusals a reader meets on the account pages (names, sign-up)."""

from __future__ import annotations

from minbar.core.errors import Refusal


class AccountError(Refusal):
    pass
