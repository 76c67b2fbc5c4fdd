"""Django's SQLite backend, with writers queued by the operating system instead of by polling.

SQLite lets one writer in at a time. A writer that finds the lock taken waits through its busy
handler, which sleeps 1, 2, 5, 10 … ms between tries: under a stream of short write transactions
from several gunicorn workers, much of each wait is sleeping after the lock was already free.
Here every transaction (`BEGIN IMMEDIATE`, what `atomic()` starts) first takes an exclusive
`flock` on a file beside the database, and gives it back when it commits or rolls back: the
next writer is woken the moment the lock is free. SQLite's own locking is unchanged and still
decides; the flock only orders the writers (and autocommit statements outside `atomic()` go
straight to SQLite as before). A process that dies releases its flock with its files.

See docs/decisions/0006-sqlite-writer-queue.md for the figures.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _queue_fd: int | None = None
    _queued = False

    def _queue_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if not name or name == ":memory:" or name.startswith("file:"):
            return None  # in-memory databases have one connection: nothing to queue
        return name + ".writers"

    def _take_queue(self) -> None:
        if self._queue_fd is None:
            path = self._queue_path()
            if path is None:
                return
            self._queue_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._queue_fd, fcntl.LOCK_EX)
        self._queued = True

    def _leave_queue(self) -> None:
        if self._queued and self._queue_fd is not None:
            self._queued = False
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        self._take_queue()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private hook the stubs omit
        except BaseException:
            self._leave_queue()
            raise

    def _commit(self):
        try:
            return super()._commit()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            self._leave_queue()

    def _rollback(self):
        try:
            return super()._rollback()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            self._leave_queue()

    def _close(self):
        try:
            return super()._close()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            self._leave_queue()
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None
