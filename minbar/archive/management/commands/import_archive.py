"""`python manage.py import_archive FILE`: bring a Minbar archive into the site, all or nothing."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from minbar.archive.actions import check_import_archive_file
from minbar.archive.platform_command import nothing_imported
from minbar.archive.validate import ArchiveInvalid


@contextmanager
def input_path(path: str) -> Iterator[str]:
    """A path to read the archive from, twice; `-` spools standard input to a temporary file
    (a stream can be read only once)."""
    if path != "-":
        try:
            with open(path, "rb"):
                pass
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(problem)s") % {"path": path, "problem": error.strerror}
            ) from None
        yield path
        return
    stream = getattr(sys.stdin, "buffer", None)
    with tempfile.NamedTemporaryFile(prefix="minbar-archive-", suffix=".json") as spool:
        if stream is not None:
            shutil.copyfileobj(stream, spool)
        else:
            for text in iter(lambda: sys.stdin.read(1 << 16), ""):
                spool.write(text.encode("utf-8"))
        spool.flush()
        yield spool.name


class Command(BaseCommand):
    help = (
        "Import a Minbar archive (JSON, format version 1 or 2). Articles match by slug and "
        "comments by article and id, so importing the same file again changes nothing. A file "
        "with any error changes nothing: every error is printed with its JSON pointer (and, "
        "for text that is not JSON, its line and column). A long import says how far it is on "
        "standard error (not with -v 0)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to read; - reads standard input.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language of the summary, the progress and the errors (default: the site's).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and import as for real, report, then undo it all: nothing is written.",
        )
        parser.add_argument(
            "--comments-only",
            action="store_true",
            help="Leave every article that is already here (found by slug, or by the path of "
            "its url) as it is, and only add or update its comments.",
        )

    def handle(
        self,
        *args: Any,
        file: str,
        comments_only: bool = False,
        language: str | None = None,
        verbosity: int = 1,
        dry_run: bool = False,
        **options: Any,
    ) -> None:
        with translation.override(language) if language else nullcontext():
            self._import(file, comments_only=comments_only, verbosity=verbosity, dry_run=dry_run)

    def _import(self, file: str, *, comments_only: bool, verbosity: int, dry_run: bool) -> None:
        # Progress on standard error, every PROGRESS_EVERY comments; none with -v 0.
        progress = self.stderr.write if verbosity >= 1 else None
        try:
            with input_path(file) as path:
                report = check_import_archive_file(
                    path, comments_only=comments_only, progress=progress, dry_run=dry_run
                )
        except ArchiveInvalid as invalid:
            raise nothing_imported(self, invalid.errors) from None
        self.stdout.write(report.summary())
