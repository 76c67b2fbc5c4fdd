from django.urls import path

from minbar.notify import views

app_name = "notify"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:notification_id>/read/", views.mark_read, name="read"),
    path("notifications/read/", views.mark_all_read, name="read-all"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("articles/<uslug:slug>/follow/", views.follow, name="follow"),
]
