"""Username, display-name and account-claiming rules, as plain functions (no database)."""

from __future__ import annotations

import functools
import unicodedata

USERNAME_MIN = 3
USERNAME_MAX = 30
DISPLAY_NAME_MAX = 60

# Digits a reader types on Arabic, Persian and Latin keyboards. Other digit families (and
# superscripts, circled digits …) are refused: they look like these and add nothing.
_DIGITS = frozenset("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
_SEPARATORS = frozenset("_-")

# Controls, formatting characters (bidi embeddings, overrides and isolates, zero-width joiners,
# the BOM, the Arabic letter mark, soft hyphen), surrogates, private-use, unassigned, and line or
# paragraph separators: none of them can be seen, so none may change what a name looks like.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

# Names that would let a reader pass for the site or its staff. Compared on the folded key, so
# "ADMIN", "Admin" and "ادارة" with tatweel are caught too.
RESERVED_USERNAMES = frozenset(
    {
        "admin", "administrator", "root", "system", "staff", "support", "moderator", "moderators",
        "editor", "editors", "minbar", "settings", "readers", "accounts", "anonymous",
        "منبر", "المنبر", "مشرف", "المشرف", "الإدارة", "الادارة", "إدارة", "ادارة", "المحرر",
        "محرر", "التحرير", "الدعم",
    }
)  # fmt: skip


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


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) in INVISIBLE_CATEGORIES


def _allowed(char: str) -> bool:
    if char in _DIGITS or char in _SEPARATORS:
        return True
    if not char.isalpha():
        return False
    # Presentation forms, full-width letters, ligatures, ordinal indicators …: NFKC turns them
    # into ordinary letters, so they are a second spelling of a name, never a name of their own.
    return unicodedata.normalize("NFKC", char) == char


def username_problems(username: str) -> list[str]:
    """Codes of what is wrong with a username (expected in NFC); empty when it is acceptable.

    Codes, in the order a reader should hear about them:
    "invisible"     control, formatting, bidi or zero-width characters;
    "characters"    anything else but letters, the digits 0-9 ٠-٩ ۰-۹, `_` and `-` (spaces,
                    punctuation, symbols, combining marks such as harakat, compatibility forms);
    "mixed-scripts" letters of more than one script;
    "no-letter"     nothing but digits and separators once folded;
    "length"        fewer than USERNAME_MIN characters once folded, or more than USERNAME_MAX;
    "reserved"      a name that would pass for the site or its staff.
    """
    problems: list[str] = []
    if any(map(is_invisible, username)):
        problems.append("invisible")
    if any(not _allowed(c) and not is_invisible(c) for c in username):
        problems.append("characters")
    if len({s for s in map(_script, username) if s}) > 1:
        problems.append("mixed-scripts")
    key = username_key(username)
    if not any(c.isalpha() for c in key):
        problems.append("no-letter")
    if len(key) < USERNAME_MIN or len(username) > USERNAME_MAX:
        problems.append("length")
    if key in _reserved_keys():
        problems.append("reserved")
    return problems


@functools.cache
def _reserved_keys() -> frozenset[str]:
    return frozenset(username_key(name) for name in RESERVED_USERNAMES)


def display_name_problems(display_name: str) -> list[str]:
    """Codes of what is wrong with a display name as typed: "invisible" or "length"."""
    problems: list[str] = []
    if any(is_invisible(c) for c in display_name):
        problems.append("invisible")
    if len(display_name) > DISPLAY_NAME_MAX:
        problems.append("length")
    return problems


def is_unclaimed_import(*, is_active: bool, has_usable_password: bool, has_signed_in: bool) -> bool:
    """An account made by the archive importer for an unknown author and never taken over.

    Only such an account may be claimed through password reset (which then activates it). A
    reader whom the moderators deactivated keeps a usable password, so this stays false for
    them and a reset cannot undo their ban.
    """
    return not is_active and not has_usable_password and not has_signed_in
