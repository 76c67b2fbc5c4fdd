from django.contrib import admin

from minbar.notify.models import Follow, Notification, Preferences


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "comment", "created_at", "read_at", "email")
    list_filter = ("kind", "email")
    raw_id_fields = ("recipient", "comment")
    search_fields = ("recipient__username",)


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("reader", "article", "created_at")
    raw_id_fields = ("reader", "article")


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ("reader", "email_replies", "email_mentions", "email_followed", "language")
    raw_id_fields = ("reader",)
