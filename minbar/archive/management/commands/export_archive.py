"""`python manage.py export_archive FILE`: write the whole site as a Minbar archive."""

from __future__ import annotations

import os
import tempfile
import zoneinfo

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from minbar.archive.selectors import iter_archive_text


class Command(BaseCommand):
    help = (
        "Export every article with its discussion as a Minbar archive (JSON, format version 1), "
        "which import_archive reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write; - writes to standard output.")
        parser.add_argument(
            "--time-zone",
            default=None,
            help="Write times in this zone (default: the site's TIME_ZONE).",
        )
        parser.add_argument(
            "--format-version",
            type=int,
            choices=(1, 2),
            default=1,
            help="1 (articles and discussions) or 2 (also readers, individual votes and edit "
            "times: lossless; docs/archive-format-v2.md).",
        )
        parser.add_argument(
            "--with-personal-data",
            action="store_true",
            help="Version 2: include the readers' emails and whether they were verified.",
        )

    def handle(
        self,
        *args,
        file: str,
        time_zone: str | None = None,
        format_version: int = 1,
        with_personal_data: bool = False,
        **options,
    ):
        if time_zone:
            try:
                zoneinfo.ZoneInfo(time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise CommandError(
                    _("Unknown time zone %(zone)s (expected e.g. Asia/Riyadh).")
                    % {"zone": time_zone}
                ) from None
        if with_personal_data and format_version < 2:
            raise CommandError(_("--with-personal-data needs --format-version 2."))
        pieces = iter_archive_text(
            time_zone=time_zone, version=format_version, personal_data=with_personal_data
        )
        if file == "-":
            self._write_stdout(pieces)
        else:
            self._write_file(file, pieces)

    def _write_stdout(self, pieces) -> None:
        out = getattr(self.stdout, "_out", self.stdout)
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            # Bytes, so that the terminal's encoding cannot refuse Arabic text.
            out.flush()
            for text in pieces:
                buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            for text in pieces:
                out.write(text)

    def _write_file(self, path: str, pieces) -> None:
        # Written beside the target and renamed: a failed export never leaves half a file.
        directory = os.path.dirname(os.path.abspath(path))
        try:
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=".json")
            try:
                with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                    for text in pieces:
                        out.write(text)
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(problem)s") % {"path": path, "problem": error.strerror}
            ) from None
