"""The `moderators` group and what it may do; kept in step after every migration.

Moderators act on comments and readers and edit the word lists. Site settings and the audit log
are for staff (superusers, or staff given those permissions in the admin).
"""

from __future__ import annotations

MODERATORS = "moderators"

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


def ensure_moderators(using: str = "default", **_kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.using(using).get_or_create(name=MODERATORS)
    wanted = []
    for app_label, codename in MODERATOR_PERMISSIONS:
        perm = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if perm:
            wanted.append(perm)
    group.permissions.add(*wanted)
