"""Resilience under load, against a live gunicorn: Redis stops, PostgreSQL restarts.

Each test starts its own throwaway services on spare loopback ports (a redis-server, a
PostgreSQL cluster made with initdb in a temporary directory) and never touches the shared
ones. Bounded: a few seconds of traffic each, every process stopped by its own pid.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import service_missing
from tests.factories import make_article, make_comment

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = [pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout} s")


def request(port: int, method: str, path: str, *, headers=None, body=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def start_redis(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_until(lambda: socket.create_connection(("127.0.0.1", port), 0.2), timeout=5,
               what="redis-server did not start")  # fmt: skip
    return proc


def start_gunicorn(*, database_url: str, redis_url: str, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.serving.live_settings",
        "MINBAR_ALLOW_DEV_SECRET": "1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PORT": str(port),
        "WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    handle = open(log, "wb")  # noqa: SIM115 (lives as long as the server)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"],
        cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
    )  # fmt: skip
    wait_until(lambda: request(port, "GET", "/healthz")[0] == 200, timeout=20,
               what="gunicorn did not answer")  # fmt: skip
    return proc, port


def sqlite_or_postgres_url() -> str:
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"  # noqa: E501


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_anonymous_readers_can_read_on_while_redis_stops(tmp_path):
    if not shutil.which("redis-server"):
        service_missing("redis-server is not installed")
    article = make_article(title="خبر عاجل")
    make_comment(article, text="تعليق يبقى ظاهرًا")
    redis_port = free_port()
    redis = start_redis(redis_port)
    server, port = start_gunicorn(
        database_url=sqlite_or_postgres_url(),
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        log=tmp_path / "gunicorn.log",
    )
    path = article.get_absolute_url()
    statuses: list[tuple[str, int, bool]] = []
    phase = ["up"]
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            sent_in = phase[0]  # a request counts for the phase it was sent in
            try:
                status, body = request(port, "GET", path, timeout=5)
                statuses.append((sent_in, status, "تعليق يبقى ظاهرًا".encode() in body))
            except OSError as exc:
                statuses.append((sent_in, 0, repr(exc)))

    def answered_in(name: str, at_least: int = 10) -> bool:
        return sum(1 for p, _s, _ok in statuses if p == name) >= at_least

    threads = [threading.Thread(target=reader) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        wait_until(lambda: answered_in("up"), timeout=15, what="pages did not come")
        phase[0] = "down"
        stop(redis)
        wait_until(lambda: answered_in("down"), timeout=15, what="pages stopped with Redis")
        phase[0] = "back"
        redis = start_redis(redis_port)
        wait_until(lambda: answered_in("back"), timeout=15, what="pages did not come back")
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=10)
        stop(server)
        stop(redis)
    by_phase = {p: [s for ph, s, _ok in statuses if ph == p] for p in ("up", "down", "back")}
    assert all(by_phase.values()), {p: len(v) for p, v in by_phase.items()}
    assert {s for _p, s, _ok in statuses} == {200}, sorted({s for _p, s, _ok in statuses})
    assert all(ok is True for _p, _s, ok in statuses)


# --- PostgreSQL restarts under a stream of comment posts --------------------------------------


def pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def as_postgres(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """initdb and the server refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, timeout=60, **kwargs)


