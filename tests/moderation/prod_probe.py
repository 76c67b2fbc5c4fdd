"""Run under config.settings.prod (tests/moderation/test_hardening.py): print what the security
middleware answers, as JSON. Uses only URLs that need no database."""

import json

import django

django.setup()

from django.test import Client  # noqa: E402

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
            "https": answer(client.get("/healthz", secure=True, **host)),
            "plain http": answer(client.get("/robots.txt", **host)),
            "behind the proxy": answer(
                client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https", **host)
            ),
            "other host": answer(client.get("/healthz", secure=True, HTTP_HOST="evil.example")),
        }
    )
)
