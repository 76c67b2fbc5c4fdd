"""Permission sets kept in the shared cache, so a signed-in page does not ask the database who
may moderate.

Django's ModelBackend answers `user.has_perm(...)` with two queries per request (the user's own
permissions, then their groups'), and keeps the answer on the user object for that request only.
`PermissionCacheBackend`, first in AUTHENTICATION_BACKENDS, fills those same per-request
attributes from the cache before ModelBackend's code looks at them: the answer is always
ModelBackend's, computed from the database at most once per generation.

The generation moves whenever memberships or grants change (`m2m_changed` on a user's groups or
permissions and on a group's permissions, a group or permission deleted, `migrate`), so a reader
made a moderator is one on their next request. Each user's entry is stamped with the generation
it was computed for and the account's join time and superuser flag (which live on the user row
every request loads anyway), and read in the same round trip as the generation.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate
from django.dispatch import receiver
from django.http import HttpRequest

from minbar.accounts.models import AnyUser, User

GENERATION_KEY = "perms:generation"
# An entry outlives no change (the generation moves); the timeout only bounds memory.
TIMEOUT = 6 * 60 * 60
# The same, for the entries a worker keeps for load_permissions_to_show.
WORKER_TIMEOUT = 5 * 60
# An entry: what it was computed for (_stamp), and the user's and their groups' permissions.
Entry = tuple[tuple[int, int, bool], tuple[set[str], set[str]]]


def _key(user: User) -> str:
    return f"perms:user:{user.pk}"


def _stamp(user: User, generation: int) -> tuple[int, int, bool]:
    """What an entry must have been computed for: the generation, and the account's join time
    and superuser flag (on the user row every request loads anyway)."""
    joined = int(user.date_joined.timestamp()) if user.date_joined else 0
    return (generation, joined, bool(user.is_superuser))


def load_permissions(user: AnyUser) -> None:
    """Put the user's permission sets where ModelBackend looks first (`_user_perm_cache`,
    `_group_perm_cache`, `_perm_cache`), from the cache or, once, from the database. The
    generation and the user's entry are read in one round trip; an entry stamped with another
    generation (or join time, or superuser flag) is not used."""
    if not user.is_active or user.is_anonymous or hasattr(user, "_perm_cache"):
        return
    _load(user)


def _load(user: User) -> Entry:
    key = _key(user)
    kept = cache.get_many([GENERATION_KEY, key])
    generation = kept.get(GENERATION_KEY)
    entry: Entry | None = kept.get(key)
    if generation is not None and entry is not None and entry[0] == _stamp(user, generation):
        _put(user, entry[1])
        return entry
    if generation is None:
        generation = time.time_ns()
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    backend = ModelBackend()
    entry = (
        _stamp(user, generation),
        (backend.get_user_permissions(user), backend.get_group_permissions(user)),
    )
    cache.set(key, entry, TIMEOUT)
    _put(user, entry[1])
    return entry


def _put(user: User, found: tuple[set[str], set[str]]) -> None:
    user._user_perm_cache, user._group_perm_cache = found
    user._perm_cache = found[0] | found[1]


def load_permissions_to_show(user: AnyUser) -> None:
    """`load_permissions` for what only shows the user their own links (the reader's state),
    through a second of this worker's memory ("worker"): the generation is read from the
    shared cache at most once a second per worker, and an entry kept here is used while it
    carries that generation. A change of role shows in those links within a second on every
    worker (this one at once); every check that decides what the user may do still reads the
    generation itself (`load_permissions`)."""
    if not user.is_active or user.is_anonymous or hasattr(user, "_perm_cache"):
        return
    worker = caches["worker"]
    generation = worker.get(GENERATION_KEY)
    if generation is None:
        generation = cache.get(GENERATION_KEY)
        if generation is not None:
            worker.set(GENERATION_KEY, generation)  # the worker cache's own second
    key = _key(user)
    entry = worker.get(key)
    if generation is not None and entry is not None and entry[0] == _stamp(user, generation):
        _put(user, entry[1])
        return
    worker.set(key, _load(user), WORKER_TIMEOUT)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    caches["worker"].delete(GENERATION_KEY)  # this worker's links at once, others' in a second


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
