"""The stemmer, rule by rule (word, expected term). Words are raw; `analyse` normalises."""

from __future__ import annotations

import pytest

from minbar.search.arabic import analyse, normalise, stem
from minbar.search.arabic.lexicon import COUNTRIES, PROTECTED, country_key
from minbar.search.arabic.stem import MIN_STEM, dictionary_stem, unknown_stem


def term(word: str, **kwargs: frozenset[str]) -> str:
    [only] = analyse(word, **kwargs)
    return only


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Article and compound prefixes.
        ("المستقبل", "مستقبل"),
        ("والعقوبات", "عقوبه"),
        ("بالتأكيد", "تاكيد"),
        ("كالعادة", "عاده"),
        ("فالحكومة", "حكومه"),
        ("للمنشور", "منشور"),
        ("وللمنشور", "منشور"),
        ("والحرب", "حرب"),
        ("الوطن", "وطن"),
        ("بالولد", "ولد"),
        # A bare clitic comes off only when the dictionary knows what is left.
        ("ونفط", "نفط"),
        ("وقال", "قال"),
        ("بمدينتنا", "مدينه"),
        ("وفي", "وفي"),
        # A word the dictionary lists stays whole, whatever it starts or ends with.
        ("وطن", "وطن"),
        ("ولد", "ولد"),
        ("والده", "والده"),
        ("والي", "والي"),
        ("بيان", "بيان"),
        ("فريق", "فريق"),
        ("لاعب", "لاعب"),
        ("كتاب", "كتاب"),
        ("بيت", "بيت"),
        ("ترك", "ترك"),
        ("ثلاثين", "ثلاثين"),
        ("زيتون", "زيتون"),
        ("جامعة", "جامعه"),
        ("حماة", "حماه"),
        ("حماية", "حمايه"),
        ("مكتبة", "مكتبه"),
        # Pronouns, and ta marbuta written ta before them.
        ("كتابهم", "كتاب"),
        ("كتابك", "كتاب"),
        ("حكومتها", "حكومه"),
        ("حكومتهم", "حكومه"),
        ("حكومته", "حكومه"),
        ("بيتها", "بيت"),
        ("حياتها", "حياه"),
        ("مستشفاهم", "مستشفي"),
        # -at plurals meet their singular, with its ta marbuta when it has one.
        ("العقوبات", "عقوبه"),
        ("حكوماتها", "حكومه"),
        ("منشورات", "منشور"),
        ("تعليقات", "تعليق"),
        ("الفيضانات", "فيضان"),
        ("بيانات", "بيان"),
        # Sound plurals, duals (the feminine dual too), construct forms.
        ("المسلمين", "مسلم"),
        ("مسلمون", "مسلم"),
        ("الطرفان", "طرف"),
        ("حكومتين", "حكومه"),
        ("الحكومتين", "حكومه"),
        ("ثابتين", "ثابت"),
        ("مهندسو", "مهندس"),
        ("وزيرا", "وزير"),
        # Nisba adjectives: masculine, feminine and plurals meet.
        ("الاقتصادي", "اقتصادي"),
        ("الاقتصادية", "اقتصادي"),
        ("الاقتصاديين", "اقتصادي"),
        ("المدنيين", "مدني"),
        ("الاستيطانية", "استيطان"),
        # Broken plurals become their singular, from the dictionary.
        ("المدن", "مدينه"),
        ("الوزراء", "وزير"),
        ("الرؤساء", "رءيس"),
        ("الأحزاب", "حزب"),
        ("الشعوب", "شعب"),
        # Verbs: subject endings and object pronouns; weak verbs get their last letter back.
        ("قالوا", "قال"),
        ("قالت", "قال"),
        ("رفضوا", "رفض"),
        ("استقبله", "استقبل"),
        ("دعت", "دعا"),
        ("نفت", "نفي"),
        # A weak verb's past is not its jussive plus ت (التقِ + ت).
        ("التقت", "التقي"),
        ("التقى", "التقي"),
        # ت before a pronoun is the verb's when the ة noun it would make takes no dual.
        ("رفضته", "رفض"),
        ("مدرستها", "مدرسه"),
        ("أدويتها", "ادويه"),
        ("أجهزتها", "جهاز"),
        # ؤ typed as و is read as ؤ when that makes a word.
        ("مسوول", "مسءول"),
        # Names built on "الله".
        ("عبدالله", "عبدالله"),
        ("نصرالله", "نصرالله"),
        ("والله", "الله"),
        # Words the dictionary does not know keep their endings; only the article goes.
        ("بوتين", "بوتين"),
        ("ترامب", "ترامب"),
        ("لترامب", "لترامب"),
        ("التغريدات", "تغريد"),
        # Short words.
        ("الدم", "دم"),
        ("عم", "عم"),
        ("طن", "طن"),
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
        ("فروسية", "فروسيه"),
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
    assert term("تغريدة") == "تغريد"
    extra = frozenset({"تغريدة", "البنتاغون"})
    assert term("تغريدة", extra_protected=extra) == "تغريده"
    assert term("والتغريدة", extra_protected=extra) == "تغريده"
    assert term("البنتاغون", extra_protected=extra) == "بنتاغون"
    assert term("بنتاغون", extra_protected=extra) == "بنتاغون"
    assert term("للبنتاغون", extra_protected=extra) == "بنتاغون"
    # An extra word can shadow a country reading.
    assert term("تركي") == "تركيا"
    assert term("تركي", extra_protected=frozenset({"تركي"})) == "تركي"


@pytest.mark.parametrize(
    "word", ["بيتها", "قوات", "مكان", "سجين", "لله", "كتبه", "راي", "دولتين", "بنات", "بوتين"]
)
def test_unknown_words_keep_three_letters(word: str) -> None:
    assert len(unknown_stem(normalise(word))) >= min(MIN_STEM, len(normalise(word)))


@pytest.mark.parametrize("word", ["والده", "الاب", "بالغ", "وفي", "الم", "للم", "بروس", "لحم"])
def test_dictionary_readings_never_leave_less_than_two_letters(word: str) -> None:
    found = dictionary_stem(normalise(word))
    assert found is None or len(found) >= 2


def test_a_bare_letter_in_front_is_not_taken_for_a_country_clitic() -> None:
    assert term("بروس") != "روسيا"
    assert term("فروسية") != "روسيا"


@pytest.mark.parametrize("word", ["hello", "Hello", "2024", "covid19", "كوفيد19", "x"])
def test_non_arabic_words_are_not_stemmed(word: str) -> None:
    assert term(word) == normalise(word)
