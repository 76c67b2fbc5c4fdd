from django.urls import path

from minbar.discussion import views

app_name = "discussion"

urlpatterns = [
    path("articles/<uslug:slug>/comments/", views.post_comment, name="post"),
    path("articles/<uslug:slug>/comments/write/", views.write_comment, name="write"),
    path("comments/<int:comment_id>/", views.permalink, name="permalink"),
    path("comments/<int:comment_id>/actions/", views.comment_actions, name="actions"),
    path("comments/<int:comment_id>/reply/", views.reply, name="reply"),
    path("comments/<int:comment_id>/vote/", views.cast_vote, name="vote"),
    path("comments/<int:comment_id>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:comment_id>/delete/", views.delete_comment, name="delete"),
]
