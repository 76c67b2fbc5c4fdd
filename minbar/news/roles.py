"""The newsroom's groups and what each may do; kept in step after every migration."""

from __future__ import annotations

from typing import Any

from minbar.core.roles import ensure_group

AUTHORS = "authors"
EDITORS = "editors"

_AUTHOR_PERMS = [
    ("news", "add_article"), ("news", "change_article"), ("news", "view_article"),
    ("news", "view_section"), ("news", "view_tag"), ("news", "add_tag"), ("news", "view_author"),
    ("news", "view_articlerevision"),
]  # fmt: skip
_EDITOR_PERMS = [
    *_AUTHOR_PERMS,
    ("news", "publish_article"), ("news", "delete_article"),
    ("news", "add_section"), ("news", "change_section"),
    ("news", "change_tag"), ("news", "delete_tag"),
    ("news", "add_author"), ("news", "change_author"),
]  # fmt: skip

ROLE_PERMISSIONS = {AUTHORS: _AUTHOR_PERMS, EDITORS: _EDITOR_PERMS}


def ensure_groups(using: str = "default", **_kwargs: Any) -> None:
    for name, perms in ROLE_PERMISSIONS.items():
        ensure_group(name, permissions=perms, using=using)
