"""The indexer's fast path gives exactly the analyser's terms; keys sort by date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minbar.search import policy
from minbar.search.arabic.analyser import analyse_to_text
from minbar.search.terms import MAX_TERM_LENGTH, index_terms, shadow_text

AWKWARD = [
    "قال وزير الخارجية اللبناني إنّ الحكومةَ ستجتمع، غداً، مع المسؤولين.",
    "مُسْتَقْبَلٌ تعليـــقات ﺍﻟﻌﻘﻮﺑﺎﺕ ٢٠٢٤ ۱۲",
    "كلمة\u200bمخفية و\u200fعلامة\u00a0بعد مسافة",  # zero-width, RLM, no-break space
    "ﹰفتحتان منفصلة ﻻ ﷲ",  # presentation forms NFKC expands (to spaces, ligatures)
    "Hello, WORLD! straße ΣΊΣΥΦΟΣ e-mail don't",
    "(الحكومة)؛ «وزير» [لبنان]… 'تركيا'",
    "",
    "   ",
    "a" * 200 + " ب",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_fast_indexing_gives_the_analysers_terms(text):
    expected = " ".join(t[:MAX_TERM_LENGTH] for t in analyse_to_text(text).split())
    assert shadow_text(text) == expected


_ALPHABET = st.sampled_from(
    [
        *"ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة",
        *["\u064e", "\u064b", "\u0651", "\u0640", "\u200b", "\u200f", "\ufe8d", "\ufefb"],
        "\ufe70",
        *" \t\n\u00a0،.؛؟!-*\"'",
        *"٠١٢3aZ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_fast_indexing_matches_the_analyser_on_any_text(text):
    expected = " ".join(t[:MAX_TERM_LENGTH] for t in analyse_to_text(text).split())
    assert shadow_text(text) == expected


def test_indexing_stops_at_the_field_limit():
    assert index_terms("وزير " * 50, limit=7) == ["وزير"] * 7


def test_search_keys_sort_by_date_then_by_id():
    early = dt.datetime(2024, 7, 15, 10, 29, tzinfo=dt.UTC)
    later = early + dt.timedelta(seconds=1)
    assert policy.search_key(early, 999_999) < policy.search_key(later, 1)
    assert policy.search_key(early, 1) < policy.search_key(early, 2)
    assert policy.first_key_at(early) <= policy.search_key(early, 5) <= policy.last_key_at(early)
    assert policy.key_seconds(policy.search_key(early, 5)) == int(early.timestamp())
    assert policy.free_key(10, {10, 11}) == 12


def test_newer_documents_get_a_larger_freshness_boost():
    now = int(dt.datetime(2025, 1, 1, tzinfo=dt.UTC).timestamp())
    today = policy.freshness_boost(key=now << policy.KEY_SHIFT, now_seconds=now)
    old = policy.freshness_boost(key=(now - 365 * 86400) << policy.KEY_SHIFT, now_seconds=now)
    assert today == pytest.approx(1 + policy.FRESHNESS_WEIGHT)
    assert 1 < old < today
