from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minbar.discussion.models import Comment
from minbar.news.models import Article


class Notification(models.Model):
    """One thing a reader is told about one comment. The unique constraint makes creating it
    idempotent: a delivery that comes twice notifies once."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        MENTION = "mention", _("Mention")
        FOLLOWED = "followed", _("New comment in a followed discussion")
        APPROVED = "approved", _("Comment approved")
        REJECTED = "rejected", _("Comment rejected")

    class Email(models.TextChoices):
        NONE = "none", _("Not emailed")
        PENDING = "pending", _("Waiting to be emailed")
        SENDING = "sending", _("Being emailed")
        SENT = "sent", _("Emailed")
        SKIPPED = "skipped", _("Not emailed (hidden or no address)")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    # The moderator's reason, for a rejection.
    reason = models.TextField(_("reason"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email = models.CharField(_("email"), max_length=8, choices=Email.choices, default=Email.NONE)
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient", "email"],
                condition=Q(email__in=["pending", "sending"]),
                name="notification_to_email",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "comment", "kind"],
                name="one_notification_per_reader_comment_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.comment_id} for {self.recipient_id}"


class Follow(models.Model):
    """A reader follows an article's discussion: they hear of its new comments."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("followed discussion")
        verbose_name_plural = _("followed discussions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reader"], name="one_follow_per_reader_and_article"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} follows {self.article_id}"


class Preferences(models.Model):
    """A reader's notification choices; a reader without a row has the defaults."""

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    email_replies = models.BooleanField(_("email me replies to my comments"), default=True)
    email_mentions = models.BooleanField(_("email me when someone mentions me"), default=True)
    email_followed = models.BooleanField(
        _("email me new comments in discussions I follow"), default=False
    )
    email_decisions = models.BooleanField(
        _("email me moderators' decisions on my comments"), default=False
    )
    follow_on_post = models.BooleanField(
        _("follow a discussion when I comment in it"), default=True
    )
    language = models.CharField(
        _("language of my emails"), max_length=2, choices=Language.choices, default="ar"
    )
    # Batching: when the last email left, and whether the next one is already queued.
    last_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_queued = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.reader_id}"
