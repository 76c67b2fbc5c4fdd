"""`python manage.py rebuild_search_index`: index every article and comment again."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from minbar.search.actions import do_rebuild_index, do_refresh_vocabulary


class Command(BaseCommand):
    help = (
        "Index every published article and visible comment again (after an analyser upgrade "
        "or a change of protected words), and drop entries that should not be there."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000, help="rows per transaction")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes analysing text while this one writes (0: none)",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help=(
                "empty the index first (faster: on PostgreSQL its GIN indexes are built once at "
                "the end; searches find less, and slowly, until then)"
            ),
        )
        parser.add_argument(
            "--vocabulary-only",
            action="store_true",
            help="only refresh the vocabulary that spelling suggestions come from",
        )

    def handle(
        self, *args: Any, batch_size: int, workers: int, clear: bool, **options: Any
    ) -> None:
        if options["vocabulary_only"]:
            terms = do_refresh_vocabulary()
            self.stdout.write(f"Vocabulary: {terms} terms.")
            return
        last = {"at": time.perf_counter()}

        def progress(kind: str, done: int) -> None:
            # A line every few seconds, so a long rebuild shows it is alive.
            if options["verbosity"] > 1 or time.perf_counter() - last["at"] > 5:
                last["at"] = time.perf_counter()
                self.stdout.write(f"  … {done} {kind}")

        report = do_rebuild_index(
            batch_size=max(1, batch_size), workers=max(0, workers), clear=clear, progress=progress
        )
        self.stdout.write(
            f"Indexed {report.articles} articles in {report.article_seconds:.1f} s "
            f"({report.articles_per_second:.0f} /s), removed {report.removed_articles} stale."
        )
        self.stdout.write(
            f"Indexed {report.comments} comments in {report.comment_seconds:.1f} s "
            f"({report.comments_per_second:.0f} /s), removed {report.removed_comments} stale."
        )
