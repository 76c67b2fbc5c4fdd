from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from minbar.discussion.models import Comment, CommentVote


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("pk", "article", "author", "status", "created_at", "upvotes", "downvotes")
    list_filter = ("status",)
    search_fields = ("body", "author__username")
    raw_id_fields = ("article", "parent", "root", "author")
    readonly_fields = ("body_html", "upvotes", "downvotes", "best_rank", "imported_score")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Comment status changes go through the moderation area, which keeps counts exact.
        return False


@admin.register(CommentVote)
class CommentVoteAdmin(admin.ModelAdmin):
    list_display = ("comment", "voter", "value", "is_counted", "created_at")
    raw_id_fields = ("comment", "voter")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
