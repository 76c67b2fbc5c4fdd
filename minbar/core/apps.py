from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    default = True  # this module holds another app's configuration too (below)
    name = "minbar.core"
    label = "core"

    def ready(self) -> None:
        from minbar.core import checks  # noqa: F401  (registers the deploy checks)


class BackgroundTasksConfig(TasksAppConfig):
    """django-tasks' database backend, named in the reader's language in the admin."""

    verbose_name = _("Background tasks")  # type: ignore[assignment]  # a lazy string
