from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minbar.news.models import Article

COMMENT_MAX = 5000


class CommentQuerySet(models.QuerySet):
    def visible(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.VISIBLE)


class Comment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        PENDING = "pending", _("Awaiting review")
        REJECTED = "rejected", _("Rejected")
        DELETED = "deleted", _("Deleted")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment of the thread (null for a top-level comment): pages are cut by
    # threads, so a page's replies are fetched by their roots in one query.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(_("text"), max_length=COMMENT_MAX)
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VISIBLE
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    # The net score carried over from the old platform, kept apart from votes cast here.
    imported_score = models.IntegerField(default=0)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    # Wilson lower bound of (up, down), imported score included: the "best" order.
    best_rank = models.FloatField(default=0.0)
    import_id = models.CharField(max_length=100, blank=True, default="")
    is_featured = models.BooleanField(_("featured"), default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["article", "parent", "status", "created_at"], name="comment_thread"
            ),
            models.Index(fields=["article", "root"], name="comment_root"),
            models.Index(fields=["author", "created_at"], name="comment_author"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "import_id"],
                condition=~Q(import_id=""),
                name="imported_comment_id_is_unique_per_article",
            ),
            models.CheckConstraint(
                condition=Q(depth=0, parent__isnull=True) | Q(depth__gt=0, parent__isnull=False),
                name="only_top_level_comments_have_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} on {self.article_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("discussion:permalink", kwargs={"comment_id": self.pk})

    @property
    def score(self) -> int:
        return self.imported_score + self.upvotes - self.downvotes

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE


class CommentVote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_votes"
    )
    value = models.SmallIntegerField()
    # Whether the vote moves the comment's score: votes of accounts that are not yet established
    # (moderation's rule, decision 0008) are kept but not counted in upvotes/downvotes.
    is_counted = models.BooleanField(_("counts toward the score"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "voter"], name="one_vote_per_reader_per_comment"
            ),
            models.CheckConstraint(
                condition=Q(value__in=[-1, 1]), name="a_vote_is_plus_or_minus_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} by {self.voter_id} on {self.comment_id}"