class ThrowawayCluster:
    def __init__(self, root: Path) -> None:
        self.dir = root / "pgdata"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/minbar"

    def init(self) -> None:
        self.dir.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir.parent, "postgres")
        as_postgres([pg_bin("initdb"), "-D", str(self.dir), "-A", "trust", "-U", "postgres",
                     "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"])  # fmt: skip
        self.ctl("start")
        as_postgres([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                     "postgres", "minbar"])  # fmt: skip

    def ctl(self, action: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        args = [pg_bin("pg_ctl"), "-D", str(self.dir), "-w", "-t", "30", "-m", "fast"]
        as_postgres([*args, "-o", options, "-l", str(self.dir / "server.log"), action])

    def stop(self) -> None:
        if (self.dir / "postmaster.pid").exists():
            as_postgres([pg_bin("pg_ctl"), "-D", str(self.dir), "-w", "-m", "immediate", "stop"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_readers_posts_answered_with_success_survive_a_postgres_restart(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of the suite")
    if not (pg_bin("initdb") and pg_bin("pg_ctl") and shutil.which("pg_dump")):
        service_missing("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    root = Path(tempfile.mkdtemp(prefix="minbar-pg-"))
    cluster = ThrowawayCluster(root)
    server = None
    try:
        cluster.init()
        # The schema of the test database (already migrated), into the throwaway one.
        schema = subprocess.run(
            ["pg_dump", "--schema-only", "--no-owner", "-h", "127.0.0.1", "-U", "postgres",
             connection.settings_dict["NAME"]],
            check=True, capture_output=True, timeout=60,
        ).stdout  # fmt: skip
        subprocess.run(
            ["psql", "-q", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
             "-d", "minbar", "-v", "ON_ERROR_STOP=1"],
            input=schema, check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        env = {**os.environ, "DATABASE_URL": cluster.url, "MINBAR_ALLOW_DEV_SECRET": "1",
               "EMAIL_URL": "console://", "PYTHONPATH": str(ROOT)}  # fmt: skip
        subprocess.run([sys.executable, "tests/serving/live_seed.py", str(tmp_path / "seed.json")],
                       cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)  # fmt: skip
        seed = json.loads((tmp_path / "seed.json").read_text())
        server, port = start_gunicorn(
            database_url=cluster.url, redis_url="", log=tmp_path / "gunicorn.log"
        )
        results: list[tuple[str, int]] = []
        done = threading.Event()

        def poster(n: int) -> None:
            reader = seed["readers"][n]
            count = 0
            while not done.is_set():
                count += 1
                nonce = f"n{n}x{count}"
                body = urllib.parse.urlencode(
                    {"text": f"تعليق تحت الحمل {nonce} .", "csrfmiddlewaretoken": reader["csrf"]}
                )
                headers = {
                    "Cookie": f"sessionid={reader['sessionid']}; csrftoken={reader['csrf']}",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                try:
                    status, _ = request(port, "POST", seed["url"] + "comments/",
                                        headers=headers, body=body, timeout=10)  # fmt: skip
                except OSError:
                    status = 0
                results.append((nonce, status))
                time.sleep(0.01)

        threads = [threading.Thread(target=poster, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        cluster.ctl("restart")
        restarted = time.time()
        wait_until(
            lambda: request(port, "GET", seed["url"])[0] == 200,
            timeout=10,
            what="the app did not serve again after the restart",
        )
        served_again_after = time.time() - restarted
        time.sleep(1.5)
        done.set()
        for thread in threads:
            thread.join(timeout=15)
        succeeded = [nonce for nonce, status in results if status == 302]
        late = results[-9:]
        log = (tmp_path / "gunicorn.log").read_text(errors="replace")[-3000:]
        assert len(succeeded) > 10, (results[:20], log)
        assert all(status == 302 for _nonce, status in late), late
        assert served_again_after < 10
        import psycopg

        with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as db:
            rows = db.execute(
                "SELECT body FROM discussion_comment WHERE article_id = %s", [seed["id"]]
            ).fetchall()
        stored = [body for (body,) in rows]
        for nonce in succeeded:
            matching = [b for b in stored if f" {nonce} " in b]
            assert len(matching) == 1, (nonce, matching)
        nonces = [b.split()[3] for b in stored if b.startswith("تعليق تحت الحمل")]
        assert len(nonces) == len(set(nonces)), "a post was stored twice"
        recount = subprocess.run([sys.executable, "manage.py", "recount"], cwd=ROOT,
                                 env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.prod"},
                                 capture_output=True, text=True, timeout=60)  # fmt: skip
        assert recount.returncode == 0, recount.stdout + recount.stderr
    finally:
        if server is not None:
            stop(server)
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_readers_see_a_new_comment_from_every_worker_within_a_second(tmp_path):
    """Two workers, each keeping the page a second: a comment posted through one shows at once
    to its writer (the fresh cookie), and to every reader of either worker once the second is
    over (the discussion's version counter is in Redis, shared by both)."""
    if not shutil.which("redis-server"):
        service_missing("redis-server is not installed")
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from tests.factories import make_user

    article = make_article(title="خبر تتابعه الصفحات")
    make_comment(article, text="أول تعليق")
    writer = make_user()
    session = SessionStore()
    session[SESSION_KEY] = str(writer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = writer.get_session_auth_hash()
    session.save()
    redis_port = free_port()
    redis = start_redis(redis_port)
    server, port = start_gunicorn(
        database_url=sqlite_or_postgres_url(),
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        log=tmp_path / "gunicorn.log",
    )
    path = article.get_absolute_url()
    signed_in = {"Cookie": f"sessionid={session.session_key}"}
    try:
        before = {request(port, "GET", path, headers=h)[1] for h in ({}, signed_in) * 6}
        assert len(before) == 1  # the same bytes for every reader, from either worker
        csrf = "a" * 32
        status, _ = request(
            port,
            "POST",
            path + "comments/",
            headers={
                "Cookie": f"sessionid={session.session_key}; csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=urllib.parse.urlencode({"text": "تعليق جديد للتو", "csrfmiddlewaretoken": csrf}),
        )
        assert status == 302
        fresh = {**signed_in, "Cookie": signed_in["Cookie"] + "; minbar_fresh=1"}
        assert "تعليق جديد للتو" in request(port, "GET", path, headers=fresh)[1].decode()
        time.sleep(1.05)  # MINBAR_PAGE_CACHE_SECONDS
        pages = [request(port, "GET", path)[1].decode() for _ in range(12)]
        assert all("تعليق جديد للتو" in page for page in pages)
    finally:
        stop(server)
        stop(redis)
