"""Mail in production: one EMAIL_URL says where it goes, production refuses to start without it,
and a password reset asked for over HTTP from gunicorn under the production settings arrives, in
Arabic, at a real SMTP server that this test runs."""

from __future__ import annotations

import email
import email.policy
import http.client
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.email_url import email_settings

ROOT = Path(settings.BASE_DIR)
# This helper's share of the machine's ports (other test runs use others).
PORTS = range(8120, 8130)
SMTP = "django.core.mail.backends.smtp.EmailBackend"


# --- the URL ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://news%40minbar.example:p%2Fss%3Aword@mail.example:587",
            {
                "EMAIL_BACKEND": SMTP,
                "EMAIL_HOST": "mail.example",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "news@minbar.example",
                "EMAIL_HOST_PASSWORD": "p/ss:word",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        (
            "smtps://news:secret@mail.example",
            {"EMAIL_PORT": 465, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True},
        ),
        ("smtp+ssl://mail.example:2465", {"EMAIL_PORT": 2465, "EMAIL_USE_SSL": True}),
        (
            "smtp://relay.internal",
            {"EMAIL_HOST": "relay.internal", "EMAIL_PORT": 25, "EMAIL_USE_TLS": False},
        ),
        ("smtp+tls://mail.example", {"EMAIL_PORT": 587, "EMAIL_HOST_USER": ""}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_operator_can_name_the_mail_server_in_one_url(url, expected):
    parsed = email_settings(url)
    assert {key: parsed[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mail.example:587", "smtp+tls://"),
        ("https://mail.example", "smtp+tls://"),
        ("consolemail://", "console://"),
        ("smtp+tls://:587", "no mail server host"),
    ],
)
def test_operator_cannot_give_a_url_that_names_no_mail_server(url, says):
    with pytest.raises(ImproperlyConfigured, match=re.escape(says)):
        email_settings(url)


# --- production refuses to start without it ----------------------------------------------------


def prod_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "MINBAR_", "DATABASE_", "REDIS_", "EMAIL_"))
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "minbar.example",
        "MINBAR_TRUSTED_PROXIES": "127.0.0.1,::1",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


PRINT_MAIL = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)"
)


def run_prod(code: str = PRINT_MAIL, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=prod_env(**env), capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip


def test_production_refuses_to_start_without_email_url():
    result = run_prod()
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set EMAIL_URL for production" in result.stderr
    assert "console://" in result.stderr  # and says how to choose the console on purpose


def test_production_prints_mail_to_the_console_only_when_email_url_says_so():
    result = run_prod(EMAIL_URL="console://")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"


def test_production_reads_the_mail_server_and_sender_from_the_environment():
    result = run_prod(
        EMAIL_URL="smtp+tls://news:secret@mail.example:587",
        DJANGO_DEFAULT_FROM_EMAIL="news@minbar.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [SMTP, "mail.example", "587", "True", "news@minbar.example"]


def test_production_refuses_a_mistyped_email_url():
    result = run_prod(EMAIL_URL="smtp+tsl://mail.example")
    assert result.returncode != 0
    assert "EMAIL_URL must start with smtp://, smtp+tls://, smtps:// or console://" in (
        result.stderr
    )


# --- a real reset mail through a real SMTP server ----------------------------------------------


class Inbox:
    """aiosmtpd handler: keeps every message the server accepts, and who signed in."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[str, str, bool]] = []

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((login, password, session.ssl is not None))
        return AuthResult(success=(login, password) == ("news@minbar.example", "p@ss:w/rd"))

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def port_in_range(*, taken: set[int] = frozenset()) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port in {PORTS}")


class Browser:
    """Plain HTTP with a cookie jar that, like a browser behind the TLS proxy, keeps Secure
    cookies: every request says X-Forwarded-Proto: https, as nginx does."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response, text


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for "localhost" that the app will trust (through SSL_CERT_FILE)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def test_reader_gets_the_arabic_reset_mail_from_production_through_smtp(tmp_path):
    """The usual production set-up: submission with STARTTLS and a login whose name and
    password carry characters that must be percent-encoded in the URL."""
    inbox = Inbox()
    cert, key = self_signed_certificate(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    smtp_port = port_in_range()
    smtp = Controller(
        inbox, hostname="127.0.0.1", port=smtp_port, server_hostname="localhost",
        tls_context=tls, require_starttls=True, authenticator=inbox.authenticate,
        auth_required=True,
    )  # fmt: skip
    smtp.start()
    web_port = port_in_range(taken={smtp_port})
    env = prod_env(
        # The production settings, serving static names without a `collectstatic` manifest.
        DJANGO_SETTINGS_MODULE="tests.serving.live_settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'minbar.sqlite3'}",
        EMAIL_URL=f"smtp+tls://news%40minbar.example:p%40ss%3Aw%2Frd@localhost:{smtp_port}",
        SSL_CERT_FILE=str(cert),
        DJANGO_DEFAULT_FROM_EMAIL="منبر <news@minbar.example>",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        PORT=str(web_port),
        WORKERS="1",
        GUNICORN_ACCESS_LOG="",
    )
    server = None
    try:
        manage("migrate", "--noinput", "-v0", env=env)
        manage(
            "shell",
            "-c",
            "from tests.factories import make_user; make_user('reem_k', email='reem@example.org')",
            env=env,
        )
        log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 (closed with the server)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        browser = Browser(web_port)
        deadline = time.monotonic() + 30
        while True:
            try:
                form, html = browser.request("GET", "/accounts/password/reset/")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.1)
        assert form.status == 200, html

        asked, _ = browser.request(
            "POST", "/accounts/password/reset/", {"email": "reem@example.org"}
        )

        assert asked.status == 302, (tmp_path / "gunicorn.log").read_text()
        assert asked.getheader("Location") == "/accounts/password/reset/done/"
        # Signed in with the decoded name and password, inside TLS.
        assert inbox.logins == [("news@minbar.example", "p@ss:w/rd", True)]
        assert len(inbox.messages) == 1
        mail_from, rcpt_tos, raw = inbox.messages[0]
        assert (mail_from, rcpt_tos) == ("news@minbar.example", ["reem@example.org"])
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message["From"].addresses[0].display_name == "منبر"
        # (Python's parser keeps the space before a folded encoded word.)
        assert message["Subject"].strip() == "[منبر] رسالة إعادة ضبط كلمة المرور"
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert "طلب إعادة ضبط كلمة مرور حسابك" in body
        assert "اسم المستخدم الخاص بك هو reem_k" in body
        links = re.findall(r"https://127\.0\.0\.1:\d+/accounts/password/reset/key/\S+/", body)
        assert len(links) == 1, body

        # The link in the mail works: it leads to the form that sets a new password.
        opened, _ = browser.request("GET", urlsplit(links[0]).path)
        assert opened.status == 302
        new_password, html = browser.request("GET", opened.getheader("Location"))
        assert new_password.status == 200 and 'name="password1"' in html
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        smtp.stop()
