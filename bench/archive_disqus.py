"""Importing a Disqus export of a million comments: time, rate and peak memory.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/archive_disqus.py \\
        --threads 1000 --comments 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minbar_bench \\
        DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/archive_disqus.py

The file is written to a temporary directory as a stream (the generator never holds it), with
replies, guests and registered readers (5,000 people), Arabic and Latin text, some markup,
spam and deletions. Each thread's link is the address of an article the bench makes first.
Peak memory is the process's maximum resident set (ru_maxrss), Django and all. Without
DATABASE_URL it runs on a temporary SQLite file. Signal receivers (search index, page cache)
are disconnected: this times the importer.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "الحكومة",
    "القرار",
    "المياه",
    "الجفاف",
    "الاقتصاد",
    "السوق",
    "المدينة",
    "الطلاب",
    "الجامعة",
    "الكتاب",
    "المعرض",
    "the",
    "council",
    "water",
    "market",
    "students",
    "report",
    "future",
    "people",
    "minister",
    "plan",
    "project",
]


def write_disqus(path: Path, *, threads: int, comments: int, seed: int = 7) -> int:
    """Write the export; returns its size in bytes."""
    rng = random.Random(seed)
    start = datetime(2018, 1, 1, tzinfo=UTC)
    people = [f"reader{n}" for n in range(5000)]
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals">\n'
        )
        for t in range(threads):
            out.write(
                f'<thread dsq:id="{t + 1}"><link>https://old.example.com/articles/bench-{t}/'
                f"</link><title>مقال {t}</title></thread>\n"
            )
        post = 0
        for t in range(threads):
            first = post + 1
            for c in range(comments):
                post += 1
                parent = ""
                if c and rng.random() > 0.4:
                    parent = f'<parent dsq:id="{rng.randint(max(first, post - 8), post - 1)}"/>'
                words = rng.choices(WORDS, k=rng.randint(8, 40))
                if rng.random() < 0.1:
                    words[1] = f"<b>{words[1]}</b>"
                body = " ".join(words)
                who = rng.choice(people)
                guest = rng.random() < 0.3
                author = (
                    f"<author><name>{who}</name><email>{who}@example.com</email>"
                    f"<isAnonymous>true</isAnonymous></author>"
                    if guest
                    else f"<author><name>{who}</name><email>{who}@example.net</email>"
                    f"<isAnonymous>false</isAnonymous><username>{who}</username></author>"
                )
                when = (start + timedelta(days=t, minutes=c)).strftime("%Y-%m-%dT%H:%M:%SZ")
                out.write(
                    f'<post dsq:id="{post}"><message><![CDATA[<p>{body}</p>]]></message>'
                    f"<createdAt>{when}</createdAt>"
                    f"<isDeleted>{str(rng.random() < 0.01).lower()}</isDeleted>"
                    f"<isSpam>{str(rng.random() < 0.02).lower()}</isSpam>"
                    f"<likes>{rng.randint(0, 9)}</likes><dislikes>{rng.randint(0, 3)}</dislikes>"
                    f'{author}<thread dsq:id="{t + 1}"/>{parent}</post>\n'
                )
        out.write("</disqus>\n")
    return path.stat().st_size


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=1000, help="per thread")
    parser.add_argument(
        "--dir",
        help="Work in this directory and keep it. When it already holds the file and the "
        "SQLite database of an earlier run, only the second import (nothing new) is timed.",
    )
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="minbar-bench-")
    folder = Path(args.dir) if args.dir else Path(scratch.name)
    folder.mkdir(parents=True, exist_ok=True)
    again_only = (folder / "disqus.xml").exists() and (folder / "bench.sqlite3").exists()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "0")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from minbar.archive import disqus
    from minbar.archive.migrate import check_import_platform
    from minbar.core.signals import article_changed, discussion_changed
    from minbar.news import actions as news

    call_command("migrate", verbosity=0)
    for signal in (article_changed, discussion_changed):
        signal.receivers.clear()
        signal.sender_receivers_cache.clear()
    path = folder / "disqus.xml"
    total = args.threads * args.comments

    def read():
        with path.open("rb") as handle:
            yield from disqus.read(handle)

    if again_only:
        print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}; "
              f"memory before import {peak_mb():.0f} MB")  # fmt: skip
        t3 = time.perf_counter()
        again = check_import_platform(read, source="disqus")
        t4 = time.perf_counter()
        print(f"same file again: {t4 - t3:.0f} s, {again.comments_present} already here, "
              f"{again.comments_new} new; peak memory {peak_mb():.0f} MB")  # fmt: skip
        return
    section = news.do_get_or_create_section(name="قياس")
    t0 = time.perf_counter()
    with transaction.atomic():  # the newsroom's own action, one draft per thread
        for t in range(args.threads):
            news.do_create_article(slug=f"bench-{t}", title=f"مقال {t}", body="نص", section=section)
    print(f"articles: {args.threads} drafts made by do_create_article in "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
    t0 = time.perf_counter()
    size = write_disqus(path, threads=args.threads, comments=args.comments)
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")  # fmt: skip
    print(f"file: {total} comments in {args.threads} threads, {size / 1e6:.0f} MB "
          f"(written in {time.perf_counter() - t0:.0f} s); memory before import "
          f"{peak_mb():.0f} MB")  # fmt: skip

    t1 = time.perf_counter()
    report = check_import_platform(read, source="disqus", progress=lambda line: print(line))
    t2 = time.perf_counter()
    print(f"import: {t2 - t1:.0f} s, {total / (t2 - t1):.0f} comments/s; "
          f"{report.comments_new} new, {report.accounts_new} accounts; "
          f"peak memory {peak_mb():.0f} MB")  # fmt: skip
    t3 = time.perf_counter()
    again = check_import_platform(read, source="disqus")
    t4 = time.perf_counter()
    print(f"same file again: {t4 - t3:.0f} s, {again.comments_present} already here; "
          f"peak memory {peak_mb():.0f} MB")  # fmt: skip
    connection.close()
    if not args.dir:
        scratch.cleanup()


if __name__ == "__main__":
    main()
