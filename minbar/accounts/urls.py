"""Readers' pages, and allauth's entrance pages wrapped so a refused form answers 400.

config/urls.py includes this before `allauth.urls`: the wrapped paths below are the same as
allauth's, so they win, and allauth's URL names (`account_login` …) still reverse to them.
"""

from django.urls import path, re_path

from minbar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("readers/<str:username>/", views.profile, name="profile"),
    path("accounts/settings/", views.account_settings, name="settings"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/password/change/", views.password_change, name="password-change"),
    path("accounts/password/set/", views.password_set, name="password-set"),
    path("accounts/password/reset/", views.password_reset, name="password-reset"),
    re_path(
        r"^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.password_reset_from_key,
        name="password-reset-from-key",
    ),
]
