"""Issue 15's target "archive round trip of the bench database: identical, and the counts
equal". The serving bench's database (bench/build.py: 2,000 readers, a 200-comment article
with votes, a 10,000-comment one, an empty one), plus a moderation history made through the
actions (reports counted and not, a rejection, a hidden comment, a featured one, a suspension
lifted, a ban, an edit, votes not counted), goes

    SQLite --export--> file 1 --import--> empty PostgreSQL --export--> file 2
           --import--> empty SQLite --export--> file 3

(`export_archive --format-version 2 --with-personal-data` and `import_archive`, each in its own
process through manage.py). The three files are compared byte for byte, and the counts of
everything that could be lost are printed for each site side by side: accounts, emails,
verified emails, votes (counted and not), comments by status, scores, edits, reports,
sanctions and decisions, with a digest of each one's details. Exits 1 if anything differs.

    .venv/bin/python bench/archive_roundtrip.py [--pg-database minbar_roundtrip] [--keep DIR]

The PostgreSQL database (127.0.0.1:5432, user postgres) is dropped and made anew, and dropped
at the end; the SQLite files and archives are in a temporary directory (or DIR with --keep).
Staff accounts never travel in a file: the newsroom's editor is made on each new site first,
as docs/archive-format-v2.md says.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = "postgres://postgres@127.0.0.1:5432/"

# The bench's editor (bench/build.py), made on each new site before the import.
STAFF = """
from minbar.accounts.models import User
User.objects.create_superuser("bench-editor", "e@example.org", None)
"""

# What the bench database lacks, done as a newsroom would, through the actions.
HISTORY = """
import datetime as dt
from django.utils import timezone
from minbar.accounts.models import User
from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment
from minbar.moderation import actions as moderation
chief = User.objects.get(username="bench-editor")
readers = list(User.objects.filter(is_staff=False).order_by("pk"))
small = list(Comment.objects.filter(article__comment_count__lt=1000, status="visible")
             .order_by("pk"))
big = list(Comment.objects.filter(article__comment_count__gte=1000).order_by("pk")[:50])
authors = {c.author_id for c in small[:20] + big}
others = [r for r in readers if r.pk not in authors]
# Reports: counted and not, open and resolved (by the rejection and the hiding below).
for n, comment in enumerate(small[:6]):
    moderation.do_report_comment(comment, reporter=others[n], reason="abuse", text="")
    moderation.do_report_comment(comment, reporter=others[n + 10], reason="other",
                                 text="غير لائق «هنا»", counted=n % 2 == 0)
moderation.do_report_comment(big[3], reporter=others[30], reason="spam", text="إعلان")
moderation.do_reject_comment(small[0], moderator=chief, reason="إعلان")
moderation.do_reject_comment(big[3], moderator=chief, reason="سبام")
moderation.do_feature_comment(small[7], moderator=chief, featured=True)
# A suspension lifted, one running, a ban.
moderation.do_suspend_reader(others[40], moderator=chief,
                             until=timezone.now() + dt.timedelta(days=3), reason="تجربة")
moderation.do_lift_sanctions(others[40], moderator=chief, reason="خطأ")
moderation.do_suspend_reader(others[41], moderator=chief,
                             until=timezone.now() + dt.timedelta(days=7), reason="إساءة")
moderation.do_ban_reader(others[42], moderator=chief, reason="سبام")
# Emails confirmed by some readers (the bench's are not).
from minbar.accounts.actions import do_mark_email_verified
for reader in readers[::7]:
    do_mark_email_verified(reader)
# Edits, and votes on the 10,000-comment article, counted and not.
discussion.do_edit_comment(small[8], text="نص معدّل بعد النشر.")
discussion.do_edit_comment(big[10], text="تصحيح: **الرقم** الصحيح ١٢٪.")
for n, voter in enumerate(others[50:90]):
    discussion.do_cast_vote(big[n % 5], voter=voter, value=1 if n % 3 else -1,
                            counted=n % 4 != 0)
print("history made")
"""

# Everything that could be lost, counted the same way on each site: a number and a digest of
# the details behind it (so that equal counts of different things would still show).
COUNTS = """
import hashlib, json
from collections import Counter
from allauth.account.models import EmailAddress
from django.db.models import Sum
from minbar.accounts.models import User
from minbar.discussion.models import Comment, CommentVote
from minbar.moderation.models import AuditEntry, CommentReport, Sanction

def row(items):
    items = sorted(map(str, items))
    return [len(items), hashlib.sha256("\\n".join(items).encode()).hexdigest()[:10]]

readers = User.objects.filter(is_staff=False)
out = {
    "accounts": row(readers.values_list("username", "display_name", "date_joined")),
    "emails": row(readers.exclude(email="").values_list("username", "email")),
    "verified emails": row(EmailAddress.objects.filter(verified=True, user__is_staff=False)
                           .values_list("user__username", "email")),
    "votes": row(CommentVote.objects.values_list("comment__body", "comment__created_at",
                 "voter__username", "value", "is_counted")),
    "votes counted": row(CommentVote.objects.filter(is_counted=True).values_list(
        "comment__body", "comment__created_at", "voter__username", "value")),
    "comments": row(Comment.objects.values_list("article__slug", "body", "created_at",
                                                "author__username")),
}
for status, n in sorted(Counter(Comment.objects.values_list("status", flat=True)).items()):
    out[f"comments {status}"] = row(Comment.objects.filter(status=status)
                                    .values_list("body", "author__username", "created_at"))
scores = [c.score for c in Comment.objects.all()]
out["scores (sum)"] = [sum(scores), row(scores)[1]]
out["imported scores (sum)"] = [Comment.objects.aggregate(t=Sum("imported_score"))["t"] or 0,
                                row(Comment.objects.values_list("imported_score"))[1]]
