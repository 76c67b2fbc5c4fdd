"""`manage.py check --deploy` flags what Django cannot judge: an example or weak secret key and a
missing trusted-proxy setting; production refuses outright to start with an example key."""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(settings.BASE_DIR)
# Some of the project's own checks read the database (the search index).
pytestmark = pytest.mark.django_db


def env_example(name: str) -> str:
    """The value .env.example gives `name`: what an operator who copies the file gets."""
    text = (ROOT / ".env.example").read_text()
    match = re.search(rf"^{name}=(.*)$", text, re.MULTILINE)
    assert match, f"{name} is not in .env.example"
    return match.group(1)


def deploy_findings() -> set[str]:
    """The ids of our own findings from `check --deploy` under the current settings."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check", deploy=True, fail_level="CRITICAL", stdout=out, stderr=err)
        text = out.getvalue() + err.getvalue()
    except SystemCheckError as failed:  # pragma: no cover - only with a CRITICAL finding
        text = str(failed)
    return set(re.findall(r"\((minbar\.[EW]\d+)\)", text))


STRONG = secrets.token_urlsafe(50)


@pytest.mark.parametrize(
    "key",
    [
        env_example("DJANGO_SECRET_KEY"),
        "dev-only-insecure-key-change-me",
        "CHANGE_ME",
        "please-changeme-" + secrets.token_urlsafe(50),
        "your-secret-key",
    ],
    ids=["env-example", "dev-default", "upper-case", "changeme-inside", "your-secret-key"],
)
def test_check_deploy_fails_on_an_example_secret_key(settings, key):
    settings.SECRET_KEY = key
    settings.MINBAR_TRUSTED_PROXIES = ["127.0.0.1"]
    assert deploy_findings() == {"minbar.E001"}


@pytest.mark.parametrize(
    "key",
    [
        "x",
        secrets.token_urlsafe(30),  # random but short
        "ab" * 40,  # long but two characters
        "django-insecure-" + secrets.token_urlsafe(50),  # startproject's development key
    ],
    ids=["one-character", "short", "two-characters", "django-insecure"],
)
def test_check_deploy_warns_about_a_weak_secret_key(settings, key):
    settings.SECRET_KEY = key
    settings.MINBAR_TRUSTED_PROXIES = ["127.0.0.1"]
    assert deploy_findings() == {"minbar.W001"}


def test_check_deploy_warns_when_no_proxy_is_trusted(settings):
    settings.SECRET_KEY = STRONG
    settings.MINBAR_TRUSTED_PROXIES = []
    assert deploy_findings() == {"minbar.W002"}


def test_check_deploy_warns_when_real_mail_would_come_from_localhost(settings):
    settings.SECRET_KEY = STRONG
    settings.MINBAR_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "minbar@localhost"
    assert deploy_findings() == {"minbar.W003"}
    settings.DEFAULT_FROM_EMAIL = "منبر <news@minbar.example>"
    assert deploy_findings() == set()


def test_check_deploy_has_nothing_of_ours_to_say_about_a_sound_setup(settings):
    settings.SECRET_KEY = STRONG
    settings.MINBAR_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert deploy_findings() == set()


def test_production_refuses_to_start_with_the_example_secret_key():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MINBAR_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": env_example("DJANGO_SECRET_KEY"),
        "EMAIL_URL": "console://",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set DJANGO_SECRET_KEY for production" in result.stderr
