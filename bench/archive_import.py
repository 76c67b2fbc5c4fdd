"""How long importing an archive of 100 articles × 100 comments (10,000 comments, with replies)
takes through the streaming path `import_archive` uses (two passes over the file, ijson), a
second import of the same file (nothing to change), the same file read whole (the reference:
`parse_archive`, what the importer did before it streamed), and an export; with the peak
memory (RSS) of each step.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/archive_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minbar_bench \\
        DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/archive_import.py

Without DATABASE_URL it runs on a temporary SQLite file. With it, it migrates that database
and removes what it imported at the end (articles `bench-…`, accounts `bench_reader_…`).
Options: --articles N, --comments N (per article), --keep, --quiet-receivers (time the importer
without the search index and page cache that follow its signals), --no-reference (skip the
whole-file read, whose memory grows with the file).

Peak RSS only grows within a process, so the steps run in the order that lets each show its
own: the streamed imports first, the whole-file reference after them. The file is written one
article at a time, so that making it does not raise the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
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


def make_articles(*, articles: int, comments: int, seed: int = 7) -> Iterator[dict]:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 8, tzinfo=UTC)
    readers = [f"bench_reader_{n}" for n in range(500)]
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
        yield (
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


def write_document(path: Path, *, articles: int, comments: int) -> int:
    """The archive, written an article at a time; returns its size in bytes."""
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"format": "minbar-archive", "version": 1, "articles": [')
        for n, article in enumerate(make_articles(articles=articles, comments=comments)):
            out.write((",\n" if n else "\n") + json.dumps(article, ensure_ascii=False))
        out.write("\n]}\n")
    return path.stat().st_size


def peak_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--comments", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="Leave the imported rows.")
    parser.add_argument(
        "--no-reference", action="store_true", help="Do not read the file whole as well."
    )
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

    from minbar.archive.actions import check_import_archive_file, do_import_archive
    from minbar.archive.policy import dump_archive
    from minbar.archive.selectors import get_archive_document
    from minbar.archive.validate import parse_archive

    call_command("migrate", verbosity=0)
    if args.quiet_receivers:
        from minbar.core.signals import article_changed, discussion_changed

        for signal in (article_changed, discussion_changed):
            signal.receivers.clear()
            signal.sender_receivers_cache.clear()
    files = tempfile.TemporaryDirectory(prefix="minbar-bench-file-")
    path = Path(files.name) / "archive.json"
    size = write_document(path, articles=args.articles, comments=args.comments)
    total = args.articles * args.comments
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})"
          f"{', signal receivers off' if args.quiet_receivers else ''}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    print(f"document: {args.articles} articles × {args.comments} comments = {total} comments, "
          f"{size / 1e6:.1f} MB")  # fmt: skip
    base = peak_mb()
    print(f"baseline RSS (Django, migrated, nothing read): {base:6.0f} MB")

    t0 = time.perf_counter()
    report = check_import_archive_file(str(path))
    t1 = time.perf_counter()
    streamed = peak_mb()
    print(f"streamed import: {t1 - t0:6.2f} s  {total / (t1 - t0):8.0f} comments/s   "
          f"({report.comments_created} new, {report.accounts_created} accounts)   "
          f"peak RSS {streamed:.0f} MB (+{streamed - base:.0f})")  # fmt: skip
    t2 = time.perf_counter()
    again = check_import_archive_file(str(path))
    t3 = time.perf_counter()
    print(f"same file again: {t3 - t2:6.2f} s  {total / (t3 - t2):8.0f} comments/s   "
          f"({again.comments_unchanged} unchanged)   peak RSS {peak_mb():.0f} MB")  # fmt: skip
    if not args.no_reference:
        t4 = time.perf_counter()
        whole = do_import_archive(parse_archive(path.read_bytes()))
        t5 = time.perf_counter()
        read_whole = peak_mb()
        print(f"reference, file read whole (same file again): {t5 - t4:6.2f} s   "
              f"({whole.comments_unchanged} unchanged)   peak RSS {read_whole:.0f} MB "
              f"(+{read_whole - base:.0f})")  # fmt: skip
        print(f"memory above the baseline, read whole / streamed: "
              f"{(read_whole - base) / max(streamed - base, 1):.1f}×;   time, streamed / read "
              f"whole (second import): {(t3 - t2) / (t5 - t4):.2f}")  # fmt: skip
    t6 = time.perf_counter()
    exported = dump_archive(get_archive_document())
    t7 = time.perf_counter()
    print(f"export:          {t7 - t6:6.2f} s  ({len(exported.encode()) / 1e6:.1f} MB)")
    files.cleanup()

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
