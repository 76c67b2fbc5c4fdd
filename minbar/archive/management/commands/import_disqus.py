"""`python manage.py import_disqus FILE`: attach a Disqus export's discussions to articles."""

from minbar.archive import disqus
from minbar.archive.platform_command import PlatformImportCommand


class Command(PlatformImportCommand):
    source = "disqus"
    help = (
        "Import the comments of a Disqus XML export. Threads match articles by address (or "
        "--url-map); articles are never changed. Running it again adds nothing; a file with "
        "any error changes nothing."
    )

    def records(self, handle, **options):
        return disqus.read(handle)
