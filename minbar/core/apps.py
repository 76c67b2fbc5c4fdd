from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "minbar.core"
    label = "core"

    def ready(self) -> None:
        from minbar.core import checks  # noqa: F401  (registers the deploy checks)