out["featured"] = row(Comment.objects.filter(is_featured=True).values_list("body"))
out["edits"] = row(Comment.objects.filter(edited_at__isnull=False)
                   .values_list("body", "edited_at"))
out["reports"] = row(CommentReport.objects.values_list(
    "comment__body", "reporter__username", "reason", "text", "is_counted", "resolution",
    "resolved_by__username", "created_at", "resolved_at"))
out["sanctions"] = row(Sanction.objects.values_list(
    "reader__username", "kind", "reason", "starts_at", "ends_at", "lifted_at",
    "created_by__username", "lifted_by__username"))
out["decisions"] = row(AuditEntry.objects.values_list(
    "action", "created_at", "actor__username", "reader__username", "comment__body", "reason"))
print(json.dumps(out, ensure_ascii=False))
"""


def environment(database_url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": database_url}
    env.update({"DJANGO_LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)})
    env.pop("REDIS_URL", None)  # each site in its own process: the local-memory cache will do
    return env


def run(database_url: str, *args: str) -> tuple[str, float]:
    """One command in its own process: its output and its wall time."""
    began = time.perf_counter()
    done = subprocess.run(
        [PY, *args], cwd=ROOT, env=environment(database_url), capture_output=True, text=True,
        timeout=1800,
    )  # fmt: skip
    took = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout, took


def manage(database_url: str, *args: str) -> tuple[str, float]:
    return run(database_url, "manage.py", *args)


def counts(database_url: str) -> dict:
    out, _ = manage(database_url, "shell", "-c", COUNTS)
    return json.loads(out.strip().splitlines()[-1])


def psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-database", default="minbar_roundtrip", help="Made and dropped.")
    parser.add_argument("--keep", metavar="DIR", help="Write the databases and files here.")
    args = parser.parse_args()
    if not args.pg_database.replace("_", "").isalnum():
        sys.exit("--pg-database: letters, digits and _ only")

    scratch = None
    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
        for old in work.glob("*.sqlite3"):
            old.unlink()
    else:
        scratch = tempfile.TemporaryDirectory(prefix="minbar-roundtrip-")
        work = Path(scratch.name)
    sites = {
        "SQLite": f"sqlite:///{work / 'first.sqlite3'}",
        "PostgreSQL": PG + args.pg_database,
        "SQLite again": f"sqlite:///{work / 'last.sqlite3'}",
    }
    files = [work / f"{n}.json" for n in ("1-sqlite", "2-postgresql", "3-sqlite-again")]
    export = ("export_archive", "--format-version", "2", "--with-personal-data")
    times: dict[str, dict[str, float]] = {name: {} for name in sites}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; files in {work}")

    first = sites["SQLite"]
    _, times["SQLite"]["build (bench/build.py)"] = run(
        first, "bench/build.py", str(work / "b.json")
    )
    _, times["SQLite"]["history (actions)"] = manage(first, "shell", "-c", HISTORY)
    table = {"SQLite": counts(first)}
    _, times["SQLite"]["export"] = manage(first, *export, str(files[0]))

    psql(f"DROP DATABASE IF EXISTS {args.pg_database} WITH (FORCE)")
    psql(f"CREATE DATABASE {args.pg_database}")
    try:
        for (name, url), source, target in zip(
            list(sites.items())[1:], files[:2], files[1:], strict=True
        ):
            _, times[name]["migrate"] = manage(url, "migrate", "-v0")
            manage(url, "shell", "-c", STAFF)
            _, times[name]["import"] = manage(url, "import_archive", str(source))
            table[name] = counts(url)
            _, times[name]["export"] = manage(url, *export, str(target))
    finally:
        psql(f"DROP DATABASE IF EXISTS {args.pg_database} WITH (FORCE)")

    data = json.loads(files[0].read_text(encoding="utf-8"))
    comments = sum(len(a["comments"]) for a in data["articles"])
    print(
        f"archive: {files[0].stat().st_size / 1e6:.1f} MB, {len(data['articles'])} articles, "
        f"{comments} comments, {len(data['readers'])} readers, "
        f"{sum(len(c.get('votes', [])) for a in data['articles'] for c in a['comments'])} votes, "
        f"{sum(len(v) for v in data.get('moderation', {}).values())} moderation entries"
    )
    del data
    reference = files[0].read_bytes()
    identical = True
    for path in files[1:]:
        same = path.read_bytes() == reference
        identical &= same
        print(f"{path.name} vs {files[0].name}: {'identical' if same else 'DIFFERENT'} "
              f"({path.stat().st_size} vs {len(reference)} bytes)")  # fmt: skip

    names = list(sites)
    order = list(table["SQLite"])
    order += sorted({key for n in names for key in table[n]} - set(order))
    print(f"\n{'count (digest)':24}" + "".join(f"{n:>22}" for n in names) + "   equal")
    equal = True
    for key in order:
        cells = [table[n].get(key) for n in names]
        same = all(c == cells[0] for c in cells)
        equal &= same
        shown = "".join(f"{f'{c[0]} ({c[1][:6]})' if c else '—':>22}" for c in cells)
        print(f"{key:24}{shown}   {'yes' if same else 'NO'}")

    print("\ntimes (s)")
    for name in names:
        print(f"  {name:13} " + ", ".join(f"{k} {v:.1f}" for k, v in times[name].items()))
    print(f"\nround trip: files {'identical' if identical else 'DIFFERENT'}, counts "
          f"{'equal' if equal else 'NOT EQUAL'}")  # fmt: skip
    if scratch is not None:
        scratch.cleanup()
    sys.exit(0 if identical and equal else 1)


if __name__ == "__main__":
    main()
