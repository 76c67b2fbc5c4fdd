"""Word lists the light stemmer consults before it strips anything.

Two tables, both written in ordinary spelling and passed through `normalise` at import time:

* `PROTECTED`: words whose letters look like affixes but are part of the word (وزير starts like
  the conjunction و, لبنان ends like the dual ان, البرلمان …). The stemmer never strips a
  protected word; it only removes clitics in front of it, and maps the word's own inflections
  (وزارات → وزارة) to it. Callers can add words with `analyse(…, extra_protected=…)`.
* `COUNTRIES`: each country with its other spellings and the stems its nisba adjectives are
  built on, so a country, its nationality adjective and their plurals share one index term:
  كازاخستان, الكازاخستاني and الكازاخستانيين all become "كازاخستان".

Changing either table changes analyser output: bump `ANALYSER_VERSION` and regenerate the golden
file (see tests/search/arabic/test_golden.py).
"""

from __future__ import annotations

from typing import NamedTuple

from minbar.search.arabic.normalise import normalise

__all__ = [
    "COUNTRIES",
    "NISBA_SUFFIXES",
    "PROTECTED",
    "Country",
    "country_key",
]


class Country(NamedTuple):
    """One country, normalised: its index term and the words that lead to it.

    `names` name the country and count after any clitic ("بمصر", "لتركيا"). `peoples` (plural
    nouns such as "روس", "أتراك") and `nisba_stems` followed by a nisba ending ("سوري",
    "اللبنانيين") are adjectives or nouns for people, and count only bare, after "و", or after
    the article: "فروسية" (horsemanship) is not ف + روسية, and "بروس" (Bruce) is not ب + روس.
    """

    key: str
    names: frozenset[str]
    peoples: frozenset[str]
    nisba_stems: frozenset[str]


# Nisba adjective endings: masculine, feminine, plurals, duals, and the adverbial -iyyan
# (ي + tanween alef, written يا once harakat are gone). Longest first.
NISBA_SUFFIXES: tuple[str, ...] = ("يتين", "يتان", "يون", "يين", "يات", "يان", "يه", "يا", "ي")

# (key, other names, peoples, nisba stems). Keys are written without the article: the stemmer
# removes "ال" (and any clitic) before it looks a word up. A nisba stem only counts with a nisba
# ending after it, so "سور" (a wall) stays itself while "سوري" and "السوريين" become "سوريا".
_COUNTRY_ROWS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("لبنان", (), (), ("لبنان",)),
    ("سوريا", ("سورية",), (), ("سور",)),
    ("عراق", (), (), ("عراق",)),
    ("أردن", (), (), ("أردن",)),
    ("فلسطين", (), (), ("فلسطين",)),
    ("مصر", (), (), ("مصر",)),
    ("سعودية", (), (), ("سعود",)),
    ("يمن", (), (), ("يمن",)),
    ("عمان", (), (), ("عمان",)),
    ("إمارات", (), (), ("إمارات",)),
    ("قطر", (), (), ("قطر",)),
    ("بحرين", (), (), ("بحرين",)),
    ("كويت", (), (), ("كويت",)),
    ("ليبيا", (), (), ("ليب",)),
    ("تونس", (), (), ("تونس",)),
    ("جزائر", (), (), ("جزائر",)),
    ("مغرب", (), (), ("مغرب",)),
    ("موريتانيا", (), (), ("موريتان",)),
    ("سودان", (), (), ("سودان",)),
    ("صومال", (), (), ("صومال",)),
    ("جيبوتي", (), (), ("جيبوت",)),
    ("تركيا", (), ("أتراك",), ("ترك",)),
    ("إيران", (), (), ("إيران",)),
    ("إسرائيل", (), (), ("إسرائيل",)),
    ("روسيا", (), ("روس",), ("روس",)),
    ("أمريكا", ("أميركا",), ("أمريكان", "أميركان"), ("أمريك", "أميرك")),
    ("صين", (), (), ("صين",)),
    ("يابان", (), (), ("يابان",)),
    ("هند", (), (), ("هند",)),
    ("باكستان", (), (), ("باكستان",)),
    ("أفغانستان", (), ("أفغان",), ("أفغان", "أفغانستان")),
    ("كازاخستان", ("قازاقستان",), ("كازاخ", "قازاق"), ("كازاخستان", "كازاخ", "قازاق")),
    ("أوزبكستان", (), ("أوزبك",), ("أوزبكستان", "أوزبك")),
    ("أذربيجان", (), (), ("أذربيجان",)),
    ("أرمينيا", (), ("أرمن",), ("أرمين", "أرمن")),
    ("فرنسا", (), (), ("فرنس",)),
    ("ألمانيا", (), ("ألمان",), ("ألمان",)),
    ("بريطانيا", (), (), ("بريطان",)),
    ("إيطاليا", (), (), ("إيطال",)),
    ("إسبانيا", (), ("إسبان",), ("إسبان",)),
    ("يونان", (), (), ("يونان",)),
    ("أوكرانيا", (), (), ("أوكران",)),
    ("بولندا", (), (), ("بولند",)),
    ("هولندا", (), (), ("هولند",)),
    ("سويد", (), (), ("سويد",)),
    ("سويسرا", (), (), ("سويسر",)),
    ("نمسا", (), (), ("نمساو",)),
    ("قبرص", (), (), ("قبرص",)),
    ("إثيوبيا", (), (), ("إثيوب",)),
    ("إريتريا", (), (), ("إريتر",)),
    ("تشاد", (), (), ("تشاد",)),
    ("نيجيريا", (), (), ("نيجير",)),
    ("كندا", (), (), ("كند",)),
    ("برازيل", (), (), ("برازيل",)),
    ("أرجنتين", (), (), ("أرجنتين",)),
    ("مكسيك", (), (), ("مكسيك",)),
    ("فنزويلا", (), (), ("فنزويل",)),
    ("كوريا", (), (), ("كور",)),
    ("إندونيسيا", (), (), ("إندونيس",)),
    ("ماليزيا", (), (), ("ماليز",)),
    ("بنغلاديش", (), (), ("بنغلاديش",)),
    ("أستراليا", (), (), ("أسترال",)),
)


