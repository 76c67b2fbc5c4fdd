"""Seed a live server's database for the resilience tests: an article, readers with sessions.

DATABASE_URL=... python tests/serving/live_seed.py OUT.json
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from tests.factories import make_article, make_comment, make_user  # noqa: E402


def main(out: str) -> None:
    article = make_article(title="مقال تحت الحمل")
    make_comment(article, text="تعليق قبل الحمل")
    readers = []
    for _ in range(4):
        user = make_user()
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        readers.append({"sessionid": store.session_key, "csrf": get_random_string(32)})
    Path(out).write_text(
        json.dumps({"url": article.get_absolute_url(), "id": article.pk, "readers": readers})
    )


if __name__ == "__main__":
    main(sys.argv[1])
