"""The background worker (decision 0017): puts back what a dead worker left half done, then runs
django-tasks' database worker on every queue until stopped (SIGTERM finishes the task at hand)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from minbar.core.tasks import requeue_stalled


class Command(BaseCommand):
    help = "Run the background worker: notifications, emails, search indexing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle (1)."
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued now, then exit."
        )
        parser.add_argument(
            "--reload", action="store_true", help="Restart on code changes (development)."
        )

    def handle(
        self, *args: Any, interval: float, batch: bool, reload: bool, **options: Any
    ) -> None:
        stalled = requeue_stalled()
        if stalled:
            self.stderr.write(f"{stalled} stalled task(s) queued again")
        call_command(
            "db_worker",
            queue_name="*",
            interval=interval,
            batch=batch,
            reload=reload and not batch,
            startup_delay=False,
            verbosity=options.get("verbosity", 1),
        )
