"""Running the platform importers as a newsroom does, and the files they read."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils import translation

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Outcome:
    ok: bool
    stdout: str
    stderr: str


def run(command: str, *args: str, language: str = "en") -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override(language):
            call_command(command, *args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        return Outcome(False, out.getvalue(), err.getvalue())
    return Outcome(True, out.getvalue(), err.getvalue())


def write(tmp_path: Path, text: str | bytes, name: str = "export.xml") -> str:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return str(path)
