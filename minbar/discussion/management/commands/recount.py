"""`python manage.py recount [--fix]`: prove the discussion's counters right, or repair them
(`discussion.selectors.find_counter_mismatches`, `discussion.actions.do_repair_counters`).

The counters are moved by the actions inside the transactions that change comments and votes;
this recounts them from the rows they summarise: `Article.comment_count` from the visible
comments, `Comment.upvotes`/`downvotes` from the counted CommentVote rows (decision 0008), and
`best_rank` from those.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.discussion import actions, selectors


class Command(BaseCommand):
    help = (
        "Recount every article's comment_count (visible comments) and every comment's up and "
        "down votes from the vote rows. Prints each mismatch and exits non-zero if any was "
        "found; with --fix repairs them in one transaction."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--fix", action="store_true", help="Repair the mismatched counters.")

    def handle(self, *args: Any, fix: bool = False, **options: Any) -> None:
        mismatches = selectors.find_counter_mismatches()
        for mismatch in mismatches:
            self.stdout.write(str(mismatch))
        count = len(mismatches)
        if not mismatches:
            self.stdout.write(_("Every counter is right."))
            return
        if not fix:
            raise CommandError(
                ngettext(
                    "%(count)s counter is wrong; run recount --fix to repair it.",
                    "%(count)s counters are wrong; run recount --fix to repair them.",
                    count,
                )
                % {"count": count}
            )
        rows = actions.do_repair_counters(mismatches)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext("Repaired %(count)s row.", "Repaired %(count)s rows.", rows)
                % {"count": rows}
            )
        )
