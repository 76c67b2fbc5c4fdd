"""Groups kept in step with the permissions their role needs (run after every migration)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import Group

# The moderators' group: named here, below every app, because discussion draws the team mark
# from membership (minbar.discussion.selectors.team_member_ids) and may not import moderation,
# which keeps the group's permissions (minbar.moderation.roles).
MODERATORS = "moderators"


def ensure_group(
    name: str, *, permissions: Iterable[tuple[str, str]], using: str = "default"
) -> Group:
    """Create the group if missing and give it every (app_label, codename) that exists.

    Permissions of apps not migrated yet are skipped; the next post_migrate adds them.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _created = Group.objects.using(using).get_or_create(name=name)
    wanted = Q(pk__in=[])
    for app_label, codename in permissions:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.using(using).filter(wanted))
    return group
