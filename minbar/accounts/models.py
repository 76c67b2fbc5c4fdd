from __future__ import annotations

from typing import Any, ClassVar, Self, TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minbar.accounts.policy import display_name_key, username_key


def _kept_key(stored: str, computed: str, *, pk: int | None) -> str:
    """`computed`, unless `stored` is the form the accounts migration 0002 gave a name that
    already collided with an older one ("<key>#<id>"): that one stays while the name does."""
    if computed and pk is not None and stored == f"{computed}#{pk}":
        return stored
    return computed


class User(AbstractUser):
    """A reader or a member of the newsroom.

    `username_key` is the folded username; its uniqueness is what refuses look-alike names.
    `display_name_key` is the folded display name, empty when there is none or when it folds to
    the reader's own username; the database keeps it unique among readers too. (That a display
    name does not fold to *another* reader's username is checked by
    minbar.accounts.actions; see decision 0012.) Both keys are computed on every save, except
    that a key the migration that introduced them made unique (for names that already
    collided) stays while its name does.
    An imported reader who has never signed in is inactive with no usable password until the
    account is claimed.
    """

    # Django's ModelBackend keeps the permission sets on the user for one request; it or
    # minbar.accounts.permissions (from the cache) fills them. Declared for the type checker.
    _user_perm_cache: set[str]
    _group_perm_cache: set[str]
    _perm_cache: set[str]

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    username_key = models.CharField(_("username key"), max_length=150, unique=True, editable=False)
    display_name_key = models.CharField(
        _("display name key"), max_length=150, blank=True, default="", editable=False
    )
    # Part of the session hash: bumping it ends every session of the user at once.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["display_name_key"],
                condition=~Q(display_name_key=""),
                name="no_two_readers_show_lookalike_display_names",
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        own = username_key(self.username)
        self.username_key = _kept_key(self.username_key, own, pk=self.pk)
        shown = display_name_key(self.display_name, own_key=own)
        self.display_name_key = _kept_key(self.display_name_key, shown, pk=self.pk)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            keys = set()
            if "username" in update_fields:
                keys |= {"username_key", "display_name_key"}
            if "display_name" in update_fields:
                keys.add("display_name_key")
            kwargs["update_fields"] = {*update_fields, *keys}
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django checks this hash on every request; the epoch makes "end all sessions" one write.
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "minbar.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def __str__(self) -> str:
        return self.username


# Who a request may come from: a signed-in account or the anonymous visitor. Functions that
# decide what a visitor may see take this; functions that act for a person take `User`.
AnyUser: TypeAlias = User | AnonymousUser
