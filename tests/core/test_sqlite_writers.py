"""SQLite writers queue (Django's backend, `BEGIN IMMEDIATE` and the busy timeout: decision
0006): one at a time, the next one let in once a transaction commits, rolls back or its
connection closes, and none lost."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
from django.db import connection, connections, transaction

from minbar.news.models import Section

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not connection.settings_dict["ENGINE"].endswith("sqlite3"), reason="SQLite only"
    ),
]


def write_in_thread(
    name: str, done: list, *, ready: threading.Event | None = None
) -> threading.Thread:
    def run() -> None:
        try:
            if ready:
                ready.set()
            with transaction.atomic():
                Section.objects.create(name=name, slug=name)
            done.append((name, time.monotonic()))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("ending", ["commit", "rollback", "close"])
def test_a_waiting_writer_gets_in_as_soon_as_the_holder_is_done(ending):
    done: list = []
    atomic = transaction.atomic()
    atomic.__enter__()
    Section.objects.create(name="holder", slug="holder")
    ready = threading.Event()
    waiting = write_in_thread("waiter", done, ready=ready)
    ready.wait(5)
    time.sleep(0.3)
    assert done == []  # queued behind the open transaction
    released = time.monotonic()
    if ending == "commit":
        atomic.__exit__(None, None, None)
    elif ending == "rollback":
        try:
            raise RuntimeError("the holder fails")
        except RuntimeError as exc:
            atomic.__exit__(RuntimeError, exc, exc.__traceback__)
    else:  # the connection goes away mid-transaction (a worker shutting down): nothing kept
        connection.close()
        with contextlib.suppress(Exception):
            atomic.__exit__(None, None, None)
    waiting.join(10)
    assert [name for name, _ in done] == ["waiter"]
    # Let in once the holder is done, however it ended (a lock never given back would keep the
    # waiter out for good; how quickly it gets in is measured by bench/run.py, not here).
    assert done[0][1] - released < 1.0
    names = set(Section.objects.values_list("name", flat=True))
    assert names == ({"holder", "waiter"} if ending == "commit" else {"waiter"})


def test_many_writers_each_get_their_turn():
    done: list = []
    threads = [write_in_thread(f"s{n}", done) for n in range(12)]
    for thread in threads:
        thread.join(30)
    assert len(done) == 12
    assert Section.objects.count() == 12
