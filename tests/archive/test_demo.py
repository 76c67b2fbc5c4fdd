"""`load_demo` brings the demo in through the archive importer, then real votes."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from minbar.discussion.models import Comment, CommentVote
from minbar.news.demo import DEMO_ACCOUNTS, DEMO_FILE
from minbar.news.models import Article
from tests.archive.helpers import shown_score, site_state

pytestmark = pytest.mark.django_db


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_newcomer_can_load_the_demo_with_imported_scores_and_votes(client):
    load_demo("--if-empty")
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert Article.objects.count() == len(demo["articles"])
    assert Comment.objects.count() == sum(len(a.get("comments", [])) for a in demo["articles"])
    assert CommentVote.objects.exists()
    # Every comment came through the importer: it carries its id and its old score.
    first = demo["articles"][0]
    c1 = Comment.objects.get(article__slug=first["slug"], import_id="c1")
    assert c1.imported_score == first["comments"][0]["score"]
    voted = Comment.objects.filter(upvotes__gt=0).first()
    page = client.get(voted.article.get_absolute_url()).content.decode()
    total = voted.imported_score + voted.upvotes - voted.downvotes
    assert shown_score(page, voted.pk) == (f"+{total}" if total > 0 else f"\u2212{-total}")
    User = get_user_model()
    for username, _password, _role, _name in DEMO_ACCOUNTS:
        assert User.objects.get(username=username).is_active
    assert not User.objects.get(username=first["comments"][0]["author"]).is_active
    out = io.StringIO()
    with translation.override("en"):
        call_command("recount", stdout=out)
    assert "Every counter is right." in out.getvalue()


def test_newcomer_can_run_the_demo_loader_again_without_changing_the_site():
    load_demo()
    before = site_state()
    assert "demo content not loaded" in load_demo("--if-empty")
    load_demo()
    after = site_state()
    # Demo accounts get their passwords set again (new salts); everything else stays.
    before.pop("users"), after.pop("users")
    assert after == before
