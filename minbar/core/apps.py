from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "minbar.core"
    label = "core"
