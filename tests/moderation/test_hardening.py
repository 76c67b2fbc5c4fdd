"""Production hardening: `check --deploy` is clean, every response carries a strict CSP and the
security headers, no traceback or setting reaches a reader, and over-long input is refused
before any costly work."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from minbar.discussion.models import Comment
from minbar.moderation.models import CommentReport, WordListEntry
from tests.factories import make_comment
from tests.moderation.boom_urls import SECRET_MARKER
from tests.moderation.conftest import old_reader, page, post_comment

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable


EMPTY_DB = Path(tempfile.gettempdir()) / f"minbar-deploy-check-{os.getpid()}.sqlite3"


def prod_env(**extra) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "MINBAR_", "DATABASE_", "REDIS_"))
    }
    return {
        **env,
        # An empty database: the checks here are about settings, not about whatever data (an
        # unbuilt search index, say) the development database happens to hold.
        "DATABASE_URL": f"sqlite:///{EMPTY_DB}",
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "minbar.example",
        "EMAIL_URL": "smtp+tls://minbar:secret@mail.example:587",
        "DJANGO_DEFAULT_FROM_EMAIL": "news@minbar.example",
        "MINBAR_TRUSTED_PROXIES": "127.0.0.1,::1",
        **extra,
    }


def run(args, **env):
    try:
        return subprocess.run(
            [PYTHON, *args], cwd=ROOT, env=prod_env(**env), capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
    finally:
        EMPTY_DB.unlink(missing_ok=True)


def test_a_weak_secret_key_is_the_only_thing_check_deploy_would_flag():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DJANGO_SECRET_KEY="x"
    )
    assert result.returncode != 0
    flagged = {
        line.split()[1]
        for line in result.stderr.splitlines()
        if "(security." in line or "(minbar." in line
    }
    # Django's own finding and ours (minbar/core/checks.py), which says what is wrong with it.
    assert flagged == {"(security.W009)", "(minbar.W001)"}


def test_production_refuses_to_start_with_debug_on():
    result = run(["-c", "import config.settings.prod"], DJANGO_DEBUG="1")
    assert result.returncode != 0 and "DEBUG must be off" in result.stderr


def test_production_passes_check_deploy_and_sends_csp_hsts_and_the_security_headers():
    result = run([str(ROOT / "tests" / "moderation" / "prod_probe.py")], PYTHONPATH=str(ROOT))
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    check = answers["check --deploy"]
    assert check["ok"] and "no issues" in check["output"], check["output"]
    https = answers["https"]
    assert https["status"] == 200
    csp = https["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "max-age=31536000" in https["Strict-Transport-Security"]
    assert "includeSubDomains" in https["Strict-Transport-Security"]
    assert https["X-Content-Type-Options"] == "nosniff"
    assert https["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert https["X-Frame-Options"] == "DENY"
    # Plain HTTP is sent to HTTPS; behind the TLS proxy (X-Forwarded-Proto) it is served.
    assert answers["plain http"]["status"] == 301
    assert answers["plain http"]["Location"].startswith("https://minbar.example/")
    assert answers["behind the proxy"]["status"] == 200
    assert answers["other host"]["status"] == 400


db_test = pytest.mark.django_db


@db_test
def test_every_page_carries_a_strict_csp_and_has_no_inline_script_or_style(
    client, article, moderator
):
    make_comment(article, text="تعليق")
    client.force_login(moderator)
    urls = [
        "/",
        article.get_absolute_url(),
        reverse("moderation:queue", args=["pending"]),
        reverse("moderation:words"),
        reverse("moderation:report", args=[Comment.objects.get().pk]),
        "/accounts/login/",
        "/accounts/signup/",
    ]
    for url in urls:
        if url.startswith("/accounts/"):
            client.logout()
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, url
        assert "'unsafe-inline'" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        tree = page(response)
        for script in tree.find("script"):
            values = dict(script["attrs"])
            assert values.get("src") or values.get("type") in {
                "application/json",
                "application/ld+json",
            }, (url, script)
        assert not [e for e in tree.elements if "style" in dict(e["attrs"])], url
        assert not tree.find("style"), url


@db_test
def test_a_server_error_shows_the_arabic_page_and_nothing_else(settings):
    settings.ROOT_URLCONF = "tests.moderation.boom_urls"
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "عذرًا، حدث خطأ في الخادم" in body
    for leak in (SECRET_MARKER, settings.SECRET_KEY, "Traceback", "RuntimeError", "DATABASES"):
        assert leak not in body


@db_test
def test_a_missing_page_lists_no_urls_or_settings(client):
    response = client.get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "URLconf" not in body and "moderation/" not in body and "DEBUG" not in body


# --- over-long input is refused before any costly work --------------------------------------


def _forbid(*targets):
    """Patch each costly function so that calling it fails the test."""
    return [
        mock.patch(target, side_effect=AssertionError(f"{target} ran on over-long input"))
        for target in targets
    ]


@db_test
def test_an_over_long_comment_is_refused_before_any_costly_work(client, article, reader):
    client.force_login(reader)
    patches = _forbid(
        "minbar.discussion.actions.clean_user_text",
        "minbar.discussion.actions.render_comment_markdown",
        "minbar.moderation.gate.find_words",
    )
    for p in patches:
        p.start()
    try:
        response = post_comment(client, article, "ن" * 20_000)
    finally:
        for p in patches:
            p.stop()
    assert response.status_code == 400
    assert "5000" in response.content.decode() or "5,000" in response.content.decode()
    assert not Comment.objects.exists()


@db_test
def test_a_body_bigger_than_django_accepts_is_a_400_not_a_500(article, reader):
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    response = post_comment(client, article, "ن" * 1_500_000)
    assert response.status_code == 400
    assert not Comment.objects.exists()


@db_test
def test_over_long_reports_reasons_and_words_are_refused_before_any_costly_work(
    client, article, moderator, reader
):
    comment = make_comment(article, author=old_reader("someone"))
    patches = _forbid("minbar.moderation.actions.clean_user_text")
    for p in patches:
        p.start()
    try:
        client.force_login(reader)
        report = client.post(
            reverse("moderation:report", args=[comment.pk]),
            {"reason": "other", "text": "ط" * 10_000},
        )
        client.force_login(moderator)
        reject = client.post(
            reverse("moderation:reject", args=[comment.pk]), {"reason": "ط" * 10_000}
        )
        word = client.post(reverse("moderation:words"), {"word": "ط" * 10_000, "kind": "banned"})
        ban = client.post(reverse("moderation:ban", args=[reader.pk]), {"reason": "ط" * 10_000})
    finally:
        for p in patches:
            p.stop()
    assert [r.status_code for r in (report, reject, word, ban)] == [400, 400, 400, 400]
    assert not CommentReport.objects.exists() and not WordListEntry.objects.exists()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE


# --- names and text that try to fool the eye ----------------------------------------------------


def signup(client, username: str, n: int):
    client.logout()
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": f"looks{n}@example.org",
            "password1": "a-long-pass-phrase-7",
            "password2": "a-long-pass-phrase-7",
        },
    )


@db_test
def test_look_alike_usernames_collide(client):
    attempts = [
        ("سلمى", 302),
        ("سلـــمى", 400),  # tatweel
        ("سَلمى", 400),  # harakat
        ("ﺳﻠﻤﻰ", 400),  # presentation forms
        ("سلمى\u200b", 400),  # zero-width space
        ("Salma", 302),
        ("SALMA", 400),  # case
        ("salma", 400),
    ]
    answers = [(name, signup(client, name, n).status_code) for n, (name, _) in enumerate(attempts)]
    assert answers == attempts
    assert get_user_model().objects.filter(username__in=["سلمى", "Salma"]).count() == 2
    assert get_user_model().objects.count() == 2


@db_test
def test_bidi_and_zero_width_characters_are_refused_in_names_and_overrides_removed_in_comments(
    client, article, reader
):
    client.force_login(reader)
    for name in ("قارئ\u202eمقلوب", "قارئ\u200bخفي", "قارئ\u2067معزول\u2069"):
        response = client.post(reverse("accounts:settings"), {"display_name": name})
        assert response.status_code == 400, repr(name)
    reader.refresh_from_db()
    assert reader.display_name == ""
    post_comment(client, article, "نص \u202eمقلوب\u202c هنا")
    stored = Comment.objects.get().body
    assert "\u202e" not in stored and "\u202c" not in stored and "مقلوب" in stored
