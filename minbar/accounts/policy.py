"""Username rules, as plain functions (no database)."""

from __future__ import annotations

import unicodedata

USERNAME_MIN = 3
USERNAME_MAX = 30


def username_key(username: str) -> str:
    """The look-alike key: two usernames with the same key are the same name to a reader."""
    from minbar.search.arabic.normalise import fold_username

    return fold_username(username)


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for script in ("ARABIC", "LATIN", "CYRILLIC", "GREEK", "HEBREW"):
        if name.startswith(script):
            return script
    return name.split(" ", 1)[0] or "OTHER"


def username_problems(username: str) -> list[str]:
    """Codes of what is wrong with a username; empty when it is acceptable.

    Codes: "length", "characters" (anything but letters, digits, `_` and `-`, including control
    and formatting characters), "mixed-scripts", "no-letter".
    """
    problems: list[str] = []
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        problems.append("length")
    bad = [
        c
        for c in username
        if not (c.isalpha() or c.isdigit() or c in "_-")
        or unicodedata.category(c) in {"Cc", "Cf", "Mn", "Me", "Zs"}
    ]
    if bad:
        problems.append("characters")
    scripts = {s for s in map(_script, username) if s}
    if len(scripts) > 1:
        problems.append("mixed-scripts")
    if not scripts:
        problems.append("no-letter")
    return problems
