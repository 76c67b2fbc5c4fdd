"""A light (affix-stripping) Arabic stemmer in the spirit of Larkey's light10, with guards.

It works on one normalised word (see `normalise`) and returns one index term. In order:

1. Clitics in front (و ف, ب ك ل, ال, and their combinations such as "وبال", "للـ", "وللـ") are
   tried off one at a time; if what is left is a protected word (see `lexicon.PROTECTED` and
   `extra_protected`) the term is that word.
2. Otherwise, if what is left names a country, one of its peoples or a nisba adjective of it,
   the term is the country key: "اللبنانيين" → "لبنان", "بالتركية" → "تركيا".
3. Otherwise, if what is left is an inflection of a protected word, the term is that word:
   "الوزارات" → "وزاره", "وزيرة" → "وزير".
4. Otherwise light stripping: one prefix from a short list (ال, لل, و, وال, بال, كال, فال, ولل,
   وبال, …; the longest present decides), then one pronoun suffix (هما هم ها ه), then, when a
   pronoun came off a word ending in ت, that ت (ta marbuta written as ta: "حكومتها" → "حكوم",
   like "حكومة"), then one plural, dual or nisba ending (يتين يتان تين تان يون يين يات ات ون
   ين ان ي); when a nisba or -at ending leaves a word that ends in ان ون ين, that goes too, so
   "الاستيطانية" and "استيطان" meet at "استيط". No suffix rule leaves fewer than three letters
   (`MIN_STEM`), a bare و needs three letters after it, the article two, and "ات" that cannot
   go whole loses only its ت ("قوات" → "قوا").

Guards against over-stemming are the lexicon (a word starting with و, like "وزير", is protected,
so "الوزير" and "وزير" meet at "وزير" rather than "زير") and the minimum lengths ("لبن", "ترك" and
"عم" are too short to lose anything). Words that are not Arabic (Latin, digits, mixed) come back
unchanged. Stemming is one pass and not idempotent ("التعاوني" → "تعاون", "تعاون" → "تعا"):
always stem the words of the original text, never terms. Deterministic and pure; the protected
index for a given `extra_protected` set is built once and cached.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from minbar.search.arabic.lexicon import PROTECTED, country_key
from minbar.search.arabic.normalise import normalise

__all__ = ["MIN_STEM", "is_arabic_word", "light_stem", "stem"]

# The shortest stem any suffix rule leaves.
MIN_STEM = 3

_ARTICLE = "ال"
_GOD = "الله"


def _clitic_prefixes() -> tuple[str, ...]:
    """Every clitic chain that can sit in front of a noun: conjunction? preposition? article?

    ل + ال is written "لل" (the article's alef drops), and is listed that way.
    """
    chains = set()
    for conjunction in ("", "و", "ف"):
        for preposition in ("", "ب", "ك", "ل"):
            for article in ("", _ARTICLE):
                if preposition == "ل" and article:
                    chains.add(conjunction + "لل")
                else:
                    chains.add(conjunction + preposition + article)
    return tuple(sorted(chains, key=lambda chain: (len(chain), chain)))


_CLITICS = _clitic_prefixes()

# Prefixes light stripping removes without a dictionary (longest match wins), with the fewest
# letters that must remain. Bare ب ك ل ف are not here: too many words start with them.
_STRIP_PREFIXES: dict[str, int] = {
    "وبال": 2,
    "وكال": 2,
    "فبال": 2,
    "فكال": 2,
    "ولل": 2,
    "فلل": 2,
    "وال": 2,
    "فال": 2,
    "بال": 2,
    "كال": 2,
    "لل": 2,
    _ARTICLE: 2,
    "و": 3,
}
_STRIP_ORDER = sorted(_STRIP_PREFIXES, key=len, reverse=True)

_PRONOUN_SUFFIXES = ("هما", "هم", "ها", "ه")  # after normalise, ta marbuta is ه too
_ENDING_SUFFIXES = ("يتين", "يتان", "تين", "تان", "يون", "يين", "يات", "ات", "ون", "ين", "ان", "ي")
# Dual and plural endings. The first three can also end the word a nisba or an -at plural is
# built on, and then go too ("استيطانية" → "استيطان" → "استيط").
_STEM_FINAL_PLURALS = ("ان", "ون", "ين")
_PLAIN_PLURALS = (*_STEM_FINAL_PLURALS, "تين", "تان")
# Feminine duals need a longer stem: "حكومتين" is حكومة × 2, "ثابتين" is ثابت + ين.
_ENDING_MIN_STEM = {"تين": MIN_STEM + 1, "تان": MIN_STEM + 1}


def is_arabic_word(word: str) -> bool:
    """True when every character of `word` is in an Arabic block (and there is at least one)."""
    return bool(word) and all(
        "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\u08a0" <= char <= "\u08ff"
        for char in word
    )


def light_stem(word: str) -> str:
    """Strip one prefix, one pronoun suffix and one ending from a normalised Arabic word.

    The dictionary-free part of `stem` (step 4 in the module docstring), exposed for tests.
    """
    for prefix in _STRIP_ORDER:
        if word.startswith(prefix):
            # The longest prefix that is there decides; if too little would remain, nothing is
            # stripped ("والي" is not و + الي).
            if len(word) - len(prefix) >= _STRIP_PREFIXES[prefix]:
                word = word[len(prefix) :]
            break

    for suffix in _PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            # A ta marbuta is written ت before a pronoun: "حكومتها" is حكومة + ها.
            if word.endswith("ت") and not word.endswith("ات") and len(word) > MIN_STEM:
                word = word[:-1]
            break

    for suffix in _ENDING_SUFFIXES:
        if not word.endswith(suffix):
            continue
        if len(word) - len(suffix) >= _ENDING_MIN_STEM.get(suffix, MIN_STEM):
            word = word[: -len(suffix)]
            # A nisba or plural built on a word that itself ends like a plural gets that word's
            # stem: "الاستيطانية" → "استيطان" → "استيط", like "استيطان" → "استيط".
            if suffix not in _PLAIN_PLURALS:
                for plain in _STEM_FINAL_PLURALS:
                    if word.endswith(plain) and len(word) - len(plain) >= MIN_STEM:
                        return word[: -len(plain)]
            return word
        if suffix == "ات" and len(word) > MIN_STEM:
            # "قوات", "حياتها": the ت is a ta marbuta after alef (and "حياة" lost its ه).
            return word[:-1]
        # Too short for this ending; a shorter one may still fit ("حيات": not يات, but ات).
    return word


class _ProtectedIndex:
    """Protected words by every form that leads to them.

    A protected word given with the article is indexed without it when at least three letters
    remain ("البرلمان" → "برلمان"; "الله" stays). `exact` maps the word (with and without the
    article) to that lemma; `forms` adds the lemma without its final ه (ta marbuta), which is
    what its plurals and suffixed forms peel down to ("وزارات" → "وزار" → "وزاره").
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.exact: dict[str, str] = {}
        self.forms: dict[str, str] = {}
        for word in words:
            lemma = word
            if word.startswith(_ARTICLE) and len(word) - len(_ARTICLE) >= MIN_STEM:
                lemma = word[len(_ARTICLE) :]
            for form in {word, lemma}:
                self.exact.setdefault(form, lemma)
                self.forms.setdefault(form, lemma)
            # Only when three letters remain: "لغ" (from لغة) would catch "بلغ" (reached).
            if lemma.endswith("ه") and len(lemma) > MIN_STEM:
                self.forms.setdefault(lemma[:-1], lemma)


@functools.lru_cache(maxsize=64)
def _protected_index(extra_protected: frozenset[str]) -> _ProtectedIndex:
    extra = (normalise(word).strip() for word in extra_protected)
    # Extra words first, so that a caller's lemma wins over a built-in one.
    return _ProtectedIndex([*(word for word in extra if word), *sorted(PROTECTED)])


def _peelings(rest: str) -> list[str]:
    """What `rest` could be once one pronoun and/or one ending come off, least stripped first."""
    stage = [rest]
    for suffix in _PRONOUN_SUFFIXES:
        if rest.endswith(suffix) and len(rest) > len(suffix) + 1:
            bare = rest[: -len(suffix)]
            stage.append(bare)
            if bare.endswith("ت"):
                stage.append(bare[:-1])
    peeled = stage[1:]
    for word in stage:
        for suffix in (*_ENDING_SUFFIXES, "يه"):
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                peeled.append(word[: -len(suffix)])
    return peeled


def _is_definite(clitic: str, rest: str) -> bool:
    """True when the clitic chain carries the article (ل + اللبناني is written "للبناني")."""
    return clitic.endswith((_ARTICLE, "لل")) or (clitic.endswith("ل") and rest.startswith("ل"))


def stem(word: str, *, extra_protected: frozenset[str] = frozenset()) -> str:
    """Return the index term of one normalised word (see the module docstring for the steps).

    `word` must already be normalised and be a single token (letters only); non-Arabic words
    come back unchanged. `extra_protected` adds words (any spelling; they are normalised here)
    that are returned whole, like `lexicon.PROTECTED`. The result is never empty for a
    non-empty word and contains only letters of `word`, or a protected or country term.
    """
    if len(word) < MIN_STEM or not is_arabic_word(word):
        return word
    if word.endswith(_GOD):
        # "والله", "بالله" are clitics + الله; names built on it (عبدالله, نصرالله) stay whole
        # rather than lose a "pronoun" ه.
        return _GOD if word[: -len(_GOD)] in _CLITICS else word
    return _stem(word, extra_protected)


@functools.lru_cache(maxsize=100_000)
def _stem(word: str, extra_protected: frozenset[str]) -> str:
    # News vocabulary repeats a lot; the cache makes indexing an article mostly dictionary hits.
    index = _protected_index(extra_protected)
    splits = [
        (c, word[len(c) :]) for c in _CLITICS if word.startswith(c) and len(word) > len(c) + 1
    ]

    for _, rest in splits:
        lemma = index.exact.get(rest)
        if lemma is not None:
            return lemma
    for clitic, rest in splits:
        names_only = clitic not in ("", "و") and not _is_definite(clitic, rest)
        key = country_key(rest, names_only=names_only)
        if key is not None:
            return key
    for _, rest in splits:
        for form in (rest, *_peelings(rest)):
            lemma = index.forms.get(form)
            if lemma is not None:
                return lemma
    return light_stem(word)
