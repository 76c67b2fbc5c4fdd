"""`python manage.py import_archive FILE`: bring a Minbar archive into the site, all or nothing."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
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
        "Import a Minbar archive (JSON, format version 1). Articles match by slug and comments "
        "by article and id, so importing the same file again changes nothing. A file with any "
        "error changes nothing: every error is printed with its JSON pointer."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to read; - reads standard input.")
        parser.add_argument(
            "--comments-only",
            action="store_true",
            help="Leave every article that is already here (found by slug, or by the path of "
            "its url) as it is, and only add or update its comments.",
        )

    def handle(self, *args, file: str, comments_only: bool = False, **options):
        try:
            with input_path(file) as path:
                report = check_import_archive_file(path, comments_only=comments_only)
        except ArchiveInvalid as invalid:
            raise nothing_imported(self, invalid.errors) from None
        self.stdout.write(report.summary())
