from django.urls import path

from minbar.serving import views

app_name = "serving"

urlpatterns = [
    path("me/state/", views.reader_state, name="state"),
]
