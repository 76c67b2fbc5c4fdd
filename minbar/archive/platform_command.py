"""What `import_disqus` and `import_wordpress` share: the options, the two passes over the
file, and the summary."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.archive.migrate import check_import_platform, read_url_map
from minbar.archive.sources import Post, SourceInvalid, Thread


def nothing_imported(command: BaseCommand, errors: Sequence[object]) -> CommandError:
    """Every importer's refusal: each error (with its place) on stderr, then the count."""
    for error in errors:
        command.stderr.write(str(error))
    count = len(errors)
    return CommandError(
        ngettext(
            "%(count)s error: nothing was imported.",
            "%(count)s errors: nothing was imported.",
            count,
        )
        % {"count": count}
    )


class PlatformImportCommand(BaseCommand):
    source = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export file (it is read twice: check, then write).")
        parser.add_argument(
            "--url-map",
            metavar="CSV",
            help="A CSV file of old address, slug: for pages whose address changed.",
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Make an unpublished article (title and old link) for each unmatched thread, "
            "instead of skipping it.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language of the summary and the errors (default: the site's).",
        )

    def records(self, handle, **options) -> Iterator[Thread | Post]:  # pragma: no cover
        raise NotImplementedError

    def handle(self, *args, **options):
        if options.get("language"):
            with translation.override(options["language"]):
                return self._import(*args, **options)
        return self._import(*args, **options)

    def _import(self, *args, file: str, **options):
        if file == "-" or not os.path.isfile(file):
            raise CommandError(
                _("Cannot read %(path)s: give the path of an export file.") % {"path": file}
            )

        def read() -> Iterator[Thread | Post]:
            with open(file, "rb") as handle:
                yield from self.records(handle, **options)

        try:
            url_map = read_url_map(options["url_map"]) if options.get("url_map") else {}
            report = check_import_platform(
                read,
                source=self.source,
                url_map=url_map,
                create_missing=options["create_missing"],
                dry_run=options["dry_run"],
                # Progress on standard error; none with -v 0.
                progress=self.stderr.write if options.get("verbosity", 1) >= 1 else None,
            )
        except SourceInvalid as invalid:
            raise nothing_imported(self, invalid.errors) from None
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(problem)s") % {"path": file, "problem": error.strerror}
            ) from None
        for line in report.lines():
            self.stdout.write(line)
