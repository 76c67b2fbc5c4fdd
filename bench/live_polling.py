"""Issue 14's live-discussion bench: many open pages polling one hot article through the shipped
nginx configuration while a writer posts comments (decision 0019).

Starts Redis, gunicorn (config/gunicorn.py, bench settings, 2 workers) and nginx with
deploy/nginx/minbar.conf (as bench/run.py adapts it: loopback, plain http, temporary paths), on
loopback ports from --port-base. Builds a small SQLite database (one article with 50 comments,
one writer). Then --pages simulated open pages (one keep-alive connection each, as a browser
tab has) ask `/live/<article>/?since=V` every --interval seconds (with live.js's ±10 % spread),
starting at the version the article page shows, for --seconds; meanwhile this process posts a
comment every --post-every seconds through `do_post_comment` (the action the view calls).

Prints: the polls answered and their rate; the requests that reached the app (gunicorn's access
log, and nginx's upstream log) per second; the gunicorn workers' CPU seconds; and, for every
(page, comment) pair, the time from the comment's commit to the first poll answer that names it
(p50, p95, max), with how many pairs never saw theirs.

    python bench/live_polling.py [--pages 2000] [--seconds 10] [--interval 1.5] [--port-base N]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run

HOST = run.HOST


def cpu_seconds(master_pid: int) -> float:
    """User + system CPU of a gunicorn master and its workers so far."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [master_pid]
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    pids += [int(p) for p in children.read_text().split()]
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def setup_database(db_url: str) -> dict:
    """Migrate, then one published article with 50 comments and a writer, through the actions."""
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from minbar.accounts.actions import do_create_reader
    from minbar.accounts.models import User
    from minbar.discussion import actions as discussion
    from minbar.news import actions as news

    call_command("migrate", verbosity=0)
    # Made by the sign-up's own action, then dated a month back (as bench/build.py and
    # tests/factories.py do), so that the ordinary limits apply to them.
    made = [
        do_create_reader(
            username=f"live-reader-{n}", email=f"live-reader-{n}@example.org", password=None
        )
        for n in range(5)
    ]
    User.objects.filter(pk__in=[u.pk for u in made]).update(
        date_joined=timezone.now() - dt.timedelta(days=30)
    )
    readers = list(User.objects.filter(pk__in=[u.pk for u in made]).order_by("pk"))
    section = news.do_get_or_create_section(name="أخبار", position=0)
    article = news.do_create_article(
        title="خبر عاجل: نقاش مباشر", body="نص الخبر.\n\nفقرة ثانية.", section=section
    )
    article = news.do_publish_article(article, at=timezone.now() - dt.timedelta(hours=1))
    for i in range(50):
        discussion.do_post_comment(
            article=article, author=readers[i % 5], text=f"تعليق سابق رقم {i} على الخبر."
        )
    return {"article": article.pk, "url": article.get_absolute_url(), "writer": readers[0].pk}


def writer(data: dict, *, seconds: float, every: float, commits: dict, stop: threading.Event):
    """Post a comment every `every` seconds; note the time each one's commit had happened."""
    from django.contrib.auth import get_user_model

    from minbar.discussion import actions as discussion
    from minbar.news.models import Article

    article = Article.objects.get(pk=data["article"])
    author = get_user_model().objects.get(pk=data["writer"])
    deadline = time.monotonic() + seconds
    n = 0
    next_post = time.monotonic() + every
    while not stop.is_set() and time.monotonic() < deadline:
        time.sleep(max(0.0, next_post - time.monotonic()))
        n += 1
        comment = discussion.do_post_comment(
            article=article, author=author, text=f"تعليق مباشر رقم {n} أثناء القياس."
        )
        # After commit and after the commit's receivers moved the version: what readers wait for.
        commits[comment.pk] = time.monotonic()
        next_post += every


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = b""
    if headers.get("content-encoding") == "gzip":  # as a browser asks for it
        body = gzip.decompress(body)
    return status, body


