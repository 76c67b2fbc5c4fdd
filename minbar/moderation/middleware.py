"""The reader's IP address, read from X-Forwarded-For only behind a proxy we trust."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from minbar.moderation.policy import client_ip, parse_networks


class ClientIPMiddleware:
    """Put the client's address in REMOTE_ADDR, so that everything after it (allauth's sign-in
    and sign-up limits, our limits, logs) counts the reader and not the proxy.

    X-Forwarded-For is believed only when the connection comes from an address listed in
    MINBAR_TRUSTED_PROXIES; from anyone else it is a header the client wrote and is ignored.
    REMOTE_ADDR is the one key it sets: the WSGI name every reader of the address (Django,
    allauth, the logs) already uses, so nothing else passes through request.META.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = request.META.get("REMOTE_ADDR", "")
        trusted = parse_networks(tuple(settings.MINBAR_TRUSTED_PROXIES))
        request.META["REMOTE_ADDR"] = client_ip(
            remote_addr=peer,
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
            trusted=trusted,
        )
        return self.get_response(request)
