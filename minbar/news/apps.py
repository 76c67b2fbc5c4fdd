from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "minbar.news"
    label = "news"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        from minbar.news.roles import ensure_groups

        post_migrate.connect(_ensure_groups, sender=self, dispatch_uid="minbar-news-groups")
        del ensure_groups


def _ensure_groups(sender, using="default", **kwargs) -> None:
    from minbar.news.roles import ensure_groups

    ensure_groups(using=using)