async def page(
    n: int, args, path: str, version: int, commits: dict, seen: dict, stats: dict, end: float
) -> None:
    """One open tab: a keep-alive connection and live.js's loop."""
    await asyncio.sleep(random.random() * args.interval)
    reader, writer_ = await asyncio.open_connection(HOST, run.PORTS["proxy"])
    mine: dict[int, float] = {}
    try:
        while time.monotonic() < end:
            started = time.monotonic()
            request = (
                f"GET {path}?since={version} HTTP/1.1\r\nHost: {HOST}\r\n"
                "Accept: application/json\r\nAccept-Encoding: gzip\r\n\r\n"
            )
            writer_.write(request.encode())
            await writer_.drain()
            status, body = await read_response(reader)
            now = time.monotonic()
            stats["polls"] += 1
            if status != 200:
                stats["errors"] += 1
            else:
                answer = json.loads(body)
                if answer.get("reset"):
                    stats["resets"] += 1
                for pk in answer.get("new", ()):
                    if pk in commits and pk not in mine:
                        mine[pk] = now - commits[pk]
                version = answer["version"]
            pause = args.interval * (0.9 + random.random() * 0.2) - (time.monotonic() - started)
            await asyncio.sleep(max(0.0, min(pause, end - time.monotonic())))
    finally:
        writer_.close()
        seen[n] = mine


async def poll_all(args, path: str, version: int, commits: dict) -> tuple[dict, dict]:
    seen: dict[int, dict[int, float]] = {}
    stats = {"polls": 0, "errors": 0, "resets": 0}
    end = time.monotonic() + args.seconds
    await asyncio.gather(
        *(page(n, args, path, version, commits, seen, stats, end) for n in range(args.pages))
    )
    return seen, stats


