"""The normaliser and its two folds, rule by rule (input, expected)."""

from __future__ import annotations

import pytest

from minbar.search.arabic import find_words, fold_for_matching, fold_username, normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Presentation forms (text pasted from a PDF) and ligatures.
        ("ﺍﻟﻌﻘﻮﺑﺎﺕ", "العقوبات"),
        ("ﻻ", "لا"),
        ("ﷲ", "الله"),
        # Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
        ("مُسْتَقْبَلٌ", "مستقبل"),
        ("كِتَابًا", "كتابا"),
        ("محمّد", "محمد"),
        ("هٰذا", "هذا"),
        ("الرَّحْمَٰنِ ۖ", "الرحمن "),
        ("قالۚ", "قال"),
        # Tatweel.
        ("تعليـــقات", "تعليقات"),
        # Invisible formatting characters.
        ("كل\u200bمة", "كلمة".replace("ة", "ه")),
        ("ب\u200cيت", "بيت"),
        ("ب\u200dيت", "بيت"),
        ("\u200fبيت\u200e", "بيت"),
        ("\u202bبيت\u202c", "بيت"),
        ("\u2067بيت\u2069", "بيت"),
        ("\ufeffبيت", "بيت"),
        ("ب\u061cيت", "بيت"),
        ("ب\u00adيت", "بيت"),
        # Alef forms.
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آراء", "اراء"),
        ("ٱلله", "الله"),
        # Hamza seats.
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),
        ("رئيس", "رءيس"),
        ("سماء", "سماء"),
        # Alef maqsura, ta marbuta.
        ("مستشفى", "مستشفي"),
        ("على", "علي"),
        ("مدرسة", "مدرسه"),
        # Persian/Urdu letters.
        ("کتاب", "كتاب"),
        ("فارسی", "فارسي"),
        ("ڤيروس", "فيروس"),
        ("گاز", "كاز"),
        # Digits.
        ("٢٠٢٤", "2024"),
        ("۲۰۲۴", "2024"),
        ("١٢٣٤٥٦٧٨٩٠", "1234567890"),
        # Latin casefold, and compatibility forms.
        ("Hello WORLD", "hello world"),
        ("Straße", "strasse"),
        ("ＡＢＣ", "abc"),
        ("ﬁle", "file"),
        # Spaces and punctuation are kept.
        ("قال: «نعم»، ثم؟ ولا؛ شيء!", "قال: «نعم»، ثم؟ ولا؛ شء!"),
        # Hamza spellings of one word (issue 16).
        ("شيء", "شء"),
        ("شئ", "شء"),
        ("شاطىء", "شاطء"),
        ("مائة", "مءه"),
        ("مئة", "مءه"),
        ("ثلاثمائة", "ثلاثمءه"),
        ("بمائتين", "بمءتين"),
        ("سماءه", "سماءه"),
        # Persian letters typed for Arabic ones.
        ("پاکستان", "باكستان"),
        ("چاي", "جاي"),
        ("مدرسۀ", "مدرسه"),
        ("a - b", "a - b"),
        ("", ""),
    ],
)
def test_normalise_folds(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text",
    ["ﺍﻟﻌﻘﻮﺑﺎﺕ", "مُسْتَقْبَلٌ", "e\u200b\u0301", "ا\u200bٔ", "Straße", "ＡＢＣ٣", ""],
)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ahmed", "ahmed"),
        ("AHMED", "ahmed"),
        ("احمـــد", "احمد"),
        ("أَحْمَد", "احمد"),
        ("کریم", "كريم"),
        ("علی", "علي"),
        ("user٢٠٢٤", "user2024"),
        ("user۲۰۲۴", "user2024"),
        ("ＡＨＭＥＤ", "ahmed"),
        ("اح\u200bمد", "احمد"),
        ("\u202eahmed", "ahmed"),
        # Alef, yeh and ta marbuta variants are one name (an impostor need only drop a hamza).
        ("أحمد", "احمد"),
        ("إيمان", "ايمان"),
        ("آمنة", "امنه"),
        ("ٱلمشرف", "المشرف"),
        ("منى", "مني"),
        # Separators: any run is one "_", none at either end.
        ("المشرف_", "المشرف"),
        ("أبو خالد", "ابو_خالد"),
        ("أبو__خالد", "ابو_خالد"),
        ("-abu.khalid-", "abu_khalid"),
        ("Abu - Khalid", "abu_khalid"),
        ("_​_", ""),
        # Lighter than normalise: these keep their shapes.
        ("مؤمن", "مؤمن"),
        ("گل", "گل"),
    ],
)
def test_fold_username(name: str, expected: str) -> None:
    assert fold_username(name) == expected


