from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minbar.discussion.models import Comment
from minbar.news.models import Article

REPORT_TEXT_MAX = 500
REASON_MAX = 500
WORD_MAX = 100


class Premoderation(models.TextChoices):
    OFF = "off", _("Off: comments appear at once")
    NEW_READERS = "new", _("New readers: their first comments wait for approval")
    ALL = "all", _("All comments wait for approval")


class SiteSettings(models.Model):
    """The moderation settings that staff change without a deploy. One row (pk 1), read through
    `selectors.get_site_settings`, which caches it."""

    premoderation = models.CharField(
        _("pre-moderation"), max_length=10, choices=Premoderation.choices, default="off"
    )
    new_reader_comments = models.PositiveSmallIntegerField(
        _("comments a new reader must have approved"),
        default=2,
        help_text=_("Until this many of their comments are visible, a reader counts as new."),
    )
    new_reader_max_links = models.PositiveSmallIntegerField(
        _("links allowed in a new reader's comment"),
        default=2,
        help_text=_("A new reader's comment with more links waits for approval."),
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports that hide a comment"),
        default=3,
        help_text=_("A comment reported by this many readers is hidden until a moderator looks."),
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_("Comments close this many days after publication; empty: never."),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="there_is_one_site_settings_row"),
            models.CheckConstraint(
                condition=Q(report_threshold__gte=1), name="a_report_threshold_is_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(auto_close_days__isnull=True) | Q(auto_close_days__gte=1),
                name="auto_close_is_off_or_at_least_a_day",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class ArticleModeration(models.Model):
    """Per-article moderation choices that override the site's."""

    class Override(models.TextChoices):
        SITE = "", _("As the site setting")
        OFF = "off", _("Off: comments appear at once")
        NEW_READERS = "new", _("New readers: their first comments wait for approval")
        ALL = "all", _("All comments wait for approval")

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="moderation", primary_key=True
    )
    premoderation = models.CharField(
        _("pre-moderation"), max_length=10, choices=Override.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("article moderation")
        verbose_name_plural = _("article moderation")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.premoderation or 'site'}"


class CommentReport(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abuse, insults or hate")
        OFF_TOPIC = "off-topic", _("Off-topic")
        OTHER = "other", _("Something else")

    class Resolution(models.TextChoices):
        OPEN = "", _("Open")
        KEPT = "kept", _("Comment kept")
        REMOVED = "removed", _("Comment removed")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    text = models.CharField(_("details"), max_length=REPORT_TEXT_MAX, blank=True)
    # Whether the report counts toward hiding the comment: only reports of established readers
    # do (decision 0008); the others still reach the moderators.
    is_counted = models.BooleanField(_("counts toward hiding"), default=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, blank=True, default=""
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            ("moderate_comments", _("Can approve, reject and feature readers' comments")),
            ("sanction_readers", _("Can suspend and ban readers")),
        ]
        indexes = [models.Index(fields=["comment", "resolution"], name="report_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_report_per_reader_per_comment"
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(text=""),
                name="a_report_for_another_reason_says_what",
            ),
            models.CheckConstraint(
                condition=Q(resolution="", resolved_at__isnull=True)
                | (~Q(resolution="") & Q(resolved_at__isnull=False)),
                name="a_resolved_report_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} on {self.comment_id} by {self.reporter_id}"


class WordListEntry(models.Model):
    class Kind(models.TextChoices):
        BANNED = "banned", _("Banned: the comment is refused")
        SUSPECT = "suspect", _("Suspect: the comment waits for review")

    word = models.CharField(_("word or phrase"), max_length=WORD_MAX)
    # The matching form (search.arabic.normalise.fold_for_matching): one entry per form.
    folded = models.CharField(max_length=WORD_MAX * 2, unique=True, editable=False)
    kind = models.CharField(_("list"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "word"]
        verbose_name = _("word list entry")
        verbose_name_plural = _("word list entries")

    def __str__(self) -> str:
        return f"{self.kind}: {self.word}"


class SanctionQuerySet(models.QuerySet):
    def active(self, *, now: dt.datetime | None = None) -> SanctionQuerySet:
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Sanction(models.Model):
    """A suspension (with an end) or a ban (without). Lifting one keeps the row, for history."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", _("Suspension")
        BAN = "ban", _("Ban")

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=REASON_MAX)
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        indexes = [models.Index(fields=["reader", "lifted_at"], name="sanction_reader")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ban", ends_at__isnull=True)
                | Q(kind="suspension", ends_at__isnull=False),
                name="a_suspension_ends_and_a_ban_does_not",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.reader_id}"


class AuditEntry(models.Model):
    """Who did what, when and why. Written by the moderation actions only, never changed."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved a comment")
        REJECT = "reject", _("Rejected a comment")
        HIDE = "hide", _("Hid a reported comment")
        FEATURE = "feature", _("Featured a comment")
        UNFEATURE = "unfeature", _("Unfeatured a comment")
        SUSPEND = "suspend", _("Suspended a reader")
        BAN = "ban", _("Banned a reader")
        LIFT = "lift", _("Lifted a suspension or ban")
        ADD_WORD = "add-word", _("Added a word to a list")
        REMOVE_WORD = "remove-word", _("Removed a word from a list")
        CLOSE = "close", _("Closed comments on an article")
        OPEN = "open", _("Opened comments on an article")
        ARTICLE_PREMODERATION = "article-premod", _("Changed an article's pre-moderation")
        SETTINGS = "settings", _("Changed the moderation settings")

    # Null when the site itself acted (a comment hidden by readers' reports).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    reason = models.TextField(_("why"), blank=True)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["action", "created_at"], name="audit_action_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
