"""The live discussion on the default install (`make run`: SQLite, no Redis, runserver's one
process): the version counters and change records are kept in the process's memory ("pages" is
Django's local-memory cache), so a reader with an article open is told about a comment posted
in another window. Production without Redis (several gunicorn workers) keeps it off, and
`check --deploy` says why when it is forced on."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client

from minbar.discussion.models import Comment
from tests.core.test_deploy_checks import deploy_findings
from tests.factories import make_article, make_established_reader

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'live': s.MINBAR_LIVE_DISCUSSION, 'fragments': s.MINBAR_FRAGMENT_CACHE,"
    " 'pages': s.CACHES['pages']['BACKEND']}))"
)


def _settings_of(module: str, **extra: str) -> dict:
    """What `module` decides with no REDIS_URL and nothing about the live discussion set."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("REDIS_URL", "MINBAR_LIVE", "MINBAR_FRAGMENT", "DJANGO_"))
    }
    env.update(DJANGO_SETTINGS_MODULE=module, **extra)
    code = "import django; django.setup(); " + SHOW
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_newcomer_can_follow_the_discussion_live_with_the_make_run_settings():
    assert _settings_of("config.settings.dev") == {
        "live": True,
        "fragments": False,
        "pages": LOCMEM,
    }
    # Production without Redis runs several workers, whose memories do not agree: off.
    prod = _settings_of(
        "config.settings.prod",
        MINBAR_ALLOW_DEV_SECRET="1",
        EMAIL_URL="console://",
        DJANGO_SECRET_KEY="dev-only-" + "x" * 50,
    )
    assert prod["live"] is False and prod["pages"] == LOCMEM


@pytest.fixture
def make_run(settings):
    """`make run` without Redis: live on, no kept lists or pages, "pages" in this process."""
    settings.DEBUG = False  # Django's debug pages are not what is tested here
    settings.MINBAR_LIVE_DISCUSSION = True
    settings.MINBAR_FRAGMENT_CACHE = False
    settings.MINBAR_PAGE_CACHE = False
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": LOCMEM, "LOCATION": "minbar-pages-make-run"},
    }
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.mark.django_db(transaction=True)
def test_reader_can_see_a_comment_posted_in_another_window_without_redis(make_run):
    article = make_article()
    page = Client().get(article.get_absolute_url()).content.decode()
    feed = re.search(r'data-live="([^"]+)"', page).group(1)
    version = int(re.search(r'data-live-version="([0-9]+)"', page).group(1))
    assert json.loads(Client().get(feed, {"since": version}).content) == {"version": version}

    writer = Client()
    writer.force_login(make_established_reader())
    posted = writer.post(f"{article.get_absolute_url()}comments/", {"text": "تعليق من نافذة أخرى"})
    assert posted.status_code in {200, 302}
    comment = Comment.objects.get(article=article)

    changes = json.loads(Client().get(feed, {"since": version}).content)
    assert changes["version"] == version + 1
    assert changes["new"] == [comment.pk] and changes["count"] == 1
    shown = Client().get(feed + "comments/", {"ids": str(comment.pk), "v": changes["version"]})
    [rendered] = json.loads(shown.content)["comments"]
    assert "تعليق من نافذة أخرى" in rendered["html"]
    # A page loaded now starts from the new version, with the comment on it.
    again = Client().get(article.get_absolute_url()).content.decode()
    assert f'data-live-version="{version + 1}"' in again and f"comment-{comment.pk}" in again


@pytest.mark.django_db
def test_operator_is_warned_when_live_discussion_is_forced_on_without_a_shared_store(settings):
    settings.MINBAR_LIVE_DISCUSSION = True
    assert "minbar.W004" in deploy_findings()
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    assert "minbar.W004" not in deploy_findings()
    settings.MINBAR_LIVE_DISCUSSION = False
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": LOCMEM, "LOCATION": "p"}}
    assert "minbar.W004" not in deploy_findings()
