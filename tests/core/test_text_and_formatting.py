"""Pure rules of core: user-text hygiene, Markdown subsets, signed scores, plural headings."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from minbar.core.formatting import comments_heading, format_score
from minbar.core.text import clean_user_text, read_rendered, render_comment_markdown

PDI = "\u2069"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("نص عادي", "نص عادي"),
        ("سطر\r\nسطر", "سطر\nسطر"),
        ("قبل\u202eبعد", "قبلبعد"),  # right-to-left override removed
        ("\u202a\u202b\u202c\u202d\u202e", ""),  # every embedding/override control removed
        ("جرس\x07 وهروب\x1b", "جرس وهروب"),  # C0 controls removed
        ("عزل \u2067مفتوح", "عزل \u2067مفتوح" + PDI),  # an open isolate is closed at the end
        ("إغلاق بلا فتح" + PDI, "إغلاق بلا فتح"),  # a stray closing isolate is dropped
        ("\u2066a" + PDI + PDI, "\u2066a" + PDI),
        ("تبويب\tباق", "تبويب\tباق"),
    ],
)
def test_user_text_is_cleaned_before_it_is_stored(raw, stored):
    assert clean_user_text(raw) == stored


@given(st.text())
def test_isolates_are_always_balanced_and_no_override_survives(text):
    cleaned = clean_user_text(text)
    depth = 0
    for char in cleaned:
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == PDI:
            depth -= 1
        assert depth >= 0
        assert char not in "\u202a\u202b\u202c\u202d\u202e"
    assert depth == 0


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("**عريض** و*مائل*", "<p><strong>عريض</strong> و<em>مائل</em></p>\n"),
        ("> اقتباس", "<blockquote>\n<p>اقتباس</p>\n</blockquote>\n"),
        ("- أ\n- ب", "<ul>\n<li>أ</li>\n<li>ب</li>\n</ul>\n"),
        ("`رمز`", "<p><code>رمز</code></p>\n"),
        ("# عنوان", "<p># عنوان</p>\n"),  # headings are not part of the comment subset
        ("<b>وسم</b>", "<p>&lt;b&gt;وسم&lt;/b&gt;</p>\n"),
        (
            "[موقع](https://example.org)",
            '<p><a href="https://example.org" rel="nofollow ugc noopener">موقع</a></p>\n',
        ),
        ("[خطر](javascript:alert(1))", "<p>[خطر](javascript:alert(1))</p>\n"),
        (  # no images in comments: the picture becomes a plain, nofollow link
            "![صورة](https://example.org/x.png)",
            '<p>!<a href="https://example.org/x.png" rel="nofollow ugc noopener">صورة</a></p>\n',
        ),
    ],
)
def test_comment_markdown_is_the_safe_subset(markdown, html):
    assert render_comment_markdown(markdown) == html


@pytest.mark.parametrize(("score", "shown"), [(2, "+2"), (0, "0"), (-2, "\u22122"), (15, "+15")])
def test_scores_show_their_sign_in_front(score, shown, settings):
    settings.MINBAR_ARABIC_DIGITS = False
    assert format_score(score) == shown


@pytest.mark.parametrize(
    ("count", "arabic", "english"),
    [
        (0, "لا تعليقات", "No comments"),
        (1, "تعليق واحد", "1 comment"),
        (2, "تعليقان", "2 comments"),
        (5, "5 تعليقات", "5 comments"),
        (11, "11 تعليقًا", "11 comments"),
        (100, "100 تعليق", "100 comments"),
        (101, "101 تعليق", "101 comments"),
        (105, "105 تعليقات", "105 comments"),
        (199, "199 تعليقًا", "199 comments"),
        (1000, "1000 تعليق", "1000 comments"),
    ],
)
def test_the_comments_heading_uses_the_right_plural(count, arabic, english, settings):
    settings.MINBAR_ARABIC_DIGITS = False
    with translation.override("ar"):
        assert comments_heading(count) == arabic
    with translation.override("en"):
        assert comments_heading(count) == english


def test_arabic_indic_digits_are_a_site_setting(settings):
    settings.MINBAR_ARABIC_DIGITS = True
    with translation.override("ar"):
        assert comments_heading(12) == "١٢ تعليقًا"
        assert format_score(-3) == "\u2212٣"
    with translation.override("en"):
        assert comments_heading(12) == "12 comments"


@pytest.mark.parametrize(
    ("markdown", "text", "outside", "hrefs"),
    [
        ("sc&#97;mcoin", "scamcoin", "scamcoin", ()),
        ("sc*am*coin and s**cam**coin", "scamcoin and scamcoin", "scamcoin and scamcoin", ()),
        ("sc`am`coin", "scamcoin", "scamcoin", ()),
        ("scam\n\ncoin", "scam\ncoin", "scam\ncoin", ()),
        ("- a\n- b", "a\nb", "a\nb", ()),
        ("[x](//evil.example)", "x", "", ("//evil.example",)),
        ("[x](&#104;ttp://evil.example)", "x", "", ("http://evil.example",)),
        ("<https://a.example>", "https://a.example", "", ("https://a.example",)),
        ("[a][r]\n\n[r]: https://ref.example", "a", "", ("https://ref.example",)),
        ("[x](https://a.example/%D9%83%D9%84%D8%A8)", "x", "", ("https://a.example/كلب",)),
        ("&#104;ttp://a.example", "http://a.example", "http://a.example", ()),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))", "[x](javascript:alert(1))", ()),
    ],
)
def test_a_rendered_comment_is_read_as_a_reader_sees_it(markdown, text, outside, hrefs):
    reading = read_rendered(render_comment_markdown(markdown))
    assert (reading.text, reading.text_outside_links, reading.hrefs) == (text, outside, hrefs)
