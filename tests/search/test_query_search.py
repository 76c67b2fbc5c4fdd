"""The query language, as tables: what a reader types → clauses → engine query text."""

from __future__ import annotations

import pytest

from minbar.search.backends.postgres import (
    clause_tsquery,
    pairs_tsquery_text,
    quote_lexeme,
    term_pairs,
    tsquery_text,
)
from minbar.search.backends.sqlite import fts5_match, quote_term
from minbar.search.policy import MAX_CLAUSES
from minbar.search.query import Clause, Problem, Query, parse_query

W = Clause  # a word: Clause(("term",))


def P(*terms, prefix=False, negated=False):
    return Clause(tuple(terms), prefix=prefix, negated=negated)


PARSES = [
    # (typed, clauses)
    ("وزير", [P("وزير")]),
    ("الوزير والحكومة", [P("وزير"), P("حكومه")]),
    ("  وزير   وزير ", [P("وزير")]),  # repeated words count once
    ('"وزير الخارجية"', [P("وزير", "خارجي")]),
    ('"وزير"', [P("وزير")]),  # a one-word phrase is a word
    ("حكو*", [P("حكو", prefix=True)]),
    ("الحكو*", [P("حكو", prefix=True)]),  # the article comes off a prefix too
    ("حكو***", [P("حكو", prefix=True)]),
    ('"وزير الخار"*', [P("وزير", "خار", prefix=True)]),
    ("-وزير حكومة", [P("وزير", negated=True), P("حكومه")]),
    ('حكومة -"وزير الخارجية"', [P("حكومه"), P("وزير", "خارجي", negated=True)]),
    ("حكومة --وزير", [P("حكومه"), P("وزير", negated=True)]),
    ("حكومة - وزير", [P("حكومه"), P("وزير")]),  # a lone minus is punctuation
    ("حكومة-وزير", [P("حكومه", "وزير")]),  # joined by punctuation: a phrase
    ("2020-2024", [P("2020", "2024")]),
    ("٢٠٢٤", [P("2024")]),
    ("Minbar OR News", [P("minbar"), P("or"), P("news")]),  # operators are plain words
    ("NEAR(وزير", [P("near", "وزير")]),
    ("وزير AND NOT حكومة", [P("وزير"), P("and"), P("not"), P("حكومه")]),
    ('وزير "حكومة', [P("وزير"), P("حكومه")]),  # an unmatched quote is ignored
    ('"وزير" "', [P("وزير")]),
    ("a*b", [P("a", "b")]),  # a star inside a word is punctuation
    ("و*", [P("و")]),  # a prefix this short would match most words: a plain word
    ("حك*", [P("حك")]),
    ("title:وزير", [P("title", "وزير")]),  # no field syntax
    ("وزير^2", [P("وزير", "2")]),
    ("<script>alert(1)</script>", [P("script", "alert", "1", "script")]),
    ("'; DROP TABLE x; --", [P("drop"), P("table"), P("x")]),
]


@pytest.mark.parametrize(("typed", "clauses"), PARSES, ids=[p[0] for p in PARSES])
def test_reader_can_write_words_phrases_prefixes_and_exclusions(typed, clauses):
    query = parse_query(typed)
    assert query.problem is None
    assert list(query.clauses) == clauses


PROBLEMS = [
    ("", Problem.EMPTY),
    ("   \t\n", Problem.EMPTY),
    ("***", Problem.NO_WORDS),
    ('"', Problem.NO_WORDS),
    ('""', Problem.NO_WORDS),
    ("-", Problem.NO_WORDS),
    ("*", Problem.NO_WORDS),
    ("^", Problem.NO_WORDS),
    (":", Problem.NO_WORDS),
    ("NEAR(", None),  # a word, like any other
    ("؟!،.؛«»()[]{}", Problem.NO_WORDS),
    ("-وزير", Problem.ONLY_EXCLUSIONS),
    ('-"وزير الخارجية" -حكومة', Problem.ONLY_EXCLUSIONS),
    ("\u064e\u0640\u200f", Problem.NO_WORDS),  # harakat, tatweel and a mark only
]


@pytest.mark.parametrize(("typed", "problem"), PROBLEMS, ids=[repr(p[0]) for p in PROBLEMS])
def test_reader_cannot_search_for_nothing(typed, problem):
    query = parse_query(typed)
    assert query.problem == problem
    assert query.is_searchable is (problem is None)


def test_reader_cannot_make_a_query_of_unbounded_size():
    query = parse_query(" ".join(f"كلمة{i}" for i in range(MAX_CLAUSES + 5)))
    assert len(query.clauses) == MAX_CLAUSES
    assert query.dropped == 5


