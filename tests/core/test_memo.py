"""The process-local second in front of the shared cache (minbar/core/memo.py)."""

from __future__ import annotations

import time

from minbar.core.memo import LocalMemo


def test_a_value_is_read_once_per_interval_and_again_after_forget():
    memo = LocalMemo(seconds=0.2)
    reads = []

    def load():
        reads.append(1)
        return len(reads)

    assert memo.get("k", load) == 1
    assert memo.get("k", load) == 1  # from memory
    time.sleep(0.25)
    assert memo.get("k", load) == 2  # the interval is over: read again
    memo.forget()
    assert memo.get("k", load) == 3
    assert len(reads) == 3
