"""Refusals of the newsroom's own writes (an article's content, its lead image's description,
its publication time, and who may publish)."""

from __future__ import annotations

from minbar.core.errors import Refusal


class NewsError(Refusal):
    pass
