"""Refusals of search's own writes (the protected words staff keep)."""

from __future__ import annotations

from minbar.core.errors import Refusal


class SearchError(Refusal):
    pass