def test_fold_username_keeps_letters_that_readers_tell_apart() -> None:
    assert fold_username("مؤمن") != fold_username("مءمن")
    assert fold_username("abu_khalid") != fold_username("abukhalid")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ك ل ب", "كلب"),
        ("ك.ل.ب", "كلب"),
        ("ك-ل-ب", "كلب"),
        ("ك _ ل _ ب", "كلب"),
        ("ك...ل...ب", "كلب"),
        ("ك ، ل ، ب", "كلب"),
        ("أنت ك ل ب!", "انت كلب!"),
        ("f u c k", "fuck"),
        ("ك\u200bل\u200bب", "كلب"),
        # Single letters far apart, or a lone one, are left alone.
        ("ك      ل", "ك      ل"),
        ("ذهب و عاد", "ذهب و عاد"),
        ("كلب", "كلب"),
        # Stretched letters are not squeezed here (Arabic doubles letters legitimately).
        ("اللجنة", "اللجنه"),
    ],
)
def test_fold_for_matching(text: str, expected: str) -> None:
    assert fold_for_matching(text) == expected


WORDS = ["كلب", "حمار", "ابن كلب", "idiot", "سب"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("هذا كلب", ["كلب"]),
        # Obfuscations.
        ("هذا كَلْبٌ", ["كلب"]),
        ("هذا كـــلـــب", ["كلب"]),
        ("هذا ك\u200bل\u200dب", ["كلب"]),
        ("هذا ﻛﻠﺐ", ["كلب"]),
        ("هذا ك ل ب", ["كلب"]),
        ("هذا ك.ل.ب", ["كلب"]),
        ("هذا ك-ل-ب", ["كلب"]),
        ("هذا كلللللب", ["كلب"]),
        ("يا حمارْ", ["حمار"]),
        ("يا ابن الكلب", ["كلب"]),
        ("يا ابن كلب", ["كلب", "ابن كلب"]),
        ("IDIOT!", ["idiot"]),
        ("i.d.i.o.t", ["idiot"]),
        # Arabic punctuation is a boundary.
        ("قال:«كلب»", ["كلب"]),
        ("كلب، وحمار؛", ["كلب", "حمار"]),
        ("أهذا كلب؟", ["كلب"]),
        # Attached prefixes.
        ("والكلب", ["كلب"]),
        ("بالكلب", ["كلب"]),
        ("للكلب", ["كلب"]),
        ("وكلب", ["كلب"]),
        ("فالحمار", ["حمار"]),
        # Embedded in a longer innocent word: no match.
        ("كلبش", []),
        ("الكلبية", []),
        ("حمارة", []),
        ("idiots", []),
        ("سبب", []),
        ("السبت", []),
        ("", []),
    ],
)
def test_find_words(text: str, expected: list[str]) -> None:
    assert find_words(text, words=WORDS) == expected


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("أحمق", "احمق"),
        ("احمق", "أَحْمَق"),
        ("غبى", "غبي"),
        ("غبي", "غبى"),
        ("تافهة", "تافهه"),
        ("تافهه", "تافهة"),
        ("ﻛﻠﺐ", "كلب"),
        ("کلب", "كلب"),
        ("كلب", "کلب"),
        ("حقیر", "حقير"),
        ("سُؤال", "سئال"),
    ],
)
def test_find_words_folds_the_word_list_too(entry: str, text: str) -> None:
    assert find_words(text, words=[entry]) == [entry]


def test_find_words_returns_each_entry_once_in_list_order() -> None:
    assert find_words("حمار كلب حمار", words=["كلب", "حمار", "كلب", " ", ""]) == ["كلب", "حمار"]
