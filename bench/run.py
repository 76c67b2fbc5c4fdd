"""`make bench`: Minbar at news-day load, against the limits of this machine.

Starts the real servers on loopback (127.0.0.1 only, every run bounded in time), builds the
bench database (SQLite under var/bench/, and PostgreSQL when 127.0.0.1:5432 answers), and
prints for the 200-comment article page: requests/s, p50 and p99 for

  nginx static      nginx serving the page's bytes as a file (the limit)
  bare WSGI         gunicorn, 2 workers, returning the same bytes from memory (the ceiling)
  Minbar + nginx    through deploy/nginx/minbar.conf (plain http, temporary paths), anonymous
  signed-in + nginx a signed-in reader's view through nginx: the page and its /me/state/
                    request, alternating (a view is two requests)
  Minbar anonymous  gunicorn direct, no session cookie
  Minbar signed-in  gunicorn direct, readers' session cookies
  plain Django      bench/plain_django, the reference: the same comments, no caching

then the reader state of the 10,000-comment article alone, 2,000 distinct signed-in readers on
one article through nginx (how many requests reach the app), comments posted per second (many
readers, every check) with exact counts verified, the ratios against the targets, and peak
RSS per worker.

    python bench/run.py [--seconds 8] [--connections 16] [--only sqlite|postgres] [--port-base N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
VAR = ROOT / "var" / "bench"
HOST = "127.0.0.1"
PORT_NAMES = ("static", "bare", "minbar", "proxy", "plain")
PORTS = {name: 18180 + n for n, name in enumerate(PORT_NAMES)}
REDIS_PORT = 18190
WORKERS = 2
READERS_RUN = 2000  # distinct signed-in readers on one hot article
PG_DATABASE = "minbar_bench"  # with the port base appended when it is not the default
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"

# (name, numerator, denominator, target): views per second of the numerator against requests
# per second of the denominator (a signed-in view through nginx is two requests).
TARGETS = [
    ("signed-in view via nginx / bare WSGI", "proxy_signed", "bare", 0.4),
    ("signed-in view via nginx / plain Django", "proxy_signed", "plain", 20.0),
    ("anonymous via nginx / nginx static", "proxy", "static", 0.8),
    ("anonymous direct / bare WSGI", "anon", "bare", 0.5),
]
STATE_P99_MS = 20.0


def say(text: str = "") -> None:
    print(text, flush=True)


def port_open(port: int, host: str = HOST) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


def wait_for(url: str, *, timeout: float = 30, headers: dict | None = None) -> bytes:
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.read()
        except Exception as exc:  # not up yet
            last = exc
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer: {last}")


class Servers:
    """Processes this run started; each is stopped by its own pid, never by name."""

    def __init__(self) -> None:
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, cmd: list[str], *, env: dict | None = None, log: Path) -> None:
        self.stop(name)
        handle = open(log, "ab")  # noqa: SIM115 (closed with the process)
        self.procs[name] = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def pid(self, name: str) -> int:
        return self.procs[name].pid

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)


# --- wrk ---------------------------------------------------------------------------------------


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, *, seconds: int, connections: int, script: Path | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(
        [*cmd, url], capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": int(re.search(r"([0-9]+) requests in", out).group(1)),
        "bad": int(m.group(1))
        if (m := re.search(r"Non-2xx or 3xx responses: ([0-9]+)", out))
        else 0,
        "errors": sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) ([0-9]+)", out))
        if "Socket errors" in out
        else 0,
        "statuses": {int(k): int(v) for k, v in re.findall(r"STATUS ([0-9]+) ([0-9]+)", out)},
    }
    return result


def lua_sessions(path: Path, sessions: list[dict]) -> list[str]:
    return [
        "local sessions = {",
        *(f'  {{"{s["sessionid"]}", "{s["csrf"]}"}},' for s in sessions),
        "}",
    ]


def write_signed_in_script(path: Path, sessions: list[dict]) -> Path:
    lines = [
        *lua_sessions(path, sessions),
        "local n = 0",
        "request = function()",
        "  n = n + 1",
        "  local s = sessions[(n % #sessions) + 1]",
        '  wrk.headers["Cookie"] = "sessionid=" .. s[1] .. "; csrftoken=" .. s[2]',
        "  return wrk.format(nil)",
        "end",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_view_script(path: Path, sessions: list[dict], *, page: str, state: str) -> Path:
    """A signed-in reader's view: the page, then its state request, with the same cookie."""
    lines = [
        *lua_sessions(path, sessions),
        "local n = 0",
        "request = function()",
        "  n = n + 1",
        "  local s = sessions[(math.floor(n / 2) % #sessions) + 1]",
        '  wrk.headers["Cookie"] = "sessionid=" .. s[1] .. "; csrftoken=" .. s[2]',
        f'  if n % 2 == 0 then return wrk.format("GET", "{page}") end',
        f'  return wrk.format("GET", "{state}")',
        "end",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_posting_script(path: Path, sessions: list[dict], *, target: str) -> Path:
    text = urllib.parse.quote_plus(
        "تعليق من اختبار الحمل، **بتنسيق** ورابط https://example.org رقم "
    )
    lines = [
        *lua_sessions(path, sessions),
        "local threads = {}",
        "function setup(thread) table.insert(threads, thread) end",
        "statuses = {}",
        "local n = 0",
        "local me = 0",
        "function init(args) me = math.random(1000000) end",
        "request = function()",
        "  n = n + 1",
        "  local s = sessions[math.random(#sessions)]",
        f'  local body = "csrfmiddlewaretoken=" .. s[2] .. "&text={text}" .. me .. "-" .. n',
        "  local headers = {",
        '    ["Cookie"] = "sessionid=" .. s[1] .. "; csrftoken=" .. s[2],',
        '    ["Content-Type"] = "application/x-www-form-urlencoded",',
        "  }",
        f'  return wrk.format("POST", "{target}", headers, body)',
        "end",
        "response = function(status, headers, body)",
        "  statuses[status] = (statuses[status] or 0) + 1",
        "end",
        "done = function(summary, latency, requests)",
        "  local total = {}",
        "  for _, t in ipairs(threads) do",
        '    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end',
        "  end",
        '  for k, v in pairs(total) do io.write(string.format("STATUS %d %d\\n", k, v)) end',
        "end",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


# --- servers -----------------------------------------------------------------------------------


NGINX_MAIN = """
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{body}
}}
"""


def nginx_static_conf(tmp: Path, docroot: Path) -> str:
    body = f"""
    server {{
        listen {HOST}:{PORTS["static"]};
        location / {{ root {docroot}; default_type text/html; }}
    }}"""
    return NGINX_MAIN.format(workers=WORKERS, tmp=tmp, body=body)


def nginx_proxy_conf(tmp: Path) -> str:
    """deploy/nginx/minbar.conf, adapted: loopback port, plain http, temporary paths."""
    conf = (ROOT / "deploy" / "nginx" / "minbar.conf").read_text()
    conf = re.sub(r"# --- plain http.*?# --- end of plain http[^\n]*\n", "", conf, flags=re.S)
    replacements = [
        (r"listen 443 ssl http2;", f"listen {HOST}:{PORTS['proxy']};"),
        (r"\n\s*listen \[::\]:443 ssl http2;", ""),
        (r"\n\s*ssl_[a-z_]+ [^\n]*;", ""),
        (r"server 127\.0\.0\.1:8000;", f"server {HOST}:{PORTS['minbar']};"),
        (r"/var/cache/nginx/minbar", str(tmp / "cache")),
        (r"/srv/minbar/staticfiles/", str(ROOT / "staticfiles") + "/"),
        (r"server_name minbar\.example;", "server_name _;"),
        # Requests that reached the app, to count them (the 2,000-reader run).
        (
            r"(add_header X-Cache-Status \$upstream_cache_status always;)",
            rf"\1\n        access_log {tmp / 'upstream.log'} minbar_upstream if=$minbar_to_app;"
            "\n        log_subrequest on;",
        ),
    ]
    for pattern, replacement in replacements:
        conf, count = re.subn(pattern, replacement, conf)
        assert count, f"deploy/nginx/minbar.conf no longer has {pattern!r}"
    logging = (
        "    log_format minbar_upstream '$upstream_cache_status $request_uri';\n"
        # Answered by the app: not HIT, STALE or UPDATING (background updates are subrequests).
        "    map $upstream_cache_status $minbar_to_app {\n"
        "        MISS 1; BYPASS 1; EXPIRED 1; REVALIDATED 1; default 0;\n    }\n"
    )
    return NGINX_MAIN.format(workers=WORKERS, tmp=tmp, body=logging + conf)


def start_nginx(servers: Servers, name: str, conf: str, tmp: Path) -> None:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "nginx.conf").write_text(conf)
    subprocess.run(["nginx", "-t", "-q", "-p", str(tmp), "-c", str(tmp / "nginx.conf")], check=True)
    servers.start(
        name, ["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf")], log=tmp / "out.log"
    )


