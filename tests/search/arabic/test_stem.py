"""The light stemmer, rule by rule (word, expected term). Words are raw; `analyse` normalises."""

from __future__ import annotations

import pytest

from minbar.search.arabic import analyse, normalise, stem
from minbar.search.arabic.lexicon import COUNTRIES, PROTECTED, country_key
from minbar.search.arabic.stem import MIN_STEM, light_stem


def term(word: str, **kwargs: frozenset[str]) -> str:
    [only] = analyse(word, **kwargs)
    return only


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Article and compound prefixes.
        ("المستقبل", "مستقبل"),
        ("والعقوبات", "عقوب"),
        ("بالتأكيد", "تاكيد"),
        ("كالعادة", "عاد"),
        ("فالحكومة", "حكوم"),
        ("للمنشور", "منشور"),
        ("وللمنشور", "منشور"),
        ("وبالتالي", "تال"),
        ("فبالتالي", "تال"),
        ("وكالعادة", "عاد"),
        # Bare conjunction waw, only when three letters remain.
        ("والحرب", "حرب"),
        ("ونفط", "نفط"),
        ("وقال", "قال"),
        ("وفي", "وفي"),
        # The longest prefix present decides; if too little remains, nothing goes.
        ("والده", "والده"),
        # Bare ب ك ل ف are not stripped without a dictionary.
        ("بيان", "بيان"),
        ("فريق", "فريق"),
        ("لاعب", "لاعب"),
        ("كتاب", "كتاب"),
        # Pronoun suffixes.
        ("كتابها", "كتاب"),
        ("كتابهم", "كتاب"),
        ("كتابهما", "كتاب"),
        ("كتابه", "كتاب"),
        # Ta marbuta (ه after normalise) and ta marbuta written ta before a pronoun.
        ("عقوبة", "عقوب"),
        ("حكومة", "حكوم"),
        ("حكومتها", "حكوم"),
        ("حكومتهم", "حكوم"),
        ("حكومته", "حكوم"),
        ("بيتها", "بيت"),
        # -at plural versus ta marbuta singular.
        ("العقوبات", "عقوب"),
        ("حكوماتها", "حكوم"),
        ("منشورات", "منشور"),
        ("تعليقات", "تعليق"),
        # -at where the stem would be too short: the ت is a ta marbuta after alef.
        ("حياة", "حيا"),
        ("حياتها", "حيا"),
        ("القوات", "قوا"),
        ("قواتها", "قوا"),
        # Sound plurals and duals.
        ("المسلمين", "مسلم"),
        ("مسلمون", "مسلم"),
        ("الطرفان", "طرف"),
        ("حكومتين", "حكوم"),
        ("ثابتين", "ثابت"),
        # Nisba endings.
        ("الاقتصادي", "اقتصاد"),
        ("الاقتصادية", "اقتصاد"),
        ("الاقتصاديون", "اقتصاد"),
        ("الاقتصاديين", "اقتصاد"),
        ("اقتصاديات", "اقتصاد"),
        ("اتفاقيتين", "اتفاق"),
        ("اتفاقية", "اتفاق"),
        # A nisba or -at plural on a word ending like a plural meets that word.
        ("استيطان", "استيط"),
        ("الاستيطانية", "استيط"),
        ("الاستيطانيين", "استيط"),
        ("الفيضانات", "فيض"),
        ("فيضان", "فيض"),
        ("ميزانيات", "ميز"),
        ("الميزانية", "ميز"),
        ("الالكتروني", "الكتر"),
        ("بيانات", "بيان"),
        ("الثاني", "ثان"),
        ("اليميني", "يمين"),
        # Names built on "الله".
        ("عبدالله", "عبدالله"),
        ("نصرالله", "نصرالله"),
        ("والله", "الله"),
        # Article compounds need two letters after them.
        ("والدم", "دم"),
        ("الدم", "دم"),
        ("والي", "وال"),
        ("الوالي", "وال"),
        # Minimum stem length.
        ("مكان", "مكان"),
        ("سجين", "سجين"),
        ("بيت", "بيت"),
        ("راي", "راي"),
        ("غزة", "غزه"),
        ("عم", "عم"),
        ("لبن", "لبن"),
        ("ترك", "ترك"),
        ("البحر", "بحر"),
        # Root conflation is not attempted.
        ("مكتبة", "مكتب"),
        ("كاتب", "كاتب"),
    ],
)
def test_stem_rules(word: str, expected: str) -> None:
    assert term(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # A word whose first letter is waw keeps it, and its inflections map to it.
        ("وزير", "وزير"),
        ("الوزير", "وزير"),
        ("وللوزير", "وزير"),
        ("وزيرة", "وزير"),
        ("وزارة", "وزاره"),
        ("الوزارات", "وزاره"),
        ("وزارتها", "وزاره"),
        ("والوزارة", "وزاره"),
        ("وحدة", "وحده"),
        ("الوحدة", "وحده"),
        ("وحدات", "وحده"),
        ("وفاته", "وفاه"),
        ("الولايات", "ولايه"),
        ("واشنطن", "واشنطن"),
        ("بواشنطن", "واشنطن"),
        # لل would swallow the lam of a lam-initial word.
        ("للجنة", "لجنه"),
        ("اللجنة", "لجنه"),
        ("لجنتها", "لجنه"),
        ("للغة", "لغه"),
        ("بلغ", "بلغ"),
        # Alef-lam that is not the article.
        ("الله", "الله"),
        ("بالله", "الله"),
        ("آلاف", "الاف"),
        ("الآلاف", "الاف"),
        # Words ending like a suffix.
        ("البرلمان", "برلمان"),
        ("البرلمانية", "برلمان"),
        ("برلمانات", "برلمان"),
        ("القانون", "قانون"),
        ("قانونية", "قانون"),
        ("مليون", "مليون"),
        ("طهران", "طهران"),
        ("ماكرون", "ماكرون"),
        ("الكرملين", "كرملين"),
        ("التعاون", "تعاون"),
        ("التعاونية", "تعاون"),
        ("تعيينات", "تعيين"),
        ("الوالدين", "والد"),
    ],
)
def test_protected_words(word: str, expected: str) -> None:
    assert term(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("كازاخستان", "كازاخستان"),
        ("الكازاخستانيين", "كازاخستان"),
        ("الكازاخ", "كازاخستان"),
        ("لبنان", "لبنان"),
        ("اللبنانيين", "لبنان"),
        ("للبنانيين", "لبنان"),
        ("بلبنان", "لبنان"),
        ("لبنانية", "لبنان"),
        ("سوريا", "سوريا"),
        ("سورية", "سوريا"),
        ("والسوريين", "سوريا"),
        ("تركيا", "تركيا"),
        ("التركية", "تركيا"),
        ("الأتراك", "تركيا"),
        ("تركي", "تركيا"),
        ("أمريكا", "امريكا"),
        ("أميركا", "امريكا"),
        ("الأميركيون", "امريكا"),
        ("الأمريكيين", "امريكا"),
        ("البحرين", "بحرين"),
        ("البحرينية", "بحرين"),
        ("اليمن", "يمن"),
        ("اليمنيون", "يمن"),
        ("الأردن", "اردن"),
        ("الأردني", "اردن"),
        ("العراق", "عراق"),
        ("العراقيين", "عراق"),
        ("مصر", "مصر"),
        ("بمصر", "مصر"),
        ("المصرية", "مصر"),
        ("الجزائر", "جزاءر"),
        ("الجزائريين", "جزاءر"),
        ("إسرائيل", "اسراءيل"),
        ("الإسرائيلي", "اسراءيل"),
        ("روسيا", "روسيا"),
        ("الروس", "روسيا"),
        ("الروسية", "روسيا"),
        ("ألمانيا", "المانيا"),
        ("الألمان", "المانيا"),
        ("الألمانية", "المانيا"),
        ("عمان", "عمان"),
        ("العماني", "عمان"),
        # Not a country.
        ("فروسية", "فروس"),
        ("بروس", "بروس"),
        ("سور", "سور"),
        ("اليمين", "يمين"),
    ],
)
def test_countries_and_nationalities_share_a_key(word: str, expected: str) -> None:
    assert term(word) == expected


