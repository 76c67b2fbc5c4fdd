"""Awkward queries against a bench corpus: each must answer well under a second.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/search_awkward.py
    DATABASE_URL=postgres://… DJANGO_SETTINGS_MODULE=config.settings.dev \\
        .venv/bin/python bench/search_awkward.py

Uses the corpus `bench/search.py` built (var/bench_search.sqlite3 without DATABASE_URL) and
times, through the whole search page (Django test client), the inputs issue 16 lists: stop
words only, harakat only, tatweel only, mixed scripts, Eastern digits, 200 terms, 200 words
with name variants, unbalanced quotes, and a misspelling that gets a suggestion. Prints the
worst of three runs per query; exits non-zero if any took a second or more.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_search.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

QUERIES = {
    "stop words": "في من على إلى عن",
    "harakat only": "\u064e\u064f\u0650\u0651\u0652",
    "tatweel only": "ـــــــ",
    "mixed scripts": "Trumpترامب ترامبTrump 2024",
    "eastern digits": "٢٠٢٤ ۱۴۰۰",
    "200 terms": " ".join(f"كلمة{n}" for n in range(200)),
    "12 unknown names": " ".join(f"زيلينسكوف{chr(0x0628 + n)}" for n in range(12)),
    "unbalanced quote": '"الحكومة الموازنة',
    "phrase of names": '"ترامب زيلينسكي بايدن ماكرون"',
    "misspelling": "الحكومع",
}


def main() -> int:
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    started = time.perf_counter()
    client.get("/search/", {"q": "الحكومة"})  # loads the dictionary, as a worker's first search
    print(f"first search of a process: {(time.perf_counter() - started) * 1000:.0f} ms")
    slow = 0
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    for name, q in QUERIES.items():
        worst = 0.0
        for _ in range(3):
            started = time.perf_counter()
            response = client.get("/search/", {"q": q})
            worst = max(worst, time.perf_counter() - started)
        slow += worst >= 1.0
        print(f"  {name:<18} {response.status_code}  worst {worst * 1000:7.1f} ms")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
