from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "minbar.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_moderators, sender=self, dispatch_uid="minbar-moderation-groups"
        )


def _ensure_moderators(sender, using="default", **kwargs) -> None:
    from minbar.moderation.roles import ensure_moderators

    ensure_moderators(using=using)
