"""The `moderators` group and what it may do; kept in step after every migration.

Moderators act on comments and readers and edit the word lists. Site settings and the audit log
are for staff (superusers, or staff given those permissions in the admin).
"""

from __future__ import annotations

from typing import Any

from minbar.core.roles import MODERATORS, ensure_group

__all__ = ["MODERATORS", "MODERATOR_PERMISSIONS", "ensure_moderators"]

MODERATOR_PERMISSIONS = [
    ("moderation", "moderate_comments"),
    ("moderation", "sanction_readers"),
    ("moderation", "view_commentreport"),
    ("moderation", "view_sanction"),
    ("moderation", "add_wordlistentry"),
    ("moderation", "change_wordlistentry"),
    ("moderation", "delete_wordlistentry"),
    ("moderation", "view_wordlistentry"),
    ("moderation", "view_articlemoderation"),
    ("moderation", "change_articlemoderation"),
    ("discussion", "view_comment"),
]


def ensure_moderators(using: str = "default", **_kwargs: Any) -> None:
    ensure_group(MODERATORS, permissions=MODERATOR_PERMISSIONS, using=using)