def gunicorn_env(database_url: str, *, settings: str = "bench.settings") -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
        "WORKERS": str(WORKERS),
        "GUNICORN_ACCESS_LOG": "",
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


def start_minbar(servers: Servers, database_url: str, log: Path) -> None:
    env = {**gunicorn_env(database_url), "PORT": str(PORTS["minbar"])}
    servers.start(
        "minbar", [PY, "-m", "gunicorn", "--config", "config/gunicorn.py"], env=env, log=log
    )
    wait_for(f"http://{HOST}:{PORTS['minbar']}/healthz")


def start_plain(servers: Servers, database_url: str, log: Path) -> None:
    env = gunicorn_env(database_url, settings="bench.plain_django.settings")
    cmd = [
        PY, "-m", "gunicorn", "django.core.wsgi:get_wsgi_application()",
        "--bind", f"{HOST}:{PORTS['plain']}", "--workers", str(WORKERS), "--preload",
        "--no-control-socket",
    ]  # fmt: skip
    servers.start("plain", cmd, env=env, log=log)


def worker_peak_rss_mb(master_pid: int) -> list[float]:
    """VmHWM (peak resident set) of each worker of a gunicorn master."""
    peaks = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        kb = int(re.search(r"VmHWM:\s+([0-9]+) kB", status).group(1))
        peaks.append(round(kb / 1024, 1))
    return peaks


