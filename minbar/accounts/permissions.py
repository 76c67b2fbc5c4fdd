"""Permission sets kept in the shared cache, so a signed-in page does not ask the database who
may moderate.

Django's ModelBackend answers `user.has_perm(...)` with two queries per request (the user's own
permissions, then their groups'), and keeps the answer on the user object for that request only.
`PermissionCacheBackend`, first in AUTHENTICATION_BACKENDS, fills those same per-request
attributes from the cache before ModelBackend's code looks at them: the answer is always
ModelBackend's, computed from the database at most once per generation.

The generation moves whenever memberships or grants change (`m2m_changed` on a user's groups or
permissions and on a group's permissions, a group or permission deleted, `migrate`), so a reader
made a moderator is one on their next request. The cache key also names the account's join time
and superuser flag, which live on the user row every request loads anyway.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate
from django.dispatch import receiver
from django.http import HttpRequest

from minbar.accounts.models import AnyUser, User

GENERATION_KEY = "perms:generation"
# An entry outlives no change (the generation moves); the timeout only bounds memory.
TIMEOUT = 6 * 60 * 60


def _key(user: User, generation: int) -> str:
    joined = int(user.date_joined.timestamp()) if user.date_joined else 0
    return f"perms:{generation}:{user.pk}:{joined}:{int(user.is_superuser)}"


def load_permissions(user: AnyUser) -> None:
    """Put the user's permission sets where ModelBackend looks first (`_user_perm_cache`,
    `_group_perm_cache`, `_perm_cache`), from the cache or, once, from the database."""
    if not user.is_active or user.is_anonymous or hasattr(user, "_perm_cache"):
        return
    generation = cache.get(GENERATION_KEY)
    found = cache.get(_key(user, generation)) if generation is not None else None
    if found is None:
        if generation is None:
            generation = time.time_ns()
            if not cache.add(GENERATION_KEY, generation, timeout=None):
                generation = cache.get(GENERATION_KEY, generation)
        backend = ModelBackend()
        found = (backend.get_user_permissions(user), backend.get_group_permissions(user))
        cache.set(_key(user, generation), found, TIMEOUT)
    user._user_perm_cache, user._group_perm_cache = found
    user._perm_cache = found[0] | found[1]


def _new_generation() -> None:
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def forget_permissions(**kwargs: Any) -> None:
    """Every cached permission set is stale from now on, and again once the change commits (a
    request in between may have cached what the database still said)."""
    _new_generation()
    transaction.on_commit(_new_generation)


class PermissionCacheBackend(ModelBackend):
    """ModelBackend's permissions, read through the cache. It loads users like ModelBackend
    (sessions that name it work) but leaves checking passwords to the backends after it, so a
    failed sign-in costs one hash, not two."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        return None

    def get_user_permissions(self, user_obj: AnyUser, obj: Model | None = None) -> set[str]:
        load_permissions(user_obj)
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj: AnyUser, obj: Model | None = None) -> set[str]:
        load_permissions(user_obj)
        return super().get_group_permissions(user_obj, obj)

    def get_all_permissions(self, user_obj: AnyUser, obj: Model | None = None) -> set[str]:
        load_permissions(user_obj)
        return super().get_all_permissions(user_obj, obj)


for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
    m2m_changed.connect(forget_permissions, sender=through, dispatch_uid=f"perms-{through}")
receiver(post_delete, sender=Group, dispatch_uid="perms-group-deleted")(forget_permissions)
receiver(post_delete, sender=Permission, dispatch_uid="perms-deleted")(forget_permissions)
receiver(post_migrate, dispatch_uid="perms-migrated")(forget_permissions)
