"""The per-client limits through the shipped deployment: `make serve` (gunicorn, production
settings, Redis) behind deploy/nginx/minbar.conf, both started here on spare loopback ports with
temporary paths, and clients told apart only by the address they connect from (127.0.0.2,
127.0.0.3, …: on Linux every 127.x.y.z address is this machine).

The finding it answers: behind nginx every reader was 127.0.0.1, so thirty failed sign-ins from
anyone refused everyone, and ten sign-ups anywhere stopped all sign-ups.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import service_missing
from tests.serving.test_resilience import free_port, start_redis, stop, wait_until

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "correct-horse-battery-staple"
pytestmark = [pytest.mark.slow, pytest.mark.redis]

NGINX_MAIN = """
worker_processes 1;
daemon off;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{body}
}}
"""


def shipped_nginx_conf(tmp: Path, *, listen: int, upstream: int) -> str:
    """deploy/nginx/minbar.conf as shipped, but plain http on loopback and temporary paths."""
    conf = (ROOT / "deploy" / "nginx" / "minbar.conf").read_text()
    conf = re.sub(r"# --- plain http.*?# --- end of plain http[^\n]*\n", "", conf, flags=re.S)
    for pattern, replacement in [
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{listen};"),
        (r"\n\s*listen \[::\]:443 ssl http2;", ""),
        (r"\n\s*ssl_[a-z_]+ [^\n]*;", ""),
        (r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream};"),
        (r"/var/cache/nginx/minbar", str(tmp / "cache")),
        (r"/srv/minbar/staticfiles/", str(ROOT / "staticfiles") + "/"),
    ]:
        conf, count = re.subn(pattern, replacement, conf)
        assert count, f"deploy/nginx/minbar.conf no longer has {pattern!r}"
    # Run as root (containers), nginx's workers would become "nobody" and could not write here.
    user = "user root;" if os.geteuid() == 0 else ""
    return NGINX_MAIN.format(user=user, tmp=tmp, body=conf)


class Client:
    """A browser at one loopback address: its own cookies, its own connection's source."""

    def __init__(self, address: str, port: int):
        self.address, self.port = address, port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response, text

    def post_form(self, path: str, fields: dict, *, headers=None):
        _, page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no form at {path}"
        return self.request("POST", path, {**fields, "csrfmiddlewaretoken": token[1]}, headers)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """`make serve` behind the shipped nginx config, one for the module (starting it is most of
    the time); yields nginx's port. Each test uses its own client addresses."""
    tmp_path = tmp_path_factory.mktemp("deployment")
    for tool in ("nginx", "make", "redis-server"):
        if not shutil.which(tool):
            service_missing(f"{tool} is not installed")
    redis_port, app_port, nginx_port = free_port(), free_port(), free_port()
    redis = start_redis(redis_port)
    env = {
        key: value
        for key, value in os.environ.items()
        # The deployment's own defaults are what is tested: nothing inherited from the suite.
        if key not in {"DJANGO_SETTINGS_MODULE", "MINBAR_TRUSTED_PROXIES", "REDIS_URL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'minbar.sqlite3'}",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        EMAIL_URL="console://",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain http between this test and nginx; TLS is not what is tested.
        DJANGO_SECURE_SSL_REDIRECT="0",
        GUNICORN_ACCESS_LOG="",
        PYTHONPATH=str(ROOT),
    )
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 (lives as long as the server)
    server = subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "serve",
         f"PORT={app_port}", "WORKERS=2"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    nginx = None
    try:
        wait_until(
            lambda: Client("127.0.0.1", app_port).request("GET", "/healthz")[0].status == 200,
            timeout=90,
            what="make serve did not answer",
        )
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", MAKE_READER],
            cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.prod"},
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        conf_dir = tmp_path / "nginx"
        conf_dir.mkdir()
        conf = conf_dir / "nginx.conf"
        conf.write_text(shipped_nginx_conf(conf_dir, listen=nginx_port, upstream=app_port))
        nginx_cmd = ["nginx", "-p", str(conf_dir), "-c", str(conf)]
        subprocess.run([*nginx_cmd, "-t", "-q"], check=True, capture_output=True, timeout=30)
        nginx = subprocess.Popen(nginx_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(
            lambda: Client("127.0.0.1", nginx_port).request("GET", "/healthz")[0].status == 200,
            timeout=15,
            what="nginx did not answer",
        )
        yield nginx_port
    finally:
        if nginx is not None:
            stop(nginx)
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=5)
        log.close()
        stop(redis)


# A reader who can sign in (a verified address), made through the real actions.
MAKE_READER = f"""
from allauth.account.models import EmailAddress
from minbar.accounts.actions import do_create_reader
reader = do_create_reader(username="steady_reader", email="steady@example.org",
                          password="{PASSWORD}")
EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
"""


def sign_in(client: Client, login: str, password: str, **headers):
    response, _ = client.post_form("/accounts/login/", {"login": login, "password": password},
                                   headers=headers)  # fmt: skip
    return response


def sign_up(client: Client, n: int):
    response, _ = client.post_form(
        "/accounts/signup/",
        {
            "username": f"newcomer{n}",
            "email": f"newcomer{n}@example.org",
            "password1": "a-long-pass-phrase-7",
            "password2": "a-long-pass-phrase-7",
        },
    )
    return response


def test_seven_clients_failures_do_not_lock_out_an_eighth_behind_nginx(deployment):
    started = time.monotonic()

    # Seven clients, 31 failed sign-ins between them: one more than a single client may make in
    # ten minutes, each against another unknown name (no account's own limit is at play). The
    # clients take turns at once, as readers do.
    tries = dict(zip(range(2, 9), [5, 5, 5, 4, 4, 4, 4], strict=True))

    def fail(c: int) -> list[int]:
        client = Client(f"127.0.0.{c}", deployment)
        return [sign_in(client, f"ghost_{c}_{n}", "wrong-guess").status for n in range(tries[c])]

    with ThreadPoolExecutor(max_workers=7) as pool:
        statuses = dict(zip(tries, pool.map(fail, tries), strict=True))
    assert statuses == {c: [400] * n for c, n in tries.items()}
    # The eighth signs in.
    eighth = Client("127.0.0.9", deployment)
    response = sign_in(eighth, "steady_reader", PASSWORD)
    assert response.status == 302, response.status
    assert "sessionid" in eighth.cookies
    assert time.monotonic() - started < 60


def test_one_clients_sign_ups_and_forged_addresses_do_not_stop_others_behind_nginx(deployment):
    busy = Client("127.0.1.2", deployment)
    for n in range(10):
        assert sign_up(busy, n).status == 302, n
    # The eleventh from the same client is refused with the real wait (ten minutes, less the
    # few seconds the ten took) ...
    refused = sign_up(busy, 10)
    assert refused.status == 429
    assert 540 <= int(refused.getheader("Retry-After")) <= 600
    # ... and writing another address in X-Forwarded-For or X-Real-IP does not help: nginx
    # replaces both with the address that connected.
    forged, _ = busy.post_form(
        "/accounts/signup/",
        {"username": "newcomer11", "email": "n11@example.org",
         "password1": "a-long-pass-phrase-7", "password2": "a-long-pass-phrase-7"},
        headers={"X-Forwarded-For": "203.0.113.77", "X-Real-IP": "203.0.113.77"},
    )  # fmt: skip
    assert forged.status == 429
    # Another reader behind the same nginx signs up.
    assert sign_up(Client("127.0.1.3", deployment), 12).status == 302
