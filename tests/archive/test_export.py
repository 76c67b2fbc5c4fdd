"""`export_archive`: everything the importer reads, so that export → import into an empty site
→ export gives the same bytes, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment, CommentVote
from minbar.news import actions as news
from minbar.news.models import Article, ArticleRevision, Author, Section, Tag
from tests.archive.helpers import document, run_export, run_import, site_state
from tests.factories import make_article, make_comment, make_editor, make_user

ROOT = Path(settings.BASE_DIR)


def build_site(tmp_path) -> dict:
    """A site with every kind of thing the format carries, made through the real actions."""
    assert run_import(document(), tmp_path=tmp_path).ok
    editor = make_editor()
    section = news.do_get_or_create_section(name="اقتصاد")
    tags = [news.do_get_or_create_tag(name=n) for n in ("نفط", "أسواق")]
    authors = [news.do_get_or_create_author(name=n) for n in ("هالة", "Omar")]
    live = make_article(
        title="أسعار النفط", section=section, editor=editor, tags=tags, authors=authors,
        standfirst="ملخص", source_name="Wire", source_url="https://example.com/oil",
        source_language="en", body="## عنوان\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    )  # fmt: skip
    make_article(title="مسودة", published=False, section=section)
    scheduled = make_article(title="مجدول", published=False, section=section)
    news.do_schedule_article(scheduled, at=timezone.now() + dt.timedelta(days=3))
    closed = make_article(title="مغلق", section=section, language="en")
    news.do_update_article(closed, comments_open=False)

    readers = [make_user(f"reader_{n}") for n in range(4)]
    top = make_comment(live, author=readers[0], text="أول تعليق")
    chain = top
    for depth in range(5):  # deeper than the page nests
        chain = make_comment(live, author=readers[depth % 2 + 1], text=f"رد {depth}", parent=chain)
    gone = make_comment(live, author=readers[2], text="سيحذف")
    make_comment(live, author=readers[3], text="رد على المحذوف", parent=gone)
    discussion.do_delete_comment(gone)
    discussion.do_post_comment(article=live, author=readers[3], text="معلق", status="pending")
    rejected = make_comment(live, author=readers[1], text="مرفوض")
    discussion.do_change_comment_status(rejected, status="rejected")
    for voter in readers[1:]:
        discussion.do_cast_vote(top, voter=voter, value=1)
    discussion.do_cast_vote(chain, voter=readers[0], value=-1)

    # Votes and a reply here on imported comments.
    c1 = Comment.objects.get(article__slug="kashmir-talks", import_id="c1")
    discussion.do_cast_vote(c1, voter=readers[0], value=1)
    discussion.do_cast_vote(c1, voter=readers[1], value=1)
    native = make_comment(c1.article, author=readers[2], text="رد من هنا", parent=c1)
    # An imported comment whose id is the one the native comment would be exported under.
    doc = document()
    doc["articles"][0]["comments"].append(
        {"id": f"c{native.pk}", "author": "samir_h", "text": "اسم مأخوذ",
         "created_at": "2022-07-20T10:00:00+03:00"}
    )  # fmt: skip
    assert run_import(doc, tmp_path=tmp_path).ok
    return {"top": top, "c1": c1, "native": native}


def wipe_site() -> None:
    CommentVote.objects.all().delete()
    Comment.objects.all().delete()
    ArticleRevision.objects.all().delete()
    Article.objects.all().delete()
    for model in (Section, Tag, Author, get_user_model()):
        model.objects.all().delete()


@pytest.mark.django_db
def test_site_can_move_through_an_archive_and_export_the_same_bytes(tmp_path):
    made = build_site(tmp_path)
    first = run_export()
    data = json.loads(first)
    kashmir = next(a for a in data["articles"] if a["slug"] == "kashmir-talks")
    by_id = {c["id"]: c for c in kashmir["comments"]}
    assert by_id["c1"]["score"] == 5 + 2  # imported + votes cast here
    native_id = f"c{made['native'].pk}"
    assert by_id[native_id]["text"] == "اسم مأخوذ"  # the imported one keeps its id
    assert by_id[f"{native_id}-minbar"]["parent"] == "c1"  # the native one steps aside
    assert [a["status"] for a in data["articles"]][-2:] == ["scheduled", "draft"]

    wipe_site()
    assert not Article.objects.exists()
    outcome = run_import(first, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    second = run_export()
    assert second == first

    c1 = Comment.objects.get(article__slug="kashmir-talks", import_id="c1")
    assert (c1.imported_score, c1.upvotes, c1.score) == (7, 0, 7)
    for article in Article.objects.all():
        assert article.comment_count == article.comments.filter(status="visible").count()


@pytest.mark.django_db
def test_site_can_import_its_own_export_and_nothing_changes(client, tmp_path):
    made = build_site(tmp_path)
    before = site_state()
    exported = run_export()
    outcome = run_import(exported, tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert "Articles: 0 new, 0 updated" in outcome.stdout
    assert "Comments: 0 new, 0 updated" in outcome.stdout
    assert site_state() == before
    assert run_export() == exported
    top = Comment.objects.get(pk=made["top"].pk)
    assert (top.imported_score, top.upvotes) == (0, 3)


@pytest.mark.django_db
def test_export_can_write_times_in_the_zone_asked_for(tmp_path):
    assert run_import(document(), tmp_path=tmp_path).ok
    riyadh = json.loads(run_export("--time-zone", "Asia/Riyadh"))
    utc = json.loads(run_export("--time-zone", "UTC"))
    assert riyadh["site"]["time_zone"] == "Asia/Riyadh"
    first = next(a for a in riyadh["articles"] if a["slug"] == "kashmir-talks")
    assert first["published_at"] == "2022-07-15T09:00:00+03:00"
    assert first["comments"][0]["created_at"] == "2022-07-15T10:29:00+03:00"
    first_utc = next(a for a in utc["articles"] if a["slug"] == "kashmir-talks")
    assert first_utc["published_at"] == "2022-07-15T06:00:00+00:00"
    default = json.loads(run_export())
    assert default["site"] == {"name": settings.MINBAR_SITE_NAME, "time_zone": settings.TIME_ZONE}


@pytest.mark.django_db
def test_export_cannot_use_an_unknown_time_zone():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Mars/Olympus"):
        call_command("export_archive", "-", "--time-zone", "Mars/Olympus")


@pytest.mark.django_db
def test_export_can_write_a_file(tmp_path):
    from django.core.management import call_command

    assert run_import(document(), tmp_path=tmp_path).ok
    target = tmp_path / "backup.json"
    call_command("export_archive", str(target))
    assert target.read_text(encoding="utf-8") == run_export()


def _database_url() -> str:
    """The test database, for a command run in another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _manage(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "LANG": "C",  # the commands must not depend on the terminal's encoding
        "LC_ALL": "C",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, input=stdin, capture_output=True, timeout=120,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_editor_can_pipe_an_archive_through_standard_input_and_output(monkeypatch):
    from django.core.management import call_command

    raw = json.dumps(document(), ensure_ascii=False).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="ascii"))
    call_command("import_archive", "-", stdout=io.StringIO())
    assert Comment.objects.filter(article__slug="kashmir-talks").count() == 4
    # Another process, as a shell pipe runs it: bytes out, whatever the terminal's encoding.
    exported = _manage("export_archive", "-")
    assert exported.returncode == 0, exported.stderr.decode()
    assert exported.stdout.decode("utf-8") == run_export()

    broken = document()
    broken["articles"][0]["comments"][1]["created_at"] = "2022-07-15T10:40:00"
    broken["articles"][1]["comments"][0]["parent"] = "c1"
    failed = _manage("import_archive", "-", stdin=json.dumps(broken).encode("utf-8"))
    assert failed.returncode == 1
    lines = failed.stderr.decode("utf-8").splitlines()
    assert lines[0].startswith("/articles/0/comments/1/created_at: ")
    assert lines[1].startswith("/articles/1/comments/0/parent: ")
    assert Comment.objects.count() == 5
