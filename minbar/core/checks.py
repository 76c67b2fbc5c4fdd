"""Deploy checks of our own (`manage.py check --deploy`): settings that Django cannot judge but
that would hurt on the first day in production."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from minbar.core.secret_key import is_example_secret_key, secret_key_weakness

GENERATE = (
    "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))' and set it "
    "as DJANGO_SECRET_KEY."
)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    key = str(getattr(settings, "SECRET_KEY", "") or "")
    weakness = secret_key_weakness(key)
    if weakness is None:
        return []
    if is_example_secret_key(key):
        return [
            Error(
                f"DJANGO_SECRET_KEY is not a secret: {weakness}. Anyone can sign sessions, "
                "password-reset links and cookies with it.",
                hint=GENERATE,
                id="minbar.E001",
            )
        ]
    return [
        Warning(
            f"DJANGO_SECRET_KEY is weak: {weakness}.",
            hint=GENERATE,
            id="minbar.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "MINBAR_TRUSTED_PROXIES", None):
        return []
    return [
        Warning(
            "MINBAR_TRUSTED_PROXIES is empty: behind a proxy every reader has the proxy's "
            "address, so a few clients' failed sign-ins or sign-ups stop everyone's.",
            hint=(
                "Set MINBAR_TRUSTED_PROXIES to the proxy's addresses (127.0.0.1,::1 for the "
                "shipped nginx on this machine). With no proxy in front, silence minbar.W002."
            ),
            id="minbar.W002",
        )
    ]


@register(Tags.security, deploy=True)
def check_sender_address(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        return []
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if sender.rpartition("@")[2].lower() not in {"", "localhost", "localhost.localdomain"}:
        return []
    return [
        Warning(
            f"Account mail would be sent from {sender or 'no address'}, which mail servers "
            "reject or file as spam.",
            hint="Set DJANGO_DEFAULT_FROM_EMAIL to an address your mail server may send from.",
            id="minbar.W003",
        )
    ]
