"""`python manage.py import_wordpress FILE`: attach a WordPress export's comments to articles."""

import zoneinfo

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from minbar.archive import wordpress
from minbar.archive.platform_command import PlatformImportCommand


class Command(PlatformImportCommand):
    source = "wordpress"
    help = (
        "Import the comments of a WordPress export (WXR 1.1 or 1.2). Posts match articles by "
        "address (or --url-map); articles are never changed. Running it again adds nothing; "
        "a file with any error changes nothing."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--time-zone",
            help="The blog's time zone, for comments that have only a local time "
            "(e.g. Asia/Riyadh).",
        )

    def handle(self, *args, **options):
        zone = options.get("time_zone")
        if zone:
            try:
                zoneinfo.ZoneInfo(zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise CommandError(
                    _("Unknown time zone %(zone)s (expected e.g. Asia/Riyadh).") % {"zone": zone}
                ) from None
        super().handle(*args, **options)

    def records(self, handle, **options):
        return wordpress.read(handle, time_zone=options.get("time_zone"))
