"""Username, display-name and account-claiming rules, as plain functions (no database)."""

from __future__ import annotations

import functools
import unicodedata

from minbar.search.arabic.normalise import fold_username

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
        "محرر", "التحرير", "الدعم", "فريق منبر",
    }
)  # fmt: skip

# Words for the site and its staff roles that no reader's name may contain as a word of its own
# (with digits after it or not): "المشرف_العام", "Admin Team", "moderator2", "فريق منبر". Staff
# may use them in their display names; their comments carry the team badge anyway.
ROLE_WORDS = frozenset(
    {
        "admin", "admins", "administrator", "administrators", "moderator", "moderators",
        "staff", "editor", "editors", "minbar", "sysadmin", "webmaster",
        "منبر", "المنبر", "مشرف", "المشرف", "مشرفة", "المشرفة", "مشرفو", "مشرفي", "إدارة",
        "الإدارة", "محرر", "المحرر", "محررة", "المحررة", "التحرير", "مدير", "المدير", "مديرة",
        "المديرة",
    }
)  # fmt: skip


def username_key(username: str) -> str:
    """The look-alike key of a username or display name: two names with the same key are the
    same name to a reader (see minbar.search.arabic.normalise.fold_username)."""
    return fold_username(username)


def display_name_key(display_name: str, *, own_key: str) -> str:
    """The key stored for a display name: its look-alike key, or "" when there is no display
    name or it folds to the reader's own username key `own_key` (showing your own name is no
    impostor)."""
    key = username_key(display_name) if display_name.strip() else ""
    return "" if key == own_key else key


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
    if is_reserved(key):
        problems.append("reserved")
    return problems


@functools.cache
def _reserved_keys() -> tuple[frozenset[str], frozenset[str]]:
    """(whole names, words), folded; separators taken out of the whole names."""
    whole = {username_key(name) for name in RESERVED_USERNAMES | ROLE_WORDS}
    return (
        frozenset(name.replace("_", "") for name in whole),
        frozenset(username_key(word) for word in ROLE_WORDS),
    )


def is_reserved(key: str) -> bool:
    """Whether the folded name `key` passes for the site or its staff: a reserved name however
    it is split ("ad_min", "فريق_منبر"), or a role word among its words, digits after it or not
    ("المشرف_العام", "admin_team", "moderator2")."""
    whole, words = _reserved_keys()
    if key.replace("_", "") in whole:
        return True
    return any(word.rstrip("0123456789") in words for word in key.split("_"))


# Combining marks a name may carry: the Arabic harakat (which the key folds away). Any other
# mark (stacked Latin accents, Zalgo text) could draw over the names and badges around it.
_NAME_MARKS = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"] + [chr(c) for c in range(0x06D6, 0x06EE)]
)


def _letter_is_plain(char: str) -> bool:
    return not char.isalpha() or unicodedata.normalize("NFKC", char) == char


def _words(text: str) -> list[str]:
    """Runs of letters, digits and marks: what a reader reads as one word."""
    words, current = [], []
    for char in text:
        if char.isalnum() or unicodedata.category(char).startswith("M"):
            current.append(char)
        else:
            words.append("".join(current))
            current = []
    words.append("".join(current))
    return [word for word in words if word]


def display_name_problems(display_name: str, *, is_staff: bool = False) -> list[str]:
    """Codes of what is wrong with a display name (expected in NFC); empty when acceptable.

    The rules of usernames, fitted to a name with spaces and punctuation:
    "invisible"     control, formatting, bidi or zero-width characters;
    "characters"    compatibility spellings of letters (presentation forms, full-width letters,
                    ligatures) and combining marks other than the Arabic harakat;
    "mixed-scripts" a word with letters of more than one script ("Аdmin" with a Cyrillic А);
                    words of different scripts side by side are fine ("Reem ريم");
    "no-letter"     a name without a single letter;
    "length"        more than DISPLAY_NAME_MAX characters;
    "reserved"      a name that would pass for the site or its staff (staff may use those).
    An empty display name is fine: the username shows instead.
    """
    problems: list[str] = []
    if any(map(is_invisible, display_name)):
        problems.append("invisible")
    visible = [c for c in display_name if not is_invisible(c)]
    if any(
        not _letter_is_plain(c) or (unicodedata.category(c) == "Mn" and c not in _NAME_MARKS)
        for c in visible
    ):
        problems.append("characters")
    if any(len({s for s in map(_script, word) if s}) > 1 for word in _words(display_name)):
        problems.append("mixed-scripts")
    if display_name.strip() and not any(c.isalpha() for c in display_name):
        problems.append("no-letter")
    if len(display_name) > DISPLAY_NAME_MAX:
        problems.append("length")
    if not is_staff and display_name.strip() and is_reserved(username_key(display_name)):
        problems.append("reserved")
    return problems


def is_unclaimed_import(*, is_active: bool, has_usable_password: bool, has_signed_in: bool) -> bool:
    """An account made by the archive importer for an unknown author and never taken over.

    Only such an account may be claimed through password reset (which then activates it). A
    reader whom the moderators deactivated keeps a usable password, so this stays false for
    them and a reset cannot undo their ban.
    """
    return not is_active and not has_usable_password and not has_signed_in
