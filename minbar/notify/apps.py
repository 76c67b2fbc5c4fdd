from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "minbar.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from minbar.notify import receivers  # noqa: F401  (connects the receivers)
