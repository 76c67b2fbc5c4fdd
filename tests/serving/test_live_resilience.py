"""The live discussion against a live gunicorn with two workers and a real Redis: the feed moves
with a comment posted through the other worker, and while Redis is away it answers 503 with
Retry-After (the page backs off), never 500; once Redis is back, a page whose version the lost
counter no longer knows is told to reload."""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from minbar.discussion.models import Comment
from tests.conftest import service_missing
from tests.factories import make_article, make_comment, make_user
from tests.serving.test_resilience import (
    free_port,
    request,
    sqlite_or_postgres_url,
    start_gunicorn,
    start_redis,
    stop,
)

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _session(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def test_open_pages_follow_a_comment_and_survive_redis_stopping(tmp_path):
    if not shutil.which("redis-server"):
        service_missing("redis-server is not installed")
    article = make_article(title="خبر يتابعه القرّاء مباشرة")
    make_comment(article, text="أول تعليق")
    redis_port = free_port()
    redis = start_redis(redis_port)
    server, port = start_gunicorn(
        database_url=sqlite_or_postgres_url(),
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        log=tmp_path / "gunicorn.log",
    )
    try:
        status, page = request(port, "GET", article.get_absolute_url())
        assert status == 200
        html = page.decode()
        feed = re.search(r'data-live="([^"]+)"', html)[1]
        version = int(re.search(r'data-live-version="([0-9]+)"', html)[1])
        answers = {request(port, "GET", f"{feed}?since={version}")[1] for _ in range(6)}
        assert answers == {json.dumps({"version": version}).encode()}  # either worker
        # Posted through the app: a worker moves the shared counter and writes its entry.
        csrf = "a" * 32
        status, _ = request(
            port,
            "POST",
            article.get_absolute_url() + "comments/",
            headers={
                "Cookie": f"sessionid={_session(make_user())}; csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=urllib.parse.urlencode({"text": "تعليق جديد", "csrfmiddlewaretoken": csrf}),
        )
        assert status == 302
        posted = Comment.objects.get(body="تعليق جديد")
        answers = {request(port, "GET", f"{feed}?since={version}")[1] for _ in range(6)}
        assert len(answers) == 1 and json.loads(answers.pop())["new"] == [posted.pk]

        stop(redis)
        status, body = request(port, "GET", f"{feed}?since={version + 1}")
        assert status == 503 and json.loads(body)["error"]
        redis = start_redis(redis_port)
        status, body = request(port, "GET", f"{feed}?since={version + 1}")
        assert status == 200 and json.loads(body)["reset"] is True
    finally:
        stop(server)
        stop(redis)