# --- databases ---------------------------------------------------------------------------------


def postgres_reachable() -> bool:
    return port_open(5432)


def reset_postgres() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {PG_DATABASE}")


def build(database_url: str, out: Path, log: Path) -> dict:
    env = {**os.environ, **gunicorn_env(database_url)}
    with open(log, "ab") as handle:
        subprocess.run(
            [PY, "bench/build.py", str(out)], cwd=ROOT, env=env, check=True,
            stdout=handle, stderr=subprocess.STDOUT, timeout=600,
        )  # fmt: skip
    return json.loads(out.read_text())


def manage(database_url: str, *args: str, log: Path) -> int:
    env = {**os.environ, **gunicorn_env(database_url)}
    with open(log, "ab") as handle:
        return subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=env, stdout=handle,
            stderr=subprocess.STDOUT, timeout=300,
        ).returncode  # fmt: skip


def count_comments(database_url: str, article_id: int) -> tuple[int, int]:
    """(comments stored on the article, its comment_count)."""
    code = (
        "import django; django.setup();"
        "from minbar.discussion.models import Comment; from minbar.news.models import Article;"
        f"print(Comment.objects.filter(article_id={article_id}).count(),"
        f" Article.objects.get(pk={article_id}).comment_count)"
    )
    env = {**os.environ, **gunicorn_env(database_url)}
    out = subprocess.run(
        [PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1])


# --- the run -----------------------------------------------------------------------------------


def row(name: str, result: dict) -> str:
    flags = ""
    if result.get("bad") or result.get("errors"):
        flags = f"  (non-2xx/3xx {result['bad']}, socket errors {result['errors']})"
    return (
        f"  {name:<26} {result['rps']:>10.0f} req/s   p50 {result['p50']:>8.2f} ms"
        f"   p99 {result['p99']:>8.2f} ms{flags}"
    )


def many_readers(args, data: dict, work: Path, *, view_page: str) -> dict:
    """2,000 distinct signed-in readers on one article through nginx for a while: how many
    requests for the page reach the app (an upper bound on its renders)."""
    log = work / "nginx-proxy" / "upstream.log"
    script = write_view_script(
        work / "readers.lua",
        data["sessions"][:READERS_RUN],
        page=view_page,
        state=f"/me/state/?article={data['a200_id']}&page=1&order=oldest",
    )
    log.write_text("")
    seconds = args.readers_seconds
    result = wrk(f"http://{HOST}:{PORTS['proxy']}{view_page}", seconds=seconds,
                 connections=max(args.connections, 64), script=script)  # fmt: skip
    reached = [line.split(" ", 1) for line in log.read_text().splitlines() if line]
    pages = sum(1 for _status, uri in reached if uri == view_page)
    out = {
        "readers": len(data["sessions"][:READERS_RUN]),
        "views_per_s": result["requests"] / 2 / seconds,
        "page_requests_to_app_per_s": pages / seconds,
        "p99": result["p99"],
    }
    say(f"  {out['readers']} signed-in readers for {seconds} s through nginx: "
        f"{out['views_per_s']:.0f} views/s (p99 {out['p99']:.1f} ms); the page reached the app "
        f"{pages} times, {out['page_requests_to_app_per_s']:.1f}/s")  # fmt: skip
    return out


