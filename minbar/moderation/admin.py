"""The admin shows moderation's records; changes that must end sessions, move counts or write
the audit log are made in the moderation area (/moderation/), through the actions."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from minbar.accounts.models import User
from minbar.moderation import actions
from minbar.moderation.models import (
    ArticleModeration,
    AuditEntry,
    CommentReport,
    Sanction,
    SiteSettings,
    WordListEntry,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "reader", "comment", "article", "reason")
    list_filter = ("action",)
    search_fields = ("reason", "actor__username", "reader__username")
    date_hierarchy = "created_at"


@admin.register(CommentReport)
class CommentReportAdmin(ReadOnlyAdmin):
    list_display = ("comment", "reporter", "reason", "is_counted", "created_at", "resolution")
    list_filter = ("reason", "resolution")


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ("reader", "kind", "starts_at", "ends_at", "lifted_at", "created_by")
    list_filter = ("kind",)
    search_fields = ("reader__username",)


@admin.register(WordListEntry)
class WordListEntryAdmin(ReadOnlyAdmin):
    list_display = ("word", "kind", "created_at", "created_by")
    list_filter = ("kind",)
    search_fields = ("word",)


@admin.register(ArticleModeration)
class ArticleModerationAdmin(ReadOnlyAdmin):
    list_display = ("article", "premoderation")


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fields = actions.SETTINGS_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: SiteSettings, form: forms.Form, change: bool
    ) -> None:
        # Through the action: the audit log and the cached settings follow.
        staff = request.user
        assert isinstance(staff, User)  # the admin lets in only signed-in staff
        actions.do_update_site_settings(
            staff=staff, **{name: getattr(obj, name) for name in actions.SETTINGS_FIELDS}
        )
