"""The newsroom's groups and what each may do; kept in step after every migration."""

from __future__ import annotations

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


def ensure_groups(using: str = "default", **_kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        wanted = []
        for app_label, codename in perms:
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm:
                wanted.append(perm)
        group.permissions.add(*wanted)
