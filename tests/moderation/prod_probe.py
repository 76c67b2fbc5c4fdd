"""Run under config.settings.prod (tests/moderation/test_hardening.py): run `check --deploy` and
print, as JSON, its findings and what the security middleware answers. Uses only URLs that need
no database."""

import io
import json

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.base import SystemCheckError  # noqa: E402
from django.test import Client  # noqa: E402

out, err = io.StringIO(), io.StringIO()
try:
    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=err)
    check = {"ok": True, "output": out.getvalue()}
except SystemCheckError as failed:
    check = {"ok": False, "output": str(failed)}

HEADERS = [
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Location",
]


def answer(response):
    return {"status": response.status_code, **{h: response.get(h) for h in HEADERS}}


client = Client()
host = {"HTTP_HOST": "minbar.example"}
print(
    json.dumps(
        {
            "check --deploy": check,
            "https": answer(client.get("/healthz", secure=True, **host)),
            "plain http": answer(client.get("/robots.txt", **host)),
            "behind the proxy": answer(
                client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https", **host)
            ),
            "other host": answer(client.get("/healthz", secure=True, HTTP_HOST="evil.example")),
        }
    )
)