def posting_run(args, data: dict, work: Path, database_url: str, base: str, *, label: str):
    conns = args.connections
    before, _count = count_comments(database_url, data["posting_id"])
    post_script = write_posting_script(
        work / "post.lua", data["sessions"][:300], target=data["posting"] + "comments/"
    )
    posted = wrk(base + data["posting"], seconds=args.post_seconds, connections=conns,
                 script=post_script)  # fmt: skip
    ok = posted["statuses"].get(302, 0)
    after, counter = count_comments(database_url, data["posting_id"])
    recount = manage(database_url, "recount", log=work / "recount.log")
    results = {
        "post": posted,
        "post_ok": ok,
        "post_rps": ok / args.post_seconds,
        # Requests still in flight when wrk stops are not counted by it but do complete.
        "post_exact": ok <= after - before <= ok + conns and counter == after,
        "recount_ok": recount == 0,
    }
    say(
        f"  posting ({label}): {results['post_rps']:.0f} comments/s sustained over "
        f"{args.post_seconds} s ({ok} answered 302, up to {conns} more in flight at the end; "
        f"statuses {posted['statuses']}); stored {after - before}, article counter {counter} "
        f"for {after} comments: {'exact' if results['post_exact'] else 'NOT EXACT'}; "
        f"recount {'finds every count exact' if recount == 0 else 'found mismatches'}"
    )
    return results


