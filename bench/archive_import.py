"""How long importing an archive of 100 articles × 100 comments (10,000 comments, with replies)
takes, and a second import of the same file (nothing to change) and an export.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/archive_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minbar_bench \\
        DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/archive_import.py

Without DATABASE_URL it runs on a temporary SQLite file. With it, it migrates that database
and removes what it imported at the end (articles `bench-…`, accounts `bench_reader_…`).
Options: --articles N, --comments N (per article), --keep, --quiet-receivers (time the importer
without the search index and page cache that follow its signals).
"""

from __future__ import annotations

import argparse
import json
import os
import random
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
    "المباراة",
    "الفريق",
    "الملعب",
    "الرأي",
    "الحق",
    "الواقع",
    "المستقبل",
    "الناس",
    "الخبر",
    "التقرير",
    "الوزير",
    "الخطة",
    "المشروع",
]


def make_document(*, articles: int, comments: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 8, tzinfo=UTC)
    readers = [f"bench_reader_{n}" for n in range(500)]
    items = []
    for a in range(articles):
        published = start + timedelta(days=a)
        thread = []
        for c in range(1, comments + 1):
            # Four in ten start a thread; the rest answer a recent comment, so threads go deep.
            parent = None
            if c > 1 and rng.random() > 0.4:
                parent = f"c{rng.randint(max(1, c - 8), c - 1)}"
            words = rng.choices(WORDS, k=rng.randint(8, 40))
            if rng.random() < 0.3:
                words[2] = f"**{words[2]}**"
            thread.append(
                {
                    "id": f"c{c}",
                    "parent": parent,
                    "author": rng.choice(readers),
                    "created_at": (published + timedelta(minutes=5 * c)).isoformat(),
                    "text": " ".join(words) + ".",
                    "score": rng.randint(-3, 25),
                    "status": rng.choices(["visible", "pending", "deleted"], weights=[96, 2, 2])[0],
                }
            )
        items.append(
            {
                "slug": f"bench-{a}",
                "title": f"مقال للقياس رقم {a}",
                "body": "\n\n".join(" ".join(rng.choices(WORDS, k=60)) for _ in range(5)),
                "section": rng.choice(["سياسة", "اقتصاد", "رياضة"]),
                "tags": rng.sample(WORDS, k=3),
                "authors": ["محرر القياس"],
                "published_at": published.isoformat(),
                "comments": thread,
            }
        )
    return {"format": "minbar-archive", "version": 1, "articles": items}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--comments", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="Leave the imported rows.")
    parser.add_argument(
        "--quiet-receivers",
        action="store_true",
        help="Disconnect the receivers of the change signals (search index, page cache), to "
        "time the importer alone.",
    )
    args = parser.parse_args()

    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.TemporaryDirectory(prefix="minbar-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "0")  # no query log eating memory

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from minbar.archive.actions import do_import_archive
    from minbar.archive.policy import dump_archive
    from minbar.archive.selectors import get_archive_document
    from minbar.archive.validate import parse_archive

    call_command("migrate", verbosity=0)
    if args.quiet_receivers:
        from minbar.core.signals import article_changed, discussion_changed

        for signal in (article_changed, discussion_changed):
            signal.receivers.clear()
            signal.sender_receivers_cache.clear()
    raw = json.dumps(
        make_document(articles=args.articles, comments=args.comments), ensure_ascii=False
    ).encode("utf-8")
    total = args.articles * args.comments
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})"
          f"{', signal receivers off' if args.quiet_receivers else ''}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    print(f"document: {args.articles} articles × {args.comments} comments = {total} comments, "
          f"{len(raw) / 1e6:.1f} MB")  # fmt: skip

    t0 = time.perf_counter()
    document = parse_archive(raw)
    t1 = time.perf_counter()
    report = do_import_archive(document)
    t2 = time.perf_counter()
    print(f"parse + check:   {t1 - t0:6.2f} s")
    print(f"first import:    {t2 - t1:6.2f} s  {total / (t2 - t1):8.0f} comments/s   "
          f"({report.comments_created} new, {report.accounts_created} accounts)")  # fmt: skip
    t3 = time.perf_counter()
    again = do_import_archive(parse_archive(raw))
    t4 = time.perf_counter()
    print(f"same file again: {t4 - t3:6.2f} s  {total / (t4 - t3):8.0f} comments/s   "
          f"({again.comments_unchanged} unchanged)")  # fmt: skip
    t5 = time.perf_counter()
    exported = dump_archive(get_archive_document())
    t6 = time.perf_counter()
    print(f"export:          {t6 - t5:6.2f} s  ({len(exported.encode()) / 1e6:.1f} MB)")

    if scratch is None and not args.keep:
        from django.contrib.auth import get_user_model

        from minbar.news.models import Article

        Article.objects.filter(slug__startswith="bench-").delete()
        get_user_model().objects.filter(username__startswith="bench_reader_").delete()
    if scratch is not None:
        connection.close()
        scratch.cleanup()


if __name__ == "__main__":
    main()
