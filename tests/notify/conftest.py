"""Notification tests. What a comment causes runs in the background worker after the commit:
by default tests run tasks at once (the immediate backend) inside `committed()`, as a request's
commit would; `db_tasks` switches to the production backend (rows in the database) and `drain`
runs the queue as `run_worker --batch` does."""

from __future__ import annotations

import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from tests.factories import make_user, verify_email

# This helper's share of the machine's ports.
SMTP_PORTS = range(8440, 8450)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …` runs the block's on-commit callbacks (and so the tasks)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


def drain() -> int:
    """Run every task that is due, as one worker does; returns how many ran."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    # The worker closes "obsolete" connections between tasks; inside a test's transaction that
    # would be the test's own.
    kept = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    try:
        worker.run()
    finally:
        db_worker.close_old_connections = kept
    return worker._run_tasks


def reader(username: str | None = None, *, verified: bool = True, **fields):
    user = make_user(username, **fields)
    if verified:
        verify_email(user)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        self.arrived.set()
        return "250 OK"


def _free_port() -> int:
    for port in SMTP_PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8440-8449")


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a port of ours, and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()
