"""The analyser's contract: terms for indexing and querying, and its invariants."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minbar.search.arabic import (
    ANALYSER_VERSION,
    analyse,
    analyse_to_text,
    find_words,
    fold_for_matching,
    fold_username,
    normalise,
    tokenise,
)

TERM = re.compile(r"[^\W_]+")

# Arabic letters, harakat, tatweel, Eastern digits, invisible characters, Arabic and Latin
# punctuation, presentation forms and a little Latin: the text readers actually paste.
ARABISH = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x0621, 0x064B)]
        + [chr(c) for c in range(0x064B, 0x0653)]
        + [chr(c) for c in range(0x0660, 0x066A)]
        + list("ٱکیڤگۀ\u0640\u200b\u200c\u200d\u200f\u061c\ufeff")
        + list("ﺍﻟﻌﻘﻮﺑﺎﺕﻻ")
        + list(" ،؛؟«».,:-_!'\"\n")
        + list("abcXYZ019")
    ),
    max_size=80,
)
ANY_TEXT = st.text(max_size=80)
PURE = settings(database=None, max_examples=300, deadline=None)


def test_analyser_version_is_a_positive_int() -> None:
    assert isinstance(ANALYSER_VERSION, int)
    assert ANALYSER_VERSION >= 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال الوزير: «العقوبات»، ثم؟", ["قال", "الوزير", "العقوبات", "ثم"]),
        ("مُسْتَقْبَلٌ  تعليـــقات", ["مستقبل", "تعليقات"]),
        ("عام ٢٠٢٤م", ["عام", "2024م"]),
        ("COVID-19 و snake_case", ["covid", "19", "و", "snake", "case"]),
        ("ك\u200bل\u200bب", ["كلب"]),
        ("ﺍﻟﻌﻘﻮﺑﺎﺕ", ["العقوبات"]),
        ("   ", []),
        ("", []),
    ],
)
def test_tokenise(text: str, expected: list[str]) -> None:
    assert tokenise(text) == expected


def test_analyse_turns_a_headline_into_terms() -> None:
    headline = "وزير الخارجية اللبناني: العقوبات على الحكومة السورية «غير مقبولة»"
    assert analyse(headline) == [
        "وزير",
        "خارجي",
        "لبنان",
        "عقوبه",
        "علي",
        "حكومه",
        "سوريا",
        "غير",
        "مقبول",
    ]


def test_analyse_to_text_joins_terms_with_single_spaces() -> None:
    assert analyse_to_text("  والعقوبات،،  على   لبنان ") == "عقوبه علي لبنان"
    assert analyse_to_text("") == ""


def test_latin_words_are_casefolded_not_stemmed() -> None:
    assert analyse("The Ministers RESIGNED") == ["the", "ministers", "resigned"]


@PURE
@given(ANY_TEXT)
def test_normalise_is_idempotent_on_any_text(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@PURE
@given(ARABISH)
def test_normalise_is_idempotent_on_arabic_text(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@PURE
@given(st.one_of(ANY_TEXT, ARABISH))
def test_the_other_folds_are_idempotent(text: str) -> None:
    assert fold_username(fold_username(text)) == fold_username(text)
    assert fold_for_matching(fold_for_matching(text)) == fold_for_matching(text)


@PURE
@given(st.one_of(ANY_TEXT, ARABISH))
def test_analyse_never_raises_and_yields_clean_terms(text: str) -> None:
    terms = analyse(text)
    assert len(terms) == len(tokenise(text))
    for term in terms:
        assert TERM.fullmatch(term), term
    # The shadow text survives an FTS tokeniser (split on non-alphanumerics) unchanged.
    assert TERM.findall(analyse_to_text(text)) == terms


@PURE
@given(st.one_of(ANY_TEXT, ARABISH))
def test_terms_are_already_normalised(text: str) -> None:
    # Stemming itself is one pass and not idempotent ("التعاوني" → "تعاون" → "تعا"): index and
    # query always analyse raw text, never terms. What must hold is that a term is a fixed
    # point of the normaliser and of tokenisation.
    for term in analyse(text):
        assert normalise(term) == term
        assert tokenise(term) == [term]


@PURE
@given(ARABISH)
def test_a_listed_word_always_finds_itself(word: str) -> None:
    if TERM.search(fold_for_matching(word)):
        assert find_words(word, words=[word]) == [word]
    else:
        assert find_words(word, words=[word]) == []
