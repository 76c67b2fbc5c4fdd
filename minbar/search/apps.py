from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "minbar.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from minbar.search import checks, receivers  # noqa: F401 (registers checks, receivers)
