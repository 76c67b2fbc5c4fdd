"""An archive moves between SQLite and PostgreSQL without loss (issue 15, point 1): the demo
site, with a moderation history, an edit and votes added through the actions, exported from
SQLite (version 2, personal data included), imported into an empty PostgreSQL site, exported
again, imported into an empty SQLite site and exported once more gives the same file each
time, and each site counts the same accounts, votes, comments, statuses, scores and
moderation history. Real databases, through the management commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import port_open, service_missing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env["DATABASE_URL"] = database_url
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# The newsroom's staff are made on each new site before the import (a file never makes staff).
STAFF = """
from minbar.accounts.models import User
User.objects.create_user("chief", password=None, is_staff=True, is_superuser=True)
"""

# What the demo lacks, made as a newsroom would: reports, a rejection, a suspension lifted, a
# ban, an edit, a featured comment and a few more votes.
HISTORY = """
import datetime as dt
from django.utils import timezone
from minbar.accounts.models import User
from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment
from minbar.moderation import actions as moderation
chief = User.objects.get(username="chief")
readers = list(User.objects.filter(is_staff=False).order_by("pk"))
visible = list(Comment.objects.filter(status="visible").order_by("pk"))
first, second = visible[0], visible[1]
reporters = [r for r in readers if r.pk not in (first.author_id, second.author_id)]
moderation.do_report_comment(first, reporter=reporters[0], reason="abuse", text="")
moderation.do_report_comment(first, reporter=reporters[1], reason="other", text="غير لائق",
                             counted=False)
moderation.do_report_comment(second, reporter=reporters[2], reason="spam", text="")
moderation.do_reject_comment(second, moderator=chief, reason="إعلان")
moderation.do_suspend_reader(reporters[3], moderator=chief,
                             until=timezone.now() + dt.timedelta(days=3), reason="تجربة")
moderation.do_lift_sanctions(reporters[3], moderator=chief, reason="خطأ")
moderation.do_ban_reader(reporters[4], moderator=chief, reason="سبام")
discussion.do_edit_comment(visible[2], text="نص معدّل بعد النشر.")
moderation.do_feature_comment(visible[4], moderator=chief, featured=True)
for voter in reporters[5:9]:
    discussion.do_cast_vote(visible[3], voter=voter, value=-1)
"""

# Everything that could be lost, counted the same way on each site.
COUNTS = """
import json
from collections import Counter
from allauth.account.models import EmailAddress
from django.db.models import Sum
from minbar.accounts.models import User
from minbar.discussion.models import Comment, CommentVote
from minbar.moderation.models import AuditEntry, CommentReport, Sanction
print(json.dumps({
    "accounts": User.objects.filter(is_staff=False).count(),
    "emails": sorted(User.objects.filter(is_staff=False).values_list("username", "email")),
    "verified": sorted(EmailAddress.objects.filter(verified=True, user__is_staff=False)
                       .values_list("user__username", "email")),
    "votes": CommentVote.objects.count(),
    "counted": CommentVote.objects.filter(is_counted=True).count(),
    "comments": Comment.objects.count(),
    "statuses": sorted(Counter(Comment.objects.values_list("status", flat=True)).items()),
    "scores": sorted(c.score for c in Comment.objects.all()),
    "imported": Comment.objects.aggregate(total=Sum("imported_score"))["total"],
    "edited": Comment.objects.filter(edited_at__isnull=False).count(),
    "featured": sorted(Comment.objects.filter(is_featured=True).values_list("body", flat=True)),
    "reports": sorted(CommentReport.objects.values_list(
        "reporter__username", "reason", "is_counted", "resolution", "resolved_by__username")),
    "sanctions": sorted(map(str, Sanction.objects.values_list(
        "reader__username", "kind", "lifted_at", "created_by__username"))),
    "decisions": sorted(map(str, AuditEntry.objects.values_list(
        "action", "actor__username", "reader__username", "comment__body"))),
}, ensure_ascii=False, sort_keys=True))
"""


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute(sql)


def test_an_archive_goes_sqlite_to_postgresql_and_back_unchanged(tmp_path):
    if not port_open("127.0.0.1", 5432):
        service_missing("PostgreSQL is not running on 127.0.0.1:5432")
    name = f"minbar_roundtrip_{os.getpid()}"
    _psql(f"DROP DATABASE IF EXISTS {name}")
    _psql(f"CREATE DATABASE {name}")
    first = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    middle = f"postgres://postgres@127.0.0.1:5432/{name}"
    last = f"sqlite:///{tmp_path / 'last.sqlite3'}"
    files = [tmp_path / f"{n}.json" for n in ("sqlite", "postgresql", "sqlite-again")]
    export = ("export_archive", "--format-version", "2", "--with-personal-data")
    counts = []
    try:
        _manage(first, "migrate", "-v0")
        _manage(first, "load_demo")
        _manage(first, "shell", "-c", STAFF)
        _manage(first, "shell", "-c", HISTORY)
        counts.append(json.loads(_manage(first, "shell", "-c", COUNTS).splitlines()[-1]))
        _manage(first, *export, str(files[0]))
        for database, source, target in ((middle, files[0], files[1]), (last, files[1], files[2])):
            _manage(database, "migrate", "-v0")
            _manage(database, "shell", "-c", STAFF)
            _manage(database, "import_archive", str(source))
            counts.append(json.loads(_manage(database, "shell", "-c", COUNTS).splitlines()[-1]))
            _manage(database, *export, str(target))
    finally:
        _psql(f"DROP DATABASE IF EXISTS {name}")

    archive = json.loads(files[0].read_text(encoding="utf-8"))
    comments = [c for a in archive["articles"] for c in a["comments"]]
    # What could be lost is there: readers with emails, individual votes, an edit, and the
    # moderation history (reports, decisions, sanctions).
    assert archive["personal_data"] is True and len(archive["readers"]) > 10
    assert len(comments) > 50 and sum(len(c.get("votes", [])) for c in comments) > 50
    assert any(c.get("edited_at") for c in comments)
    moderation = archive["moderation"]
    assert len(moderation["reports"]) == 3 and len(moderation["sanctions"]) == 2
    assert {d["action"] for d in moderation["decisions"]} >= {
        "reject",
        "suspend",
        "ban",
        "lift",
        "feature",
    }
    assert files[1].read_bytes() == files[0].read_bytes()
    assert files[2].read_bytes() == files[0].read_bytes()
    assert counts[1] == counts[0]
    assert counts[2] == counts[0]
    assert counts[0]["reports"] and counts[0]["edited"] == 1 and len(counts[0]["featured"]) == 1
