from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from minbar.moderation.roles import ensure_moderators


class ModerationConfig(AppConfig):
    name = "minbar.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_moderators, sender=self, dispatch_uid="minbar-moderation-groups"
        )
        # In ready(), as Django asks: the gate's modules import models, which cannot be imported
        # before the app registry is ready.
        from minbar.discussion.gate import install_gate
        from minbar.moderation.gate import ModerationGate

        install_gate(ModerationGate())


def _ensure_moderators(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    ensure_moderators(using=using)
