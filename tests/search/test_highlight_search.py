"""Snippets mark the reader's words and can never carry markup from the text."""

from __future__ import annotations

from minbar.search.highlight import Marker, best_snippet, highlight, snippet
from minbar.search.query import parse_query


def marker_for(typed: str) -> Marker:
    query = parse_query(typed)
    return Marker(terms=query.highlight_terms(), prefixes=query.highlight_prefixes())


def test_reader_can_see_their_words_marked_in_every_spelling():
    html = highlight("قال الوزيرُ إن وزارة ووزيرها والوزير", marker=marker_for("وزير"))
    assert html == "قال <mark>الوزيرُ</mark> إن وزارة <mark>ووزيرها</mark> <mark>والوزير</mark>"


def test_reader_can_see_prefix_matches_marked():
    assert highlight("الاقتصاد والاقتصادية", marker=marker_for("اقتص*")) == (
        "<mark>الاقتصاد</mark> <mark>والاقتصادية</mark>"
    )


def test_text_is_escaped_before_anything_is_marked():
    text = '<script>alert("وزير")</script> & <b>وزير</b>'
    html = highlight(text, marker=marker_for("وزير"))
    assert "<script>" not in html and "<b>" not in html
    assert html == (
        "&lt;script&gt;alert(&quot;<mark>وزير</mark>&quot;)&lt;/script&gt; &amp; "
        "&lt;b&gt;<mark>وزير</mark>&lt;/b&gt;"
    )


def test_a_search_for_markup_marks_only_escaped_words():
    html = highlight("<mark>x</mark> script", marker=marker_for("<mark>script</mark>"))
    assert html == "&lt;<mark>mark</mark>&gt;x&lt;/<mark>mark</mark>&gt; <mark>script</mark>"


def test_snippet_shows_the_words_around_the_matches():
    words = [f"كلمة{i}" for i in range(100)]
    words[60] = "الوزير"
    html = snippet(" ".join(words), marker=marker_for("وزير"), size=10)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>الوزير</mark>" in html
    assert "كلمة56" in html and "كلمة0 " not in html


def test_snippet_falls_back_to_the_first_text_when_nothing_matches():
    html = best_snippet(["", "أول النص", "وزير"], marker=marker_for("وزير"))
    assert html == "<mark>وزير</mark>"
    assert best_snippet(["نص بلا تطابق"], marker=marker_for("حكومة")) == "نص بلا تطابق"
