"""`python manage.py recount [--fix]`: prove the discussion's counters right, or repair them.

The counters are moved by the actions inside the transactions that change comments and votes;
this recounts them from the rows they summarise: `Article.comment_count` from the visible
comments, `Comment.upvotes`/`downvotes` from the counted CommentVote rows (decision 0008), and
`best_rank` from those.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minbar.core.signals import article_changed, discussion_changed
from minbar.discussion.models import Comment, CommentVote
from minbar.discussion.policy import best_rank
from minbar.news.models import Article

VISIBLE = Comment.Status.VISIBLE
# best_rank is a float recomputed from integers; anything further off than this was not.
RANK_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Mismatch:
    model: str  # "article" or "comment"
    pk: int
    field: str
    stored: float
    counted: float

    def __str__(self) -> str:
        values = {
            "pk": self.pk,
            "field": self.field,
            "stored": self.stored,
            "counted": self.counted,
        }
        if self.model == "article":
            return _("Article %(pk)s: %(field)s is %(stored)s, counted %(counted)s.") % values
        return _("Comment %(pk)s: %(field)s is %(stored)s, counted %(counted)s.") % values


def _visible_comments() -> Coalesce:
    counted = (
        Comment.objects.filter(article=OuterRef("pk"), status=VISIBLE)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _votes(value: int) -> Coalesce:
    counted = (
        CommentVote.objects.filter(comment=OuterRef("pk"), value=value, is_counted=True)
        .order_by()
        .values("comment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def find_counter_mismatches() -> list[Mismatch]:
    """Every stored counter that differs from a recount of its rows."""
    found: list[Mismatch] = []
    articles = (
        Article.objects.annotate(counted=_visible_comments())
        .exclude(comment_count=F("counted"))
        .order_by("pk")
        .values_list("pk", "comment_count", "counted")
    )
    for pk, stored, counted in articles:
        found.append(Mismatch("article", pk, "comment_count", stored, counted))
    comments = (
        Comment.objects.annotate(up=_votes(1), down=_votes(-1))
        .order_by("pk")
        .values_list("pk", "upvotes", "downvotes", "up", "down", "imported_score", "best_rank")
    )
    for pk, upvotes, downvotes, up, down, imported, rank in comments.iterator(chunk_size=2000):
        if upvotes != up:
            found.append(Mismatch("comment", pk, "upvotes", upvotes, up))
        if downvotes != down:
            found.append(Mismatch("comment", pk, "downvotes", downvotes, down))
        expected = best_rank(upvotes=up, downvotes=down, imported_score=imported)
        if abs(rank - expected) > RANK_TOLERANCE:
            found.append(Mismatch("comment", pk, "best_rank", rank, expected))
    return found


@transaction.atomic
def do_repair_counters(mismatches: list[Mismatch]) -> int:
    """Set the counters of the mismatched rows from their rows, in one transaction. Each UPDATE
    counts in the statement itself, so a vote landing meanwhile is not lost."""
    article_ids = sorted({m.pk for m in mismatches if m.model == "article"})
    comment_ids = sorted({m.pk for m in mismatches if m.model == "comment"})
    for start in range(0, len(article_ids), 500):
        Article.objects.filter(pk__in=article_ids[start : start + 500]).update(
            comment_count=_visible_comments()
        )
    for start in range(0, len(comment_ids), 500):
        chunk = comment_ids[start : start + 500]
        Comment.objects.filter(pk__in=chunk).update(upvotes=_votes(1), downvotes=_votes(-1))
        rows = (
            Comment.objects.select_for_update()
            .filter(pk__in=chunk)
            .only("pk", "upvotes", "downvotes", "imported_score", "best_rank")
        )
        fixed = []
        for row in rows:
            row.best_rank = best_rank(
                upvotes=row.upvotes, downvotes=row.downvotes, imported_score=row.imported_score
            )
            fixed.append(row)
        Comment.objects.bulk_update(fixed, fields=["best_rank"], batch_size=500)
    if article_ids or comment_ids:
        _announce(article_ids, comment_ids)
    return len(article_ids) + len(comment_ids)


def _announce(article_ids: list[int], comment_ids: list[int]) -> None:
    by_article: dict[int, list[int]] = {}
    for pk, article_id in Comment.objects.filter(pk__in=comment_ids).values_list(
        "pk", "article_id"
    ):
        by_article.setdefault(article_id, []).append(pk)

    def send() -> None:
        for article_id in article_ids:
            article_changed.send(sender=Article, article_id=article_id)
        for article_id, pks in by_article.items():
            discussion_changed.send(sender=Comment, article_id=article_id, comment_ids=pks)

    transaction.on_commit(send)


class Command(BaseCommand):
    help = (
        "Recount every article's comment_count (visible comments) and every comment's up and "
        "down votes from the vote rows. Prints each mismatch and exits non-zero if any was "
        "found; with --fix repairs them in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair the mismatched counters.")

    def handle(self, *args, fix: bool = False, **options):
        mismatches = find_counter_mismatches()
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
        rows = do_repair_counters(mismatches)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext("Repaired %(count)s row.", "Repaired %(count)s rows.", rows)
                % {"count": rows}
            )
        )
