from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from minbar.accounts.policy import username_key


class User(AbstractUser):
    """A reader or a member of the newsroom.

    `username_key` is the folded username; its uniqueness is what refuses look-alike names.
    An imported reader who has never signed in is inactive with no usable password until the
    account is claimed.
    """

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    username_key = models.CharField(_("username key"), max_length=150, unique=True, editable=False)
    # Part of the session hash: bumping it ends every session of the user at once.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        self.username_key = username_key(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_key"}
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None):
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
