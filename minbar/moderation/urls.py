from django.urls import path

from minbar.moderation import views

app_name = "moderation"

urlpatterns = [
    path("comments/<int:comment_id>/report/", views.report_comment, name="report"),
    path("moderation/", views.home, name="home"),
    path("moderation/queue/<slug:name>/", views.queue, name="queue"),
    path("moderation/comments/<int:comment_id>/", views.comment_detail, name="comment"),
    path("moderation/comments/<int:comment_id>/approve/", views.approve, name="approve"),
    path("moderation/comments/<int:comment_id>/reject/", views.reject, name="reject"),
    path("moderation/comments/<int:comment_id>/feature/", views.feature, name="feature"),
    path("moderation/comments/<int:comment_id>/ban/", views.ban_author, name="ban-author"),
    path("moderation/readers/<int:user_id>/", views.reader_detail, name="reader"),
    path("moderation/readers/<int:user_id>/suspend/", views.suspend, name="suspend"),
    path("moderation/readers/<int:user_id>/ban/", views.ban, name="ban"),
    path("moderation/readers/<int:user_id>/lift/", views.lift, name="lift"),
    path("moderation/words/", views.words, name="words"),
    path("moderation/words/<int:entry_id>/delete/", views.word_delete, name="word-delete"),
    path("moderation/articles/", views.articles, name="articles"),
    path("moderation/articles/<int:article_id>/", views.article_discussion, name="article"),
    path("moderation/settings/", views.site_settings, name="settings"),
    path("moderation/log/", views.audit_log, name="log"),
]
