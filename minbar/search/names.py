"""Query-time variants of a word: the other ways Arabic media spell a foreign name, and the
forms of a word the dictionary does not know with a clitic in front. Pure: no Django.

The index keeps a name as it was written (the dictionary does not know "ترامب", so the stemmer
leaves it, and "لترامب", alone). A query for a name therefore also looks for:

* its generated spellings: one alternation at a time among those Arabic media use for foreign
  sounds: ت/ط; غ/ج/ق/ك (for g); a long vowel (ا و ي) dropped, or inserted after a consonant
  ("ترامب"/"ترمب", "زيلينسكي"/"زيلنسكي", "واشنطن"/"واشنطون"); a final ا/ة ("فلوريدا"/
  "فلوريدة"). A spelling that is itself a dictionary word is never used ("تونس" does not reach
  "تنس", tennis, nor "غزة" "غزو", invasion);
* the spellings of `CURATED`, for names that differ in more than one letter and for names the
  dictionary knows (واشنطن/واشنطون);
* the word with و ب ل ف ك (and و + ب ل) in front ("لترامب", "وماكرون", "ببوتين").

Generated spellings and clitic forms are for words the dictionary does not know (their term is
not a dictionary word); the curated spellings are for any word, known names included. A form
the dictionary reads as some other word is never looked for. Variants are index terms made by
the same analyser as the index, so they are found on both engines; nothing here needs the index
rebuilt when the lists grow.
"""

from __future__ import annotations

import functools
from pathlib import Path

from minbar.search.arabic import dictionary
from minbar.search.arabic.normalise import normalise
from minbar.search.arabic.stem import MIN_STEM, is_arabic_word, prefix_stem, stem
from minbar.search.policy import MAX_VARIANTS

__all__ = ["CURATED", "query_variants", "spellings"]

# Names written in ways one alternation does not reach. One group a line, any spelling.
CURATED = """
غوتيريش غوتيريس جوتيريش غوتيريز
بكين بيجين بيجينغ بيجنغ
شولتس شولتز شولز
نتنياهو نتانياهو
زيلينسكي زيلنسكي زيلينسكى
ترامب ترمب
ماكرون ماكرن
بوتين بوتن
بايدن بايدين
فيسبوك فايسبوك فيس‌بوك
إنستغرام انستغرام انستجرام إنستقرام انستقرام
تيك‌توك تيكتوك
واتساب واتس‌اب وتساب
يوتيوب يوتوب
غوغل جوجل قوقل
مايكروسوفت ميكروسوفت
سامسونغ سامسونج سامسونق
هواوي هواوى
نتفليكس نيتفليكس
أمازون امازون
تسلا تيسلا
أوروبا اوربا أوربا
هوليوود هوليود
كوبنهاغن كوبنهاجن
واشنطن واشنطون
طوكيو توكيو
تورنتو تورونتو طورونتو
كاتالونيا كتالونيا
نيجيريا نيجريا
موسكو موسكوفا
كييف كييڤ كيیف
ستارمر ستارمير
ميركل ميركيل
بلينكن بلنكن
جونسون جونسن
مانشستر مانشيستر
بروكسل بروكسيل
جنيف جينيف
كاليفورنيا كاليفورنيه
فلوريدا فلوريدة
""".strip()

_SUBSTITUTIONS = {"ت": "ط", "ط": "ت", "غ": "جقك", "ج": "غقك", "ق": "غجك", "ك": "غجق"}
_VOWELS = "اوي"
_CLITICS = ("و", "ب", "ل", "ف", "ك", "وب", "ول")
# Shorter words have too many neighbours for generated spellings to be safe.
_MIN_GENERATED = 4


@functools.cache
def _names() -> frozenset[str]:
    path = Path(dictionary.DATA) / "names.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


@functools.cache
def _curated() -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for line in CURATED.splitlines():
        forms = tuple(dict.fromkeys(normalise(word) for word in line.split()))
        for form in forms:
            groups[form] = forms
    return groups


def _generated(word: str) -> list[str]:
    """One alternation at a time (see the module doc), dictionary words left out: a long vowel
    dropped or a consonant swapped first (the usual differences), then a vowel inserted
    between two consonants, then the final ا/ة."""
    dropped, swapped, inserted = [], [], []
    for i, letter in enumerate(word):
        for other in _SUBSTITUTIONS.get(letter, ""):
            swapped.append(word[:i] + other + word[i + 1 :])
        between_consonants = 0 < i < len(word) - 1 and (
            word[i - 1] not in _VOWELS and word[i + 1] not in _VOWELS
        )
        if letter in _VOWELS and between_consonants:
            dropped.append(word[:i] + word[i + 1 :])
        if i > 0 and word[i - 1] not in _VOWELS and letter not in _VOWELS:
            inserted += [word[:i] + vowel + word[i:] for vowel in _VOWELS]
    final = []
    if word.endswith("ا"):
        final.append(word[:-1] + "ه")
    elif word.endswith("ه"):
        final.append(word[:-1] + "ا")
    found = [*dropped, *final, *swapped, *inserted]
    return [w for w in dict.fromkeys(found) if w != word and not dictionary.is_word(w)]


def spellings(word: str, *, known: bool) -> list[str]:
    """Other spellings of a normalised word: the curated ones, then, for a word the dictionary
    does not know (`known` False), the generated ones."""
    curated = [w for w in _curated().get(word, ()) if w != word]
    if known or len(word) < _MIN_GENERATED:
        return curated
    return list(dict.fromkeys([*curated, *_generated(word)]))


@functools.lru_cache(maxsize=4096)
def query_variants(word: str, term: str) -> tuple[str, ...]:
    """Index terms that also count for `word` (normalised) in a query, besides `term` (its own
    term), at most MAX_VARIANTS: its clitic forms when the dictionary does not know it, then
    its other spellings (their clitic forms too, room allowing)."""
    if len(word) < MIN_STEM or not is_arabic_word(word):
        return ()
    known = dictionary.is_word(term)
    word = prefix_stem(word)  # "الحكومع" is looked for as حكومع, ال is the stemmer's
    others = spellings(word, known=known)
    curated = set(_curated().get(word, ()))
    forms = [clitic + word for clitic in _CLITICS] if not known else []
    forms += others
    forms += [clitic + other for other in others for clitic in _CLITICS[:5]]
    terms: dict[str, None] = {}
    for form in forms:
        found = stem(form)
        # A form the dictionary reads as another word ("وماكرون" as و + ماكر + ون, "بيوتين"
        # as بيوت + ين) would find that word: only curated spellings may do so.
        if found != term and (form in curated or not dictionary.is_word(found)):
            terms[found] = None
    return tuple(terms)[:MAX_VARIANTS]