def _build_countries() -> tuple[Country, ...]:
    countries = []
    for key, names, peoples, stems in _COUNTRY_ROWS:
        folded_key = normalise(key)
        countries.append(
            Country(
                key=folded_key,
                names=frozenset({folded_key, *(normalise(name) for name in names)}),
                peoples=frozenset(normalise(people) for people in peoples),
                nisba_stems=frozenset(normalise(stem) for stem in stems),
            )
        )
    return tuple(countries)


COUNTRIES: tuple[Country, ...] = _build_countries()

_KEY_BY_NAME: dict[str, str] = {name: c.key for c in COUNTRIES for name in c.names}
_KEY_BY_PEOPLE: dict[str, str] = {people: c.key for c in COUNTRIES for people in c.peoples}
_KEY_BY_NISBA_STEM: dict[str, str] = {stem: c.key for c in COUNTRIES for stem in c.nisba_stems}


def country_key(word: str, *, names_only: bool = False) -> str | None:
    """Return the country index term for a normalised, clitic-free word, or None.

    The word must name the country ("لبنان", "أميركا" → "امريكا"), or, unless `names_only`, be
    one of its peoples ("روس" → "روسيا") or one of its nisba stems followed by a nisba ending
    ("لبنانيين", "سوري", "تركية" → "لبنان", "سوريا", "تركيا"). The caller removes clitics in
    front and passes `names_only=True` when the clitic was a bare preposition (see `Country`).
    """
    key = _KEY_BY_NAME.get(word)
    if key is not None or names_only:
        return key
    key = _KEY_BY_PEOPLE.get(word)
    if key is not None:
        return key
    for suffix in NISBA_SUFFIXES:
        if word.endswith(suffix):
            key = _KEY_BY_NISBA_STEM.get(word[: -len(suffix)])
            if key is not None:
                return key
    return None


# Words the stemmer must not cut into. Mostly: words that start with a letter the stemmer would
# take for a clitic (و, ل after لل, ال), and words that end like a suffix (ان, ين, ون, ي, ه).
# Proper names that end like a suffix would only be cut consistently, but cutting them makes
# them collide with ordinary words (طهران → طهر "purity", ماكرون → ماكر "cunning").
_PROTECTED_WORDS = (
    # Countries that look affixed (also in COUNTRIES, which the stemmer consults first).
    "لبنان البحرين عمان تركيا سوريا ليبيا اليمن الكويت ايران اليابان المغرب السودان الاردن "
    "فلسطين مصر تونس "
    # Starting with waw.
    "وزير وزارة وكالة وكيل وثيقة ولاية وفاة وفد وقت وضع وطن وحدة وسيلة "
    "وظيفة وسط وسيط وساطة وصول وجود ورقة وقود وباء وعد وعود واقع واقعة وقف وادي والد "
    "والدة واشنطن وارسو ولي وفق ولادة وزن وعي وصية وديعة ورشة وراثة وئام "
    # Starting with lam, which "لل" would swallow (للجنة = ل + اللجنة).
    "لجنة لقاء لاعب لغة لحظة لون ليل لندن لقب لباس لائحة لواء ليرة لوحة "
    # Starting with alef-lam that is not the article.
    "الله الاف "
    # Ending like a suffix.
    "البرلمان قانون مليون مليار تلفزيون زيتون انسان ايمان رمضان عثمان سلمان سلطان شيطان "
    "ميدان عنوان حيوان بركان طيران امكان اعلان لسان قران كانون تشرين نيسان حزيران تعاون "
    "تعيين تامين تحسين تمكين تكوين "
    # Proper names ending like a suffix.
    "طهران عمان اردوغان ماكرون بوتين نتنياهو كرملين الكرملين سليمان عدنان"
)

PROTECTED: frozenset[str] = frozenset(normalise(word) for word in _PROTECTED_WORDS.split())
