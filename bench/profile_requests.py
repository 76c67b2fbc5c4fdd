"""Where a signed-in page view and a comment post spend their time, request by request.

    .venv/bin/python bench/profile_requests.py [--database-url URL] [--posts 200] [--views 100]

Builds the bench database (bench/build.py) under var/bench/profile/ unless it exists, then drives
the production middleware stack in this process (Django's test client, bench settings, Redis on
REDIS_URL if set) as one signed-in reader of bench/build.py: it posts --posts comments to the
posting article, views the 200-comment article --views times, and asks for its state on the
10,000-comment article (`/me/state/`, what minbar.js asks after each page) --states times.
Prints milliseconds and database queries per request, then the functions of this project that
took the most time (cumulative, from cProfile). No server, no wrk: this is for finding costs,
`make bench` is for measuring throughput.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench" / "profile"


def build(database_url: str) -> dict:
    out = WORK / ("data-pg.json" if database_url.startswith("postgres") else "data.json")
    if not out.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        env["DATABASE_URL"] = database_url
        subprocess.run([sys.executable, "bench/build.py", str(out)], cwd=ROOT, env=env, check=True)
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{WORK / 'bench.sqlite3'}")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--views", type=int, default=100)
    parser.add_argument("--states", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--show-queries", action="store_true", help="list one request's queries")
    args = parser.parse_args()
    data = build(args.database_url)

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    session = data["sessions"][0]
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.cookies["sessionid"] = session["sessionid"]
    client.cookies["csrftoken"] = session["csrf"]
    target = data["posting"] + "comments/"

    def post(n: int) -> int:  # the wrk script of run.py posts the same way
        body = {"csrfmiddlewaretoken": session["csrf"], "text": f"تعليق **للقياس** رقم {n}"}
        return client.post(target, body).status_code

    def view(_n: int) -> int:
        return client.get(data["a200"]).status_code

    state_url = f"/me/state/?article={data['a10k_id']}&page=1&order=oldest"

    def state(_n: int) -> int:
        return client.get(state_url).status_code

    runs = (
        ("post", post, args.posts),
        ("signed-in view", view, args.views),
        ("reader state, 10k article", state, args.states),
    )
    for name, run, count in runs:
        if not count:
            continue
        for n in range(5):  # warm: imports, templates, caches
            run(-n - 1)
        profiler = cProfile.Profile()
        statuses: dict[int, int] = {}
        queries: list[str] = []

        def count_query(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        started = time.perf_counter()
        for n in range(count):  # unprofiled: the time a request takes here
            run(1000 + n)
        plain = time.perf_counter() - started
        with connection.execute_wrapper(count_query):
            profiler.enable()
            for n in range(count):
                status = run(n)
                statuses[status] = statuses.get(status, 0) + 1
            profiler.disable()
        print(
            f"\n== {name}: {count} requests, {plain / count * 1000:.2f} ms each "
            f"({len(queries) / count:.1f} queries each, statuses {statuses})"
        )
        if args.show_queries:
            for sql in queries[: len(queries) // count]:
                print("   ", sql[:160])
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(r"minbar/|config/", args.top)
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        print("\n".join(line.replace(str(ROOT) + "/", "") for line in lines[-args.top - 1 :]))


if __name__ == "__main__":
    main()
