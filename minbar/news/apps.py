from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from minbar.news.roles import ensure_groups


class NewsConfig(AppConfig):
    name = "minbar.news"
    label = "news"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        post_migrate.connect(_ensure_groups, sender=self, dispatch_uid="minbar-news-groups")


def _ensure_groups(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    ensure_groups(using=using)
