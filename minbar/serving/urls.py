from django.urls import path

from minbar.serving import views

app_name = "serving"

urlpatterns = [
    path("me/state/", views.reader_state, name="state"),
    # The live discussion (decision 0019): public, the same for every page at one version.
    path("live/<int:article_id>/", views.live_changes, name="live"),
    path("live/<int:article_id>/comments/", views.live_comments, name="live-comments"),
]