async def _direct(path: str, version: int, *, requests: int, connections: int) -> None:
    async def one(count: int) -> None:
        for _ in range(count):  # gunicorn's sync workers close the connection after each answer
            reader, writer_ = await asyncio.open_connection(HOST, run.PORTS["minbar"])
            writer_.write(f"GET {path}?since={version} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            await writer_.drain()
            await read_response(reader)
            writer_.close()

    await asyncio.gather(*(one(requests // connections) for _ in range(connections)))


def direct_cost(args, path: str, *, version: int, requests: int = 2000) -> tuple[float, float]:
    """App CPU seconds per feed request and requests/s, asked of gunicorn directly."""
    before = cpu_seconds(args.master_pid)
    started = time.monotonic()
    asyncio.run(_direct(path, version, requests=requests, connections=16))
    elapsed = time.monotonic() - started
    return (cpu_seconds(args.master_pid) - before) / requests, requests / elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--interval", type=float, default=1.5, help="live.js's polling interval")
    parser.add_argument("--post-every", type=float, default=1.0)
    parser.add_argument("--port-base", type=int, default=18280)
    args = parser.parse_args()
    run.PORTS.update({name: args.port_base + n for n, name in enumerate(run.PORT_NAMES)})
    run.REDIS_PORT = args.port_base + len(run.PORT_NAMES)
    for tool in ("nginx", "redis-server"):
        if not shutil.which(tool):
            sys.exit(f"bench needs {tool} (apt-get install nginx redis-server)")
    if any(run.port_open(p) for p in [run.PORTS["minbar"], run.PORTS["proxy"], run.REDIS_PORT]):
        sys.exit("a bench port is taken")
    run.VAR.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="live-", dir=run.VAR))
    os.chmod(work, 0o755)
    db_url = f"sqlite:///{work / 'live.sqlite3'}"
    access_log = work / "gunicorn-access.log"
    os.environ.update(run.gunicorn_env(db_url))
    servers = run.Servers()
    try:
        run.say(f"load average before: {os.getloadavg()[0]:.2f}")
        run.say(f"logs in {work}")
        redis = ["redis-server", "--port", str(run.REDIS_PORT), "--bind", HOST, "--save", "",
                 "--appendonly", "no"]  # fmt: skip
        servers.start("redis", redis, log=work / "redis.log")
        # The page names its scripts and images through the static files' manifest.
        run.subprocess.run([run.PY, "manage.py", "collectstatic", "--noinput", "-v0"],
                           cwd=run.ROOT, env=dict(os.environ), check=True)  # fmt: skip
        data = setup_database(db_url)
        env = {**run.gunicorn_env(db_url), "PORT": str(run.PORTS["minbar"]),
               "GUNICORN_ACCESS_LOG": str(access_log)}  # fmt: skip
        servers.start("minbar", [run.PY, "-m", "gunicorn", "--config", "config/gunicorn.py"],
                      env=env, log=work / "gunicorn.log")  # fmt: skip
        run.wait_for(f"http://{HOST}:{run.PORTS['minbar']}/healthz")
        run.start_nginx(servers, "proxy", run.nginx_proxy_conf(work / "nginx"), work / "nginx")
        proxy = f"http://{HOST}:{run.PORTS['proxy']}"
        html = run.wait_for(proxy + data["url"]).decode()
        path = re.search(r'data-live="([^"]+)"', html).group(1)
        version = int(re.search(r'data-live-version="([0-9]+)"', html).group(1))
        run.wait_for(f"{proxy}{path}?since={version}")
        upstream_log = work / "nginx" / "upstream.log"
        upstream_log.write_text("")
        access_log.write_text("")
        args.master_pid = servers.pid("minbar")
        cpu_before = cpu_seconds(args.master_pid)

        commits: dict[int, float] = {}
        stop = threading.Event()
        posting = threading.Thread(
            target=writer,
            args=(data,),
            kwargs={"seconds": args.seconds - 1, "every": args.post_every, "commits": commits,
                    "stop": stop},
        )  # fmt: skip
        started = time.monotonic()
        posting.start()
        seen, stats = asyncio.run(poll_all(args, path, version, commits))
        elapsed = time.monotonic() - started
        stop.set()
        posting.join()
        cpu = cpu_seconds(servers.pid("minbar")) - cpu_before
        time.sleep(0.5)  # the logs' last lines
        to_app = [line for line in access_log.read_text().splitlines() if "/live/" in line]
        upstream = [line for line in upstream_log.read_text().splitlines() if "/live/" in line]

        delays = [d for mine in seen.values() for d in mine.values()]
        # Pairs that had time to be seen: the comment committed an interval plus 2 s before the end.
        due = [
            (n, pk)
            for n in seen
            for pk, at in commits.items()
            if at < started + args.seconds - args.interval - 2
        ]
        missed = sum(1 for n, pk in due if pk not in seen[n])
        run.say(
            f"{args.pages} open pages polling every {args.interval:g} s for {args.seconds:g} s "
            f"through nginx, {len(commits)} comments posted (one every {args.post_every:g} s)"
        )
        run.say(
            f"  polls answered: {stats['polls']} ({stats['polls'] / elapsed:.0f}/s), "
            f"errors {stats['errors']}, resets {stats['resets']}"
        )
        per_app_request = stats["polls"] / max(1, len(to_app))
        run.say(
            f"  requests that reached the app: {len(to_app)} ({len(to_app) / elapsed:.1f}/s; "
            f"nginx's upstream log: {len(upstream)}), one per {per_app_request:.0f} polls"
        )
        run.say(
            f"  app CPU (gunicorn master + 2 workers): {cpu:.2f} s over {elapsed:.1f} s "
            f"({100 * cpu / elapsed:.1f}% of one core)"
        )
        if delays:
            run.say(
                f"  commit -> seen by a page: p50 {statistics.median(delays):.2f} s, "
                f"p95 {percentile(delays, 0.95):.2f} s, max {max(delays):.2f} s "
                f"over {len(delays)} (page, comment) pairs; {missed} of {len(due)} due pairs "
                f"never seen (target p95 <= 3 s)"
            )
        # The reference, in the same run: the same question straight to gunicorn, no nginx.
        while True:  # the version every page is at now
            answer = json.loads(run.wait_for(f"{proxy}{path}?since={version}"))
            if answer["version"] == version:
                break
            version = answer["version"]
        direct_cpu, direct_rps = direct_cost(args, path, version=version)
        need = stats["polls"] / elapsed * direct_cpu
        run.say(
            f"  reference, the same poll straight to gunicorn: {1000 * direct_cpu:.2f} ms of app "
            f"CPU each ({direct_rps:.0f}/s from this client); answering every poll of this run "
            f"so would take {need:.2f} cores of app CPU, against {cpu / elapsed:.3f} through "
            f"nginx ({need / max(cpu / elapsed, 1e-6):.0f}x)"
        )
        run.say(f"load average after: {os.getloadavg()[0]:.2f}")
        (work / "results.json").write_text(
            json.dumps(
                {
                    "pages": args.pages,
                    "polls": stats["polls"],
                    "app_requests": len(to_app),
                    "cpu_seconds": cpu,
                    "p50": statistics.median(delays) if delays else None,
                    "p95": percentile(delays, 0.95) if delays else None,
                    "missed": missed,
                }
            )
        )
    finally:
        servers.stop_all()


if __name__ == "__main__":
    main()
