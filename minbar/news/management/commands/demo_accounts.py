from typing import Any

from django.core.management.base import BaseCommand

from minbar.news.demo import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("  Demo sign-ins (username / password):")
        for username, password, role, _name in DEMO_ACCOUNTS:
            self.stdout.write(f"    {username:<10} / {password:<22} {role or 'reader'}")
