"""An Arabic stemmer that strips only what the dictionary confirms.

It works on one normalised word (see `normalise`) and returns one index term. In order:

1. Clitics in front (و ف, ب ك ل, ال, and their combinations such as "وبال", "للـ", "وللـ") are
   tried off one at a time; if what is left is a protected word (see `lexicon.PROTECTED` and
   `extra_protected`) the term is that word.
2. Otherwise, if what is left names a country, one of its peoples or a nisba adjective of it,
   the term is the country key: "اللبنانيين" → "لبنان", "بالتركية" → "تركيا".
3. Otherwise, if what is left is an inflection of a protected word, the term is that word:
   "الوزارات" → "وزاره", "وزيرة" → "وزير".
4. Otherwise the dictionary decides (see `dictionary`): every way of reading the word as
   clitics + stem + endings is tried (an ending: -ات -ون -ين -ان, feminine ة, -ت -وا -و -ا -ي;
   then a pronoun: -ه -ها -هم -هما -هن -ك -كم -كما -كن -نا -ني), and among the readings whose
   stem the dictionary lists, the cheapest wins: each letter taken off costs one, and the
   ambiguous pieces (a bare ب ك ل ف و in front, a final ة ه ي ا و ت) cost a little more. The
   word itself, when listed, costs nothing: "وطن", "بحر", "جامعة", "ثلاثين" and "زيتون" stay
   whole, while "الوطن", "بالمدينة", "حكومتنا", "مهندسو", "الحكومتين" and "قالوا" lose only what
   is not theirs. A stem written with ت before an ending gets its ة back ("مدرستها" →
   "مدرسه"), a final ى written ا gets its ى back ("مستشفاهم"), a weak verb its last letter
   ("دعت" → "دعا"). A broken plural becomes its singular ("المدن" → "مدينه", "الوزراء" →
   "وزير"). A word with no listed reading is tried again with a و beside ا or و read as ؤ
   (comments type "مسوول" for "مسؤول").
5. A word the dictionary does not know (a foreign name, a new coinage) loses only the article
   (ال and the chains ending in it, with three letters left) and then a final -ات or ة: names
   keep their ين, ان, ون ("بوتين", "ماكرون"). Queries look for such a word with clitics in front
   too (see `search.names`), so "لترامب" is found by "ترامب" without guessing at index time.

Words that are not Arabic (Latin, digits, mixed) come back unchanged. Stemming is one pass and
not idempotent: always stem the words of the original text, never terms. Deterministic and
pure; results are cached per word.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from minbar.search.arabic import dictionary
from minbar.search.arabic.lexicon import PROTECTED, country_key
from minbar.search.arabic.normalise import normalise

__all__ = ["MIN_STEM", "dictionary_stem", "is_arabic_word", "prefix_stem", "stem", "unknown_stem"]

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

# The article chains a word the dictionary does not know loses (see `unknown_stem`).
_UNKNOWN_ARTICLES = tuple(
    sorted((c for c in _CLITICS if c.endswith((_ARTICLE, "لل"))), key=len, reverse=True)
)

# Endings the protected words' inflections may show (see `_peelings`).
_PRONOUN_SUFFIXES = ("هما", "هم", "ها", "ه")  # after normalise, ta marbuta is ه too
_ENDING_SUFFIXES = ("يتين", "يتان", "تين", "تان", "يون", "يين", "يات", "ات", "ون", "ين", "ان", "ي")


def is_arabic_word(word: str) -> bool:
    """True when every character of `word` is in an Arabic block (and there is at least one)."""
    return bool(word) and all(
        "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\u08a0" <= char <= "\u08ff"
        for char in word
    )


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
    found = dictionary_stem(word)
    for repaired in () if found is not None else _hamza_repairs(word):
        found = dictionary_stem(repaired)
        if found is not None:
            break
    return found if found is not None else unknown_stem(word)


def _hamza_repairs(word: str) -> list[str]:
    """The word with one و read as ؤ, where و stands next to ا or و as ؤ does ("مسوول",
    "سوال", "التفاول"): comments often type ؤ as a plain و."""
    return [
        word[:i] + "ء" + word[i + 1 :]
        for i in range(1, len(word) - 1)
        if word[i] == "و" and (word[i - 1] in "او" or word[i + 1] in "او")
    ]


# --- the dictionary reading -------------------------------------------------------------------

# Clitic chains in front, with what each costs beyond its letters. The article is reliable
# (a chain ending in it costs less than its letters, so "القوات" is ال + قوات, not القو + ات);
# a bare letter is often the word's own first letter, and "لل" is also ل + ال before a word
# starting with lam ("للجنة" is ل + اللجنة, "لليرة" ل + الليرة), which is the likelier reading.
_READ_PREFIXES: dict[str, float] = {
    chain: 1.5 - len(chain) for chain in _CLITICS if chain.endswith(_ARTICLE)
}
_READ_PREFIXES.update({"لل": 0.0, "ولل": -1.5, "فلل": -1.5})
_READ_PREFIXES.update({"و": 0.75, "ف": 1.0, "ب": 1.0, "ل": 0.75, "ك": 1.25})
for _chain in ("وب", "ول", "وك", "فب", "فل", "فك"):
    _READ_PREFIXES[_chain] = -1.0  # two letters that are rarely a word's own: 1 in all
_READ_PREFIXES[""] = 0.0
# A reading that costs more than this is not taken: the word is left as an unknown one
# ("كورونا" is not كور + و + نا).
_MAX_READING_COST = 5.0

# Endings (number, gender, the verb's subject), with their extra cost, and pronouns after them.
_ENDINGS: dict[str, float] = {
    "": 0.0, "ات": 0.0, "ون": 0.25, "ين": 0.25, "ان": 0.25, "وا": -0.5,
    "ه": 0.5, "ت": 0.25, "و": 0.75, "ا": 0.75, "ي": 0.75,
    # nisba adjectives in the plural or the feminine, on a noun the dictionary lists:
    # "العسكريين" → عسكر (like "عسكري"), when "عسكري" itself is not listed
    "يون": 0.25, "يين": 0.25, "يات": 0.25, "يان": 0.25, "يه": 0.5,
}  # fmt: skip
_PRONOUNS: dict[str, float] = {
    "": 0.0, "ها": 0.0, "هم": 0.0, "هما": 0.0, "هن": 0.0, "كم": 0.0, "كما": 0.0, "كن": 0.0,
    "نا": 0.0, "ه": 0.5, "ني": 0.5, "ك": 0.75,
}  # fmt: skip
# Endings a pronoun may follow (ون, ين, وا become و, ي before a pronoun; ة becomes ت).
_BEFORE_PRONOUN = ("", "ات", "ت", "و", "ا", "ي")
_SUFFIXES: tuple[tuple[str, float], ...] = tuple(
    sorted(
        {
            (ending + pronoun, e_cost + p_cost)
            for ending, e_cost in _ENDINGS.items()
            for pronoun, p_cost in _PRONOUNS.items()
            if not pronoun or ending in _BEFORE_PRONOUN
        }
    )
)


# The cheapest way to read each suffix, and the lengths to try (one look-up per length).
_SUFFIX_COST: dict[str, float] = {}
for _suffix, _cost in _SUFFIXES:
    _SUFFIX_COST[_suffix] = min(_cost, _SUFFIX_COST.get(_suffix, _cost))
_SUFFIX_LENGTHS = sorted({len(suffix) for suffix in _SUFFIX_COST})

# What a ت read as ة costs more when the noun it makes takes no dual and is no broken plural.
_BARE_FEMININE_COST = 1.5
_PRONOUN_STARTS = frozenset(pronoun[0] for pronoun in _PRONOUNS if pronoun)

_WAW_PRONOUN = frozenset("و" + pronoun for pronoun in _PRONOUNS if pronoun)


def _restorations(stem: str, suffix: str) -> list[str]:
    """The dictionary forms a stem may stand for once `suffix` came off it."""
    forms = []
    if suffix.startswith("ات"):
        forms.append(stem + "ه")  # حكومات → حكومه, قطرات → قطره
    if suffix and stem.endswith("ت") and len(stem) > 2:
        forms.append(stem[:-1] + "ه")  # مدرستها, الحكومتين
    if suffix.startswith(("ه", "ك", "ن")) and stem.endswith("ا") and len(stem) > 2:
        forms.append(stem[:-1] + "ي")  # مستشفاهم → مستشفي
    forms.append(stem)
    if suffix.startswith("ات") and stem.endswith("ي"):
        forms.append(stem[:-1] + "اه")  # مباريات → مباراه
    if suffix.startswith(("ت", "وا", "و")) and not suffix.startswith("ات"):
        forms += [stem + "ا", stem + "ي"]  # دعت → دعا, نفت → نفي
    return forms


def dictionary_stem(word: str) -> str | None:
    """The cheapest reading of `word` whose stem the dictionary lists, as its lemma (a broken
    plural's singular), or None when no reading is listed. See step 4 of the module doc."""
    if dictionary.is_word(word):
        return dictionary.lemma(word)
    best: tuple[float, int, str] | None = None
    for prefix, p_cost in _READ_PREFIXES.items():
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        shortest = 2 if prefix.endswith((_ARTICLE, "لل")) else MIN_STEM
        if len(prefix) == 1 and len(rest) < MIN_STEM:
            continue
        for length in _SUFFIX_LENGTHS:
            if len(rest) - length < 2:
                break
            suffix = rest[len(rest) - length :] if length else ""
            s_cost = _SUFFIX_COST.get(suffix)
            if s_cost is None:
                continue
            stem = rest[: len(rest) - length] if length else rest
            cost = len(prefix) + len(suffix) + p_cost + s_cost
            if suffix in _WAW_PRONOUN:
                cost += 1.5  # و before a pronoun: a verb's "رفضوه", rarely anything else
            if cost > _MAX_READING_COST or (best is not None and cost > best[0]):
                continue
            forms = _restorations(stem, suffix) if suffix else [stem]
            if suffix.startswith("ات"):
                # The form the dictionary lets take -ات first: تعليقات is تعليق's plural, not
                # that of the rare تعليقة; حكومات that of حكومة.
                forms.sort(key=lambda form: not dictionary.takes(form, "t"))
            for form in forms:
                if len(form) < shortest or not dictionary.is_word(form):
                    continue
                extra = 0.0
                if (
                    # ت before a pronoun as a ة the dictionary adds to a listed word: the noun
                    # must then take the dual or be a broken plural, or the ت is the verb's
                    # ("رفضته" is رفض + ت + ه, not الرفضة's; "أدويتها" stays أدوية's).
                    form == stem[:-1] + "ه"
                    and suffix[:1] in _PRONOUN_STARTS
                    and not dictionary.takes(form, "d")
                    and dictionary.singular(form) is None
                    and dictionary.takes(stem[:-1], "f")
                ):
                    extra = _BARE_FEMININE_COST
                candidate = (cost + extra, -len(form), form)
                if best is None or candidate < best:
                    best = candidate
                break
    return dictionary.lemma(best[2]) if best is not None else None


def prefix_stem(word: str) -> str:
    """The term of a word typed as the start of words (`حكو*`): only an article chain comes
    off (three letters left); its end is not an ending."""
    if not is_arabic_word(word):
        return word
    for prefix in _UNKNOWN_ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            return word[len(prefix) :]
    return word


def unknown_stem(word: str) -> str:
    """A word the dictionary does not know: the article chain off (three letters left), then a
    final -ات or ة (four letters left). See step 5 of the module doc."""
    for prefix in _UNKNOWN_ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            word = word[len(prefix) :]
            break
    if word.endswith("ات") and len(word) - 2 >= MIN_STEM:
        return word[:-2]
    if word.endswith("ه") and len(word) - 1 >= MIN_STEM + 1:
        return word[:-1]
    return word
