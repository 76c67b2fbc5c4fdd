"""A second of memory in front of the shared cache, for values read on every request.

Site settings, word lists and protected words are read from the shared cache (Redis) several
times per comment post; each read is a network round trip. `LocalMemo` keeps what was read for
`seconds` in this process. The actions that change such a value call `forget`, which empties
this process's memo at once (and they drop the shared key, as before): the worker that made the
change sees it immediately, other workers within `seconds`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_memos: list[LocalMemo] = []


class LocalMemo:
    def __init__(self, seconds: float = 1.0, *, max_entries: int = 10_000) -> None:
        self.seconds = seconds
        self.max_entries = max_entries  # then it starts again empty (keys per reader add up)
        self._values: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()
        _memos.append(self)

    def get(self, key: str, load: Callable[[], T]) -> T:
        now = time.monotonic()
        found = self._values.get(key)
        if found is not None and found[0] > now:
            return found[1]  # type: ignore[return-value]
        value = load()
        with self._lock:
            if len(self._values) >= self.max_entries:
                self._values.clear()
            self._values[key] = (now + self.seconds, value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._values.clear()


def forget_all() -> None:
    """Empty every memo of this process (tests start from nothing)."""
    for memo in _memos:
        memo.forget()
