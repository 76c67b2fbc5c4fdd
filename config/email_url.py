"""EMAIL_URL, read into Django's EMAIL_* settings (docs/decisions/0007-*.md).

django-environ parses the URL (user and password percent-decoded, port, STARTTLS); this module
only fixes the set of schemes an operator may write and what each one means:

    smtp://host:25                      plain SMTP (a relay on this machine or a private network)
    smtp+tls://user:password@host:587   SMTP upgraded with STARTTLS (submission)
    smtps://user:password@host:465      SMTP inside TLS from the first byte (also smtp+ssl://)
    console://                          every message printed to the log, links included
"""

from __future__ import annotations

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The port each scheme uses when the URL names none.
DEFAULT_PORTS = {"smtp": 25, "smtp+tls": 587, "smtps": 465, "smtp+ssl": 465}


def email_settings(url: str) -> dict[str, Any]:
    """The EMAIL_* settings for `url`; ImproperlyConfigured naming the problem otherwise."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme == "console":
        return {
            "EMAIL_BACKEND": CONSOLE_BACKEND,
            "EMAIL_HOST": "localhost",
            "EMAIL_PORT": 25,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
        }
    if scheme not in DEFAULT_PORTS:
        raise ImproperlyConfigured(
            "EMAIL_URL must start with smtp://, smtp+tls://, smtps:// or console:// "
            "(e.g. smtp+tls://user:password@mail.example:587)."
        )
    parsed = environ.Env.email_url_config(url)
    if not parsed.get("EMAIL_HOST"):
        raise ImproperlyConfigured("EMAIL_URL names no mail server host.")
    # django-environ reads smtps:// as STARTTLS; smtps is TLS from the first byte (port 465), as
    # curl and RFC 8314 mean it. STARTTLS against such a port would only wait for a timeout.
    implicit_tls = scheme in {"smtps", "smtp+ssl"}
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parsed["EMAIL_HOST"],
        "EMAIL_PORT": parsed.get("EMAIL_PORT") or DEFAULT_PORTS[scheme],
        "EMAIL_HOST_USER": parsed.get("EMAIL_HOST_USER") or "",
        "EMAIL_HOST_PASSWORD": parsed.get("EMAIL_HOST_PASSWORD") or "",
        "EMAIL_USE_TLS": scheme == "smtp+tls",
        "EMAIL_USE_SSL": implicit_tls,
    }
