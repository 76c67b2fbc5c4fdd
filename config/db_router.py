"""PostgreSQL primary + read replica (active when DATABASE_REPLICA_URL is set).

Reads go to "replica" and writes to "default" (the primary). A reader who has just written
must see what they wrote although the replica lags: a request that writes, and every request
that is not a GET/HEAD, reads from the primary for the rest of the request, and the response
carries a short cookie that keeps that reader's reads on the primary for
MINBAR_PIN_TO_PRIMARY_SECONDS more. Migrations run on the primary only.
"""

from __future__ import annotations

import contextvars
import time

from django.conf import settings

PIN_COOKIE = "minbar_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Per request (the middleware sets and resets them); a thread or task serves one at a time.
_pinned = contextvars.ContextVar("minbar_pinned_to_primary", default=False)
_wrote = contextvars.ContextVar("minbar_wrote", default=False)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return "default" if (_pinned.get() or _wrote.get()) else "replica"

    def db_for_write(self, model, **hints) -> str:
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two doors

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"


def _pin_still_valid(value: str | None) -> bool:
    try:
        return value is not None and float(value) > time.time()
    except ValueError:
        return False


class PinToPrimaryMiddleware:
    """Keeps a reader who just wrote on the primary for a few seconds (see the module doc)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        pinned = request.method not in SAFE_METHODS or _pin_still_valid(
            request.COOKIES.get(PIN_COOKIE)
        )
        pin_token, wrote_token = _pinned.set(pinned), _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get():
                seconds = settings.MINBAR_PIN_TO_PRIMARY_SECONDS
                response.set_cookie(
                    PIN_COOKIE,
                    f"{time.time() + seconds:.0f}",
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _pinned.reset(pin_token)
            _wrote.reset(wrote_token)
