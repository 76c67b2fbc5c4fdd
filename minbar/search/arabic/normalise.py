"""The one Arabic normaliser of the project, and the folds built on it.

Three strengths, each with its own caller:

* `normalise` is the search fold. Search indexing, search queries, the stemmer and the moderation
  word lists all go through it, so two spellings a reader would call "the same word" meet here
  (hamza and alef forms, alef maqsura, ta marbuta, harakat, tatweel, invisible characters,
  presentation forms, Eastern digits, Latin case).
* `fold_username` is the look-alike key of the names readers show (usernames and display
  names): what a reader cannot see, cannot tell apart at a glance, or would take for a typing
  variant of the same name is folded (harakat, tatweel, invisible characters, hamza and alef
  forms, alef maqsura, ta marbuta, keheh and farsi yeh, Eastern digits, case, and separators),
  so that "ابو_خالد", "أبو خالد" and "أبو__خالد_" are one name.
* `fold_for_matching` is heavier, for moderation: `normalise`, then letters typed one by one with
  spaces or punctuation between them are joined back ("ك ل ب" → "كلب"). `find_words` matches a
  word list against such text.

Everything here is pure: no Django, no I/O.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "ATTACHED_PREFIXES",
    "find_words",
    "fold_for_matching",
    "fold_username",
    "normalise",
]

TATWEEL = "\u0640"

# Harakat (fathatan … sukun, the extended marks up to U+065F), superscript alef, and the Quranic
# annotation marks.
_HARAKAT = (
    [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"] + [chr(c) for c in range(0x06D6, 0x06EE)]
)

# Zero-width and bidi formatting characters, the BOM, the Arabic letter mark and the soft hyphen:
# all invisible, all usable to hide a word from a naive match.
_INVISIBLE = (
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u061c", "\u00ad"]
)

_EASTERN_DIGITS = {
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic ٠-٩
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian/Urdu ۰-۹
}

# Letters a reader cannot tell apart (or that Persian/Urdu keyboards type for Arabic ones).
_LOOKALIKE_LETTERS = {
    "\u06a9": "\u0643",  # keheh ک → kaf ك
    "\u06cc": "\u064a",  # farsi yeh ی → yeh ي
}

# Persian letters typed in Arabic text for the nearest Arabic one (search only: a username
# with پ is not the same name as one with ب).
_PERSIAN_LETTERS = {
    "\u067e": "\u0628",  # peh پ → beh ب
    "\u0686": "\u062c",  # tcheh چ → jeem ج
    "\u0698": "\u0632",  # jeh ژ → zain ز
    "\u06c0": "\u0647",  # heh with yeh above ۀ → heh (ta marbuta on Persian keyboards)
    "\u06d5": "\u0647",  # ae ە (what NFKC leaves of ۀ) → heh
}

# Spelling variants that Arabic readers treat as the same word when searching.
_SPELLING_VARIANTS = {
    "\u0623": "\u0627",  # alef with hamza above أ → ا
    "\u0625": "\u0627",  # alef with hamza below إ → ا
    "\u0622": "\u0627",  # alef with madda آ → ا
    "\u0671": "\u0627",  # alef wasla ٱ → ا
    "\u0624": "\u0621",  # waw with hamza ؤ → ء
    "\u0626": "\u0621",  # yeh with hamza ئ → ء
    "\u0649": "\u064a",  # alef maqsura ى → ي
    "\u0629": "\u0647",  # ta marbuta ة → ه
    "\u06a4": "\u0641",  # veh ڤ → feh ف
    "\u06af": "\u0643",  # gaf گ → kaf ك
}

# The alef, yeh and ta marbuta variants readers write one for another in names: an impostor
# of "أبو_خالد" need only drop the hamza.
_NAME_VARIANTS = {
    "\u0623": "\u0627",  # alef with hamza above أ → ا
    "\u0625": "\u0627",  # alef with hamza below إ → ا
    "\u0622": "\u0627",  # alef with madda آ → ا
    "\u0671": "\u0627",  # alef wasla ٱ → ا
    "\u0649": "\u064a",  # alef maqsura ى → ي
    "\u0629": "\u0647",  # ta marbuta ة → ه
}

_USERNAME_TABLE = str.maketrans(
    {
        **dict.fromkeys(_HARAKAT + _INVISIBLE + [TATWEEL]),
        **_EASTERN_DIGITS,
        **_LOOKALIKE_LETTERS,
        **_NAME_VARIANTS,
    }
)

# Separators inside a name: any run of them is one "_", and none at either end, so "المشرف_",
# "_المشرف" and "المشرف" are one name, as are "abu-khalid", "abu__khalid" and "Abu Khalid".
_NAME_SEPARATORS = re.compile(r"[\s_\-.\u00b7\u2010-\u2015\u2212]+")

_SEARCH_TABLE = str.maketrans(
    {
        **dict.fromkeys(_HARAKAT + _INVISIBLE + [TATWEEL]),
        **_EASTERN_DIGITS,
        **_LOOKALIKE_LETTERS,
        **_PERSIAN_LETTERS,
        **_SPELLING_VARIANTS,
    }
)

# Hamza spellings of one word that differ by more than a letter:
# * ىء (alef maqsura + hamza) is an old way of writing ئ: "شاطىء" is "شاطئ";
# * a final يء is often written ئ: "شيء"/"شئ", "بريء"/"برئ" (both become ء);
# * مائة (hundred) is also written مئة, alone or after a unit ("ثلاثمائة"/"ثلاثمئة").
_MAQSURA_HAMZA = re.compile("\u0649\u0621")
_FINAL_YEH_HAMZA = re.compile(r"\u064a\u0621(?![^\W_])")
_HUNDRED = re.compile(
    r"(?<![^\W_])((?:[وفبلك]|ال|لل)?(?:ثلاث|اربع|خمس|ست|سبع|ثماني|ثمان|تسع)?)ماء(?=ه|ت)"
)


def _fold(text: str, *, table: dict[int, str | None]) -> str:
    """NFKC, apply `table`, casefold, NFKC again, until the text stops changing.

    The second NFKC is needed because removing a mark or an invisible character can bring a base
    letter next to a combining mark it now composes with; the loop (almost always one round, at
    most a handful) makes the fold idempotent, which callers rely on.
    """
    for _ in range(5):
        folded = unicodedata.normalize("NFKC", text)
        folded = folded.translate(table).casefold()
        folded = unicodedata.normalize("NFKC", folded)
        if folded == text:
            break
        text = folded
    return text


def normalise(text: str) -> str:
    """Return the search form of `text`; idempotent, length may shrink, never raises.

    In order: NFKC (presentation forms such as "ﺍﻟﻌﻘﻮﺑﺎﺕ" become ordinary letters, ligatures
    split); harakat (U+064B–U+065F, U+0670, U+06D6–U+06ED), tatweel and invisible formatting
    characters (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF, U+061C, U+00AD) removed;
    أ إ آ ٱ → ا; ؤ ئ → ء; ى → ي; ة → ه; keheh ک and gaf گ → ك; farsi yeh ی → ي; veh ڤ → ف;
    peh پ → ب, tcheh چ → ج, jeh ژ → ز, ۀ and ە → ه; Arabic-Indic and Persian digits → 0-9;
    everything casefolded (which only changes Latin, Greek, Cyrillic, …). Then three hamza
    spellings meet: ىء → ء (as ئ), a final يء → ء ("شيء" = "شئ"), and مائة → مئة (also after
    a unit: "ثلاثمائة" = "ثلاثمئة"). Spaces and punctuation are kept as they are.
    """
    text = _fold(_MAQSURA_HAMZA.sub("\u0626", text), table=_SEARCH_TABLE)
    if "\u0621" in text:
        text = _HUNDRED.sub(r"\1مء", _FINAL_YEH_HAMZA.sub("\u0621", text))
    return text


def fold_username(name: str) -> str:
    """Return the look-alike key of a username or display name; idempotent, never raises.

    Two names with the same key pass for the same name to a reader. NFKC, casefold; harakat,
    tatweel and invisible formatting characters removed; أ إ آ ٱ → ا, ى → ي, ة → ه; keheh ک → ك,
    farsi yeh ی → ي; Arabic-Indic and Persian digits → 0-9; every run of separators (spaces,
    `_`, `-`, `.`, dashes, the middle dot) → one `_`, and none at either end. Lighter than
    `normalise`: ؤ ئ, gaf and veh keep their shapes, which readers see. The key is for
    comparison only; never display it.
    """
    folded = _fold(name, table=_USERNAME_TABLE)
    return _NAME_SEPARATORS.sub("_", folded).strip("_")


# Letters spelt one at a time ("ك ل ب", "ك.ل.ب", "ك - ل - ب"): at least two single letters, each
# pair separated by one to three characters that are neither letters nor digits.
_SINGLE = r"(?<![^\W_])[^\W\d_](?![^\W_])"
_SPLIT_LETTERS = re.compile(rf"{_SINGLE}(?:[\W_]{{1,3}}{_SINGLE})+")
_SEPARATORS = re.compile(r"[\W_]+")
_TOKEN = re.compile(r"[^\W_]+")


def fold_for_matching(text: str) -> str:
    """Return the moderation form of `text`: `normalise`, then split-up letters joined back.

    A run of two or more single letters, separated by one to three non-letters each, becomes one
    word: "ك ل ب", "ك.ل.ب" and "ك-ل-ب" all give "كلب" (zero-width characters between letters
    are already gone after `normalise`). Repeated letters are *not* squeezed here, because
    Arabic legitimately doubles letters ("اللجنة", "ممثل"); `find_words` tolerates stretched
    letters instead. Idempotent.
    """
    joined = _SPLIT_LETTERS.sub(lambda m: _SEPARATORS.sub("", m.group()), normalise(text))
    # Joining can bring together characters that NFKC composes (Hangul jamo, for one).
    return normalise(joined)


# Clitics that may be attached in front of a listed word: conjunction, preposition, article.
ATTACHED_PREFIXES: tuple[str, ...] = (
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
    "ال",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ولل",
    "فلل",
    "وبال",
    "فبال",
    "وكال",
    "وب",
    "ول",
    "فب",
    "فل",
)

_PREFIX_GROUP = "|".join(sorted(ATTACHED_PREFIXES, key=len, reverse=True))


def _stretchable(word: str) -> str:
    """A regex for `word` in which any letter may be stretched by repeating it.

    A run of n equal letters matches exactly n, or n + 2 and more: "كلب" matches "كلللب", but a
    genuinely doubled letter is not taken for a stretched single one ("سب" does not match "سبب").
    """
    parts = []
    for match in re.finditer(r"(.)\1*", word):
        char, count = re.escape(match.group(1)), len(match.group())
        parts.append(f"{char}{{{count}}}(?:{char}{{2,}})?")
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def _entry_pattern(entry: str) -> re.Pattern[str] | None:
    """The compiled pattern for one word-list entry, or None when it has no letters or digits.

    An entry of several words ("ابن كلب") matches them in order with any separators between.
    """
    tokens = _TOKEN.findall(fold_for_matching(entry))
    if not tokens:
        return None
    body = r"[\W_]+".join(_stretchable(token) for token in tokens)
    return re.compile(rf"(?<![^\W_])(?:{_PREFIX_GROUP})?{body}(?![^\W_])")


def find_words(text: str, *, words: Iterable[str]) -> list[str]:
    """Return the entries of `words` that occur in `text` as whole words, in `words` order.

    Both sides go through `fold_for_matching`, so harakat, tatweel, invisible characters,
    hamza/alef forms, alef maqsura, ta marbuta, presentation forms, keheh/farsi yeh and letters
    split by spaces or punctuation do not hide a word. A word boundary is anything that is not a
    letter or digit (Latin punctuation, spaces, and Arabic ، ؛ ؟ « » alike). A listed word also
    matches with attached prefixes in front (see `ATTACHED_PREFIXES`: و ف ب ل ك ال وال بال لل
    and their combinations), and with letters stretched (three or more copies). It does not
    match inside a longer word. Each matching entry is returned once, as it was given; entries
    without letters or digits are ignored.
    """
    haystack = fold_for_matching(text)
    found: dict[str, None] = {}
    for word in words:
        if word in found:
            continue
        pattern = _entry_pattern(word)
        if pattern is not None and pattern.search(haystack):
            found[word] = None
    return list(found)