def test_country_table_is_large_and_unambiguous() -> None:
    assert len(COUNTRIES) >= 40
    names = [name for country in COUNTRIES for name in country.names]
    assert len(names) == len(set(names))
    for country in COUNTRIES:
        assert country.key.isalpha()
        assert country_key(country.key) == country.key
        assert stem(country.key) == country.key


def test_protected_words_are_normalised_single_words() -> None:
    for word in PROTECTED:
        assert word == normalise(word)
        assert word.isalpha()


def test_extra_protected_words_are_kept_whole() -> None:
    assert term("سلطنة") == "سلطن"
    extra = frozenset({"سلطنة", "البنتاغون"})
    assert term("سلطنة", extra_protected=extra) == "سلطنه"
    assert term("والسلطنة", extra_protected=extra) == "سلطنه"
    assert term("البنتاغون", extra_protected=extra) == "بنتاغون"
    assert term("بنتاغون", extra_protected=extra) == "بنتاغون"
    assert term("للبنتاغون", extra_protected=extra) == "بنتاغون"
    # An extra word can shadow a country reading.
    assert term("تركي") == "تركيا"
    assert term("تركي", extra_protected=frozenset({"تركي"})) == "تركي"


@pytest.mark.parametrize(
    "word", ["بيتها", "قوات", "مكان", "سجين", "لله", "كتبه", "راي", "عمان", "دولتين", "بنات"]
)
def test_suffix_rules_never_leave_less_than_three_letters(word: str) -> None:
    assert len(light_stem(normalise(word))) >= min(MIN_STEM, len(normalise(word)))


@pytest.mark.parametrize("word", ["والده", "الاب", "بالغ", "وفي", "الم", "للم"])
def test_prefix_rules_never_leave_less_than_two_letters(word: str) -> None:
    assert len(light_stem(normalise(word))) >= 2


@pytest.mark.parametrize("word", ["hello", "Hello", "2024", "covid19", "كوفيد19", "x"])
def test_non_arabic_words_are_not_stemmed(word: str) -> None:
    assert term(word) == normalise(word)