def bench_backend(label: str, database_url: str, args, servers: Servers, work: Path) -> dict:
    say(f"\n== {label}: building the bench database ==")
    data = build(database_url, work / "data.json", work / "build.log")
    say(f"  built in {data['build_seconds']} s: 200-comment and 10,000-comment articles, "
        f"{len(data['sessions'])} readers")  # fmt: skip
    start_minbar(servers, database_url, work / "minbar.log")
    base = f"http://{HOST}:{PORTS['minbar']}"
    page = wait_for(base + data["a200"])
    page = wait_for(base + data["a200"])  # the second answer comes from the worker's copy
    (work / "page200.html").write_bytes(page)
    results: dict[str, dict] = {"page_kb": round(len(page) / 1024, 1)}
    say(f"  the 200-comment page: {results['page_kb']} KB")
    seconds, conns = args.seconds, args.connections
    sessions = data["sessions"]
    signed = write_signed_in_script(work / "signed_in.lua", sessions[:300])
    state200 = f"/me/state/?article={data['a200_id']}&page=1&order=oldest"
    state10k = f"/me/state/?article={data['a10k_id']}&page=1&order=oldest"
    view = write_view_script(work / "view.lua", sessions[:300], page=data["a200"], state=state200)
    plain_path = f"/articles/{urllib.parse.quote(data['a200_slug'])}/"
    # name, label, url, script: every server runs at once and the runs are interleaved in
    # rounds, so that a change in the machine's other load weighs on all of them alike.
    runs = []
    proxy = f"http://{HOST}:{PORTS['proxy']}"
    if label == "SQLite":
        docroot = work / "docroot"
        docroot.mkdir(exist_ok=True)
        shutil.copy(work / "page200.html", docroot / "page.html")
        os.chmod(docroot, 0o755)
        os.chmod(docroot / "page.html", 0o644)
        start_nginx(servers, "static", nginx_static_conf(work / "nginx-static", docroot),
                    work / "nginx-static")  # fmt: skip
        env = {"BENCH_PAGE": str(work / "page200.html"), "PYTHONPATH": str(ROOT)}
        cmd = [PY, "-m", "gunicorn", "bench.bare_wsgi:application", "--no-control-socket",
               "--bind", f"{HOST}:{PORTS['bare']}", "--workers", str(WORKERS)]  # fmt: skip
        servers.start("bare", cmd, env=env, log=work / "bare.log")
        start_nginx(servers, "proxy", nginx_proxy_conf(work / "nginx-proxy"), work / "nginx-proxy")
        runs += [
            ("static", "nginx static", f"http://{HOST}:{PORTS['static']}/page.html", None),
            ("bare", "bare WSGI (gunicorn)", f"http://{HOST}:{PORTS['bare']}/", None),
            ("proxy", "Minbar via nginx", proxy + data["a200"], None),
            ("proxy_signed", "signed-in view via nginx", proxy + data["a200"], view),
        ]
    start_plain(servers, database_url, work / "plain.log")
    runs += [
        # The floors: an empty view through the whole middleware stack, and the state's short
        # path for someone without a session (no database, no Redis).
        ("floor", "empty Django view", base + "/bench/empty/", None),
        ("floor_signed", "empty view, signed in", base + "/bench/empty-signed-in/", signed),
        ("state_nobody", "reader state, no session", base + state200, None),
        ("state200", "reader state, 200 article", base + state200, signed),
        ("anon", "Minbar anonymous", base + data["a200"], None),
        ("signed", "Minbar signed-in (page)", base + data["a200"], signed),
        ("state10k", "reader state, 10k article", base + state10k, signed),
        ("signed10k", "Minbar signed-in, 10k", base + data["a10k"], signed),
        ("anon10k", "Minbar anonymous, 10k", base + data["a10k"], None),
        (
            "plain",
            "plain Django (signed-in)",
            f"http://{HOST}:{PORTS['plain']}{plain_path}",
            signed,
        ),
    ]
    for _key, _name, url, _script in runs:
        wait_for(url)
    for _key, _name, url, script in runs:
        wrk(url, seconds=1, connections=conns, script=script)  # warm up
    rounds: dict[str, list[dict]] = {key: [] for key, *_ in runs}
    for _round in range(args.rounds):
        for key, _name, url, script in runs:
            rounds[key].append(wrk(url, seconds=seconds, connections=conns, script=script))
    for key, name, _url, _script in runs:
        taken = rounds[key]
        per_view = 2 if key == "proxy_signed" else 1  # a signed-in view is two requests
        results[key] = {
            "rps": sum(r["requests"] for r in taken) / (seconds * len(taken) * per_view),
            "p50": sorted(r["p50"] for r in taken)[len(taken) // 2],
            "p99": sorted(r["p99"] for r in taken)[len(taken) // 2],
            "bad": sum(r["bad"] for r in taken),
            "errors": sum(r["errors"] for r in taken),
            "rounds": [round(r["rps"]) for r in taken],
        }
        say(row(name, results[key]) + f"   rounds {results[key]['rounds']}")
    if label == "SQLite":
        results["readers"] = many_readers(args, data, work, view_page=data["a200"])
    for name in ("static", "bare", "proxy", "plain"):
        servers.stop(name)

    # Posting: many readers, every check, for a sustained stretch.
    results.update(posting_run(args, data, work, database_url, base, label=label))
    results["rss"] = worker_peak_rss_mb(servers.pid("minbar"))
    say(f"  peak RSS per Minbar worker: {results['rss']} MB")
    servers.stop("minbar")
    return results


def report(sqlite: dict, pg: dict | None) -> None:
    say("\n== Ratios against the targets (200-comment page, SQLite) ==")
    for name, a, b, target in TARGETS:
        ratio = sqlite[a]["rps"] / sqlite[b]["rps"]
        say(f"  {name:<42} {ratio:7.2f}x  target >= {target}x   "
            f"{'met' if ratio >= target else 'MISSED'}")  # fmt: skip
    # A signed-in view through nginx is one request to the app (its state): it cannot go
    # faster than the app answers an empty view.
    for name, key in (("empty Django view", "floor"), ("empty view, signed in", "floor_signed"),
                      ("reader state, no session", "state_nobody"),
                      ("reader state, 200 article", "state200")):  # fmt: skip
        say(f"  floor: {name:<33} {sqlite[key]['rps'] / sqlite['bare']['rps']:7.2f}x bare WSGI, "
            f"{sqlite[key]['rps'] / sqlite['plain']['rps']:6.1f}x plain Django")  # fmt: skip
    for label, res in (("SQLite", sqlite), ("PostgreSQL", pg)):
        if not res:
            continue
        p99 = res["state10k"]["p99"]
        say(f"  reader state p99, 10k article ({label:<10})  {p99:7.2f} ms target < "
            f"{STATE_P99_MS} ms {'met' if p99 < STATE_P99_MS else 'MISSED'}")  # fmt: skip
        ratio = res["signed10k"]["p50"] / res["signed"]["p50"]
        say(f"  10k first page / 200 page p50 ({label:<10})  {ratio:7.2f}x  target <= 1.5x   "
            f"{'met' if ratio <= 1.5 else 'MISSED'}")  # fmt: skip
        posting_met = res["post_rps"] >= 300 and res["post_exact"] and res["recount_ok"]
        say(f"  comments posted/s ({label:<10})             {res['post_rps']:7.0f}   target >= "
            f"300 {'met' if posting_met else 'MISSED'}")  # fmt: skip
        peak = max(res["rss"])
        say(f"  peak worker RSS ({label:<10})               {peak:7.1f} MB target < 150 MB "
            f"{'met' if peak < 150 else 'MISSED'}")  # fmt: skip
    readers = sqlite.get("readers")
    if readers:
        say(f"  {readers['readers']} signed-in readers: the page reached the app "
            f"{readers['page_requests_to_app_per_s']:.1f} times/s (an upper bound on renders; "
            f"target: a few)")  # fmt: skip
    if pg:
        ratio = pg["proxy_signed"]["rps"] / pg["plain"]["rps"] if "proxy_signed" in pg else None
        if ratio:
            say(f"  signed-in view via nginx / plain Django (PostgreSQL) {ratio:6.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=4, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of runs")
    parser.add_argument("--post-seconds", type=int, default=10, help="length of the posting run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--readers-seconds", type=int, default=10,
                        help="length of the 2,000-reader run")  # fmt: skip
    parser.add_argument(
        "--port-base",
        type=int,
        default=18180,
        help="first of the six loopback ports used (nginx, gunicorn, redis)",
    )
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    global REDIS_PORT, PG_DATABASE, PG_URL
    if args.port_base != 18180:  # two benches on one machine keep to their own database too
        PG_DATABASE = f"minbar_bench_{args.port_base}"
        PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
    PORTS.update({name: args.port_base + n for n, name in enumerate(PORT_NAMES)})
    REDIS_PORT = args.port_base + len(PORT_NAMES)
    for tool in ("wrk", "nginx", "redis-server"):
        if not shutil.which(tool):
            sys.exit(f"bench needs {tool} (apt-get install wrk nginx redis-server)")
    if any(port_open(p) for p in [*PORTS.values(), REDIS_PORT]):
        sys.exit(f"a bench port is taken: {sorted(PORTS.values())} {REDIS_PORT}")
    VAR.mkdir(parents=True, exist_ok=True)
    work_root = Path(tempfile.mkdtemp(prefix="run-", dir=VAR))
    os.chmod(work_root, 0o755)
    servers = Servers()
    try:
        load = os.getloadavg()[0]
        say(f"load average before: {load:.2f} (other work on the machine skews every figure)")
        say(
            f"Minbar bench: {os.cpu_count()} cores, {WORKERS} gunicorn workers per server, "
            f"wrk -t2 -c{args.connections}, {args.rounds} rounds of {args.seconds} s per run"
        )
        say(f"logs in {work_root}")
        redis = ["redis-server", "--port", str(REDIS_PORT), "--bind", HOST, "--save", "",
                 "--appendonly", "no"]  # fmt: skip
        servers.start("redis", redis, log=work_root / "redis.log")
        env = {**os.environ, **gunicorn_env("sqlite:///" + str(work_root / "unused.sqlite3"))}
        subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)  # fmt: skip
        sqlite = pg = None
        if args.only in (None, "sqlite"):
            work = work_root / "sqlite"
            work.mkdir()
            sqlite = bench_backend("SQLite", f"sqlite:///{work / 'bench.sqlite3'}", args,
                                   servers, work)  # fmt: skip
        if args.only in (None, "postgres"):
            if postgres_reachable():
                reset_postgres()
                work = work_root / "postgres"
                work.mkdir()
                pg = bench_backend("PostgreSQL", PG_URL, args, servers, work)
            else:
                say("\nPostgreSQL is not reachable on 127.0.0.1:5432: skipped.")
        if sqlite:
            report(sqlite, pg)
        say(f"load average after: {os.getloadavg()[0]:.2f}")
        (work_root / "results.json").write_text(json.dumps({"sqlite": sqlite, "postgres": pg}))
    finally:
        servers.stop_all()


if __name__ == "__main__":
    main()
