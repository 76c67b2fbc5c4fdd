"""The one after-commit announcer. An action that changed rows says so with `announce(...)`;
the signal is sent only once the transaction commits (never for a rolled-back change), and the
listeners (the search index, the page cache) follow it without the action knowing them.
See `minbar.core.signals` for what each signal carries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.dispatch import Signal


def announce(signal: Signal, *, sender: Any, **payload: Any) -> None:
    """Send `signal` with `payload` after the current transaction commits (at once outside
    one)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **payload))


def announce_each(signal: Signal, *, sender: Any, payloads: Iterable[dict[str, Any]]) -> None:
    """One signal per payload, all sent after commit in the given order."""
    pending = list(payloads)

    def send() -> None:
        for payload in pending:
            signal.send(sender=sender, **payload)

    if pending:
        transaction.on_commit(send)
