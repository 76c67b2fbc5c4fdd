from django.apps import AppConfig


class ServingConfig(AppConfig):
    name = "minbar.serving"
    label = "serving"

    def ready(self) -> None:
        from minbar.serving import checks, receivers  # noqa: F401 (registers checks, receivers)
