from django.urls import path

from bench.plain_django import views

urlpatterns = [path("articles/<str:slug>/", views.article, name="plain-article")]
