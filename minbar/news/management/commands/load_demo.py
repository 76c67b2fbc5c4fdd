"""Load the demo site: accounts, then the demo archive through the importer, then votes."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from minbar.accounts.actions import do_mark_email_verified
from minbar.news.demo import DEMO_ACCOUNTS, DEMO_FILE
from minbar.news.demo.loader import load_demo_document
from minbar.news.models import Article


class Command(BaseCommand):
    help = "Load the demo content (original Arabic articles with discussions) and demo accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when articles already exist."
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Article.objects.exists():
            self.stdout.write("Articles exist already; demo content not loaded.")
            return
        with transaction.atomic():
            staff = self._accounts()
            data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
            summary = load_demo_document(data, editor=staff["editor"])
        self.stdout.write(self.style.SUCCESS(summary))

    def _accounts(self) -> dict:
        User = get_user_model()
        made = {}
        for username, password, role, display_name in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, email=f"{username}@example.org")
            user.display_name = display_name
            user.is_staff = role in {"editors", "authors", "moderators"}
            user.set_password(password)
            user.save()
            if role:
                group, _ = Group.objects.get_or_create(name=role)
                user.groups.add(group)
            # Sign-in needs a verified address (ACCOUNT_EMAIL_VERIFICATION): the demo has no mail.
            do_mark_email_verified(user)
            made[username] = user
        return made