def test_protected_words_of_the_staff_reach_the_query():
    assert (
        parse_query("الفيلان").clauses
        != parse_query("الفيلان", extra_protected=frozenset({"فيلان"})).clauses
    )
    assert parse_query("الفيلان", extra_protected=frozenset({"فيلان"})).clauses == (P("فيلان"),)


def test_highlighting_uses_the_wanted_terms_not_the_excluded_ones():
    query = parse_query('وزير "مجلس الأمن" اقتص* -حكومة')
    assert query.highlight_terms() == {"وزير", "مجلس", "امن"}
    assert query.highlight_prefixes() == ("اقتص",)


FTS5 = [
    ("وزير", '"وزير"'),
    ("وزير حكومة", '"وزير" AND "حكومه"'),
    ('"وزير الخارجية"', '"وزير" + "خارجي"'),
    ("حكو*", '"حكو"*'),
    ('"وزير الخار"*', '"وزير" + "خار"*'),
    ("وزير -حكومة", '("وزير") NOT "حكومه"'),
    ('وزير -حكومة -"مجلس الأمن"', '("وزير") NOT "حكومه" NOT "مجلس" + "امن"'),
    ("OR AND NOT NEAR", '"or" AND "and" AND "not" AND "near"'),
]


@pytest.mark.parametrize(("typed", "match"), FTS5, ids=[f[0] for f in FTS5])
def test_fts5_match_is_built_from_quoted_terms_only(typed, match):
    assert fts5_match(parse_query(typed)) == match


TSQUERY = [
    ("وزير", (), "'وزير'"),
    ("وزير حكومة", (), "'وزير' & 'حكومه'"),
    ("حكو*", (), "'حكو':*"),
    ("وزير -حكومة", (), "'وزير' & !'حكومه'"),
    ('"وزير الخارجية"', (), "('وزير' <-> 'خارجي')"),
    ('"وزير الخار"*', (), "('وزير' <-> 'خار':*)"),
    (
        '"وزير الخارجية"',
        ("A", "B"),
        "(('وزير':A <-> 'خارجي':A) | ('وزير':B <-> 'خارجي':B))",
    ),
    ('-"وزير الخار"* مجلس', ("A",), "'مجلس' & !(('وزير':A <-> 'خار':*A))"),
]


@pytest.mark.parametrize(("typed", "labels", "text"), TSQUERY, ids=[t[0] for t in TSQUERY])
def test_tsquery_is_built_from_quoted_lexemes_only(typed, labels, text):
    assert tsquery_text(parse_query(typed), labels=labels) == text


@pytest.mark.parametrize("bad", ['a"b', "a b", "", "a'b", "a:*", "x\\", "a&b", "-"])
def test_engine_quoting_refuses_anything_but_an_index_term(bad):
    with pytest.raises(ValueError):
        quote_term(bad)
    with pytest.raises(ValueError):
        quote_lexeme(bad)


def test_engine_query_builders_refuse_a_query_with_nothing_to_look_for():
    for typed in ("", "***", "-وزير"):
        with pytest.raises(ValueError):
            fts5_match(parse_query(typed))
        with pytest.raises(ValueError):
            tsquery_text(parse_query(typed))


def test_a_phrase_is_kept_within_one_field_on_postgresql():
    clause = P("وزير", "خارجي")
    assert clause_tsquery(clause, labels=("A", "D")).count("<->") == 2
    assert isinstance(Query(clauses=(clause,)).positive[0], Clause)


PAIRS = [
    ("وزير", ""),
    ('"وزير الخارجية الأمريكي"', "('وزير خارجي' & 'خارجي امريكا')"),
    ('"وزير الخار"*', ""),  # the only pair ends in a prefix: nothing to look up
    ('"وزير الخارجية الجديد"*', "('وزير خارجي')"),
    ('-"وزير الخارجية" مجلس', ""),  # excluded phrases find no rows
    ('"وزير الخارجية" "مجلس الأمن"', "('وزير خارجي') & ('مجلس امن')"),
]


@pytest.mark.parametrize(("typed", "text"), PAIRS, ids=[p[0] for p in PAIRS])
def test_postgresql_looks_a_phrase_up_by_its_word_pairs(typed, text):
    assert pairs_tsquery_text(parse_query(typed)) == text


def test_word_pairs_never_span_two_fields():
    assert sorted(term_pairs("a b c", "c d")) == ["a b", "b c", "c d"]
