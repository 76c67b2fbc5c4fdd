from django.apps import AppConfig


class ServingConfig(AppConfig):
    name = "minbar.serving"
    label = "serving"

    def ready(self) -> None:
        from minbar.serving import receivers  # noqa: F401 (connects the signal receivers)
