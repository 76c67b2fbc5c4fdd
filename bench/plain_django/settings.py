"""bench.settings with the plain reference page as the only URL."""

from bench.settings import *  # noqa: F403
from bench.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.plain_django.urls"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",  # allauth is installed, and insists
]
TEMPLATES = [
    {
        **TEMPLATES[0],
        "DIRS": [BASE_DIR / "bench" / "plain_django" / "templates", *TEMPLATES[0]["DIRS"]],
    }
]
