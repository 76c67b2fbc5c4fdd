"""Frozen analyser output for ~150 words and phrases of news vocabulary (golden.tsv).

Any change in what `analyse` returns shows up here as a diff. If the change is deliberate:

1. bump `ANALYSER_VERSION` in minbar/search/arabic/analyser.py (indexes built with the old
   output are stale and must be rebuilt);
2. regenerate:
       MINBAR_UPDATE_GOLDEN=1 .venv/bin/pytest -p no:django tests/search/arabic/test_golden.py
3. read the diff of golden.tsv before committing it.

Regenerating refuses to overwrite recorded output without a version bump. To add cases, append
lines holding only the input (no tab) and regenerate: new lines are filled in without a bump.

File format: a first line `# analyser_version<TAB>N`, then `input<TAB>terms` per line, terms
separated by single spaces.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from minbar.search.arabic import ANALYSER_VERSION, analyse_to_text

GOLDEN = Path(__file__).with_name("golden.tsv")
VERSION_PREFIX = "# analyser_version\t"
UPDATE = os.environ.get("MINBAR_UPDATE_GOLDEN", "") in {"1", "true", "yes"}


def read_golden() -> tuple[int, list[tuple[str, str | None]]]:
    """Return (recorded version, [(input, recorded terms or None for a new line)])."""
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith(VERSION_PREFIX):
        raise ValueError(f"{GOLDEN} must start with {VERSION_PREFIX!r}")
    version = int(lines[0].removeprefix(VERSION_PREFIX))
    rows: list[tuple[str, str | None]] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        text, tab, terms = line.partition("\t")
        rows.append((text, terms if tab else None))
    return version, rows


def write_golden(rows: list[tuple[str, str]]) -> None:
    body = "".join(f"{text}\t{terms}\n" for text, terms in rows)
    GOLDEN.write_text(f"{VERSION_PREFIX}{ANALYSER_VERSION}\n{body}", encoding="utf-8")


@pytest.mark.skipif(not UPDATE, reason="set MINBAR_UPDATE_GOLDEN=1 to regenerate golden.tsv")
def test_regenerate_golden() -> None:
    version, rows = read_golden()
    fresh = [(text, analyse_to_text(text)) for text, _ in rows]
    changed = [
        (text, old, new)
        for (text, old), (_, new) in zip(rows, fresh, strict=True)
        if old is not None and old != new
    ]
    if changed and version == ANALYSER_VERSION:
        pytest.fail(
            f"analyser output changed for {len(changed)} inputs (first: {changed[0]!r}) but "
            f"ANALYSER_VERSION is still {version}: bump it, then regenerate"
        )
    write_golden(fresh)


@pytest.mark.skipif(UPDATE, reason="regenerating golden.tsv")
def test_golden_version_matches() -> None:
    version, _ = read_golden()
    assert version == ANALYSER_VERSION, (
        f"golden.tsv was recorded with analyser version {version}, the code is at "
        f"{ANALYSER_VERSION}: regenerate with MINBAR_UPDATE_GOLDEN=1"
    )


@pytest.mark.skipif(UPDATE, reason="regenerating golden.tsv")
def test_golden_output_is_unchanged() -> None:
    _, rows = read_golden()
    assert len(rows) >= 150
    differences = [
        f"{text!r}: recorded {old!r}, now {analyse_to_text(text)!r}"
        for text, old in rows
        if old != analyse_to_text(text)
    ]
    assert not differences, (
        "analyser output changed; if deliberate, bump ANALYSER_VERSION and regenerate with "
        "MINBAR_UPDATE_GOLDEN=1:\n" + "\n".join(differences)
    )
