"""Shared by the notification benches: a fresh SQLite database (or DATABASE_URL), a local SMTP
server that counts what it receives, and the worker as a subprocess with its peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_environment(smtp_port: int) -> str:
    """Point Django at a new database and at the local SMTP server; returns the database URL."""
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="minbar-notify-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return os.environ["DATABASE_URL"]


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name
        with self.lock:
            self.count += 1
        return "250 OK"


def start_smtp(port: int):
    from aiosmtpd.controller import Controller

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, counter


def start_worker(*extra: str) -> subprocess.Popen:
    # As deploy/systemd/minbar-worker.service runs it: below the web workers (Nice=10).
    return subprocess.Popen(
        ["nice", "-n", "10", sys.executable, "manage.py", "run_worker", "-v0", *extra],
        cwd=ROOT,
        env=dict(os.environ),
    )


def run_worker_measured(*extra: str) -> tuple[float, int]:
    """Run `run_worker --batch` to the end: (seconds, peak resident memory in KiB)."""
    started = time.perf_counter()
    code = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "%M",
            sys.executable,
            "manage.py",
            "run_worker",
            "-v0",
            "--batch",
            *extra,
        ],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if code.returncode != 0:
        raise SystemExit(code.stderr[-2000:])
    peak = int(code.stderr.strip().splitlines()[-1])
    return seconds, peak


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
