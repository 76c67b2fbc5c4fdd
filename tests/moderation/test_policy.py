"""The pure rules of moderation, as tables of (input, expected)."""

from __future__ import annotations

import datetime as dt

import pytest

from minbar.moderation import policy
from minbar.moderation.policy import Rate

UTC = dt.UTC
PROXIES = policy.parse_networks(("10.0.0.0/8", "192.0.2.1", "::1"))


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Not from a proxy: the header is the client's own writing and is ignored.
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),
        ("203.0.113.9", "", "203.0.113.9"),
        # From a trusted proxy: the first untrusted hop from the right is the client.
        ("10.0.0.5", "198.51.100.7", "198.51.100.7"),
        ("192.0.2.1", "198.51.100.7", "198.51.100.7"),
        ("::1", "2001:db8::5", "2001:db8::5"),
        # A forged hop left of the real client changes nothing.
        ("10.0.0.5", "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        # Two trusted proxies in a row are both skipped.
        ("10.0.0.5", "198.51.100.7, 10.1.2.3", "198.51.100.7"),
        # Only trusted proxies: the leftmost is as close as we can see.
        ("10.0.0.5", "10.9.9.9, 10.1.2.3", "10.9.9.9"),
        # Garbage where the client should be: fall back to the connecting address.
        ("10.0.0.5", "not-an-ip", "10.0.0.5"),
        ("10.0.0.5", "198.51.100.7, junk", "10.0.0.5"),
        # A proxy that sends nothing: the proxy's own address.
        ("10.0.0.5", "   ", "10.0.0.5"),
    ],
)
def test_client_ip_is_read_from_forwarded_for_only_behind_a_trusted_proxy(
    remote, forwarded, expected
):
    assert (
        policy.client_ip(remote_addr=remote, forwarded_for=forwarded, trusted=PROXIES) == expected
    )


def test_no_trusted_proxy_means_forwarded_for_is_never_read():
    assert policy.client_ip(remote_addr="10.0.0.5", forwarded_for="1.2.3.4", trusted=()) == (
        "10.0.0.5"
    )


def test_a_typo_in_the_trusted_proxies_is_an_error_not_silence():
    with pytest.raises(ValueError):
        policy.parse_networks(("10.0.0.300",))


@pytest.mark.parametrize(
    ("spec", "rates"),
    [
        ("1/5s", (Rate(1, 5),)),
        ("2/1s,200/1d", (Rate(2, 1), Rate(200, 86400))),
        ("10/10m", (Rate(10, 600),)),
        (" 3 / h ", (Rate(3, 3600),)),
        ("", ()),
    ],
)
def test_rates_are_parsed(spec, rates):
    assert policy.parse_rates(spec) == rates


@pytest.mark.parametrize("spec", ["5", "0/1s", "1/0s", "1/5x", "a/1s", "1/5s,,x"])
def test_bad_rates_are_refused(spec):
    with pytest.raises(ValueError):
        policy.parse_rates(spec)


@pytest.mark.parametrize(
    ("now", "seconds", "anchor", "expected"),
    [
        (0.0, 5, 0.0, (0, 5)),
        (4.2, 5, 0.0, (0, 1)),
        (5.0, 5, 0.0, (1, 5)),
        (86399.5, 86400, 0.0, (0, 1)),
        (1000.0, 86400, 900.0, (0, 86300)),
    ],
)
def test_fixed_windows_and_the_wait_until_the_next(now, seconds, anchor, expected):
    assert policy.window_of(now=now, seconds=seconds, anchor=anchor) == expected


PUBLISHED = dt.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days", "now", "closed"),
    [
        (None, PUBLISHED + dt.timedelta(days=400), False),
        (3, PUBLISHED + dt.timedelta(days=2, hours=23), False),
        (3, PUBLISHED + dt.timedelta(days=3), True),
        (3, PUBLISHED + dt.timedelta(days=30), True),
        (1, PUBLISHED, False),
    ],
)
def test_comments_close_automatically_n_days_after_publication(days, now, closed):
    assert policy.auto_closed(published_at=PUBLISHED, now=now, days=days) is closed
    assert policy.comments_open(
        flag=True, published_at=PUBLISHED, now=now, auto_close_days=days
    ) is (not closed)


def test_a_closed_article_stays_closed_whatever_the_rule():
    assert not policy.comments_open(
        flag=False, published_at=PUBLISHED, now=PUBLISHED, auto_close_days=None
    )


@pytest.mark.parametrize(
    ("site", "article", "expected"),
    [
        ("off", None, "off"),
        ("all", None, "all"),
        ("all", "off", "off"),
        ("off", "new", "new"),
        ("new", "", "new"),
        ("bogus", None, "off"),
    ],
)
def test_an_article_overrides_the_site_premoderation(site, article, expected):
    assert policy.effective_mode(site_mode=site, article_mode=article) == expected


@pytest.mark.parametrize(
    ("mode", "is_new", "links", "suspect", "reasons"),
    [
        ("off", True, 0, [], ()),
        ("off", False, 9, [], ()),
        ("off", True, 2, [], ()),
        ("off", True, 3, [], ("links",)),
        ("new", True, 0, [], ("new-reader",)),
        ("new", False, 0, [], ()),
        ("all", False, 0, [], ("premoderation",)),
        ("off", False, 0, ["تافه"], ("suspect-words",)),
    ],
)
def test_which_comments_wait_for_a_moderator(mode, is_new, links, suspect, reasons):
    hold = policy.initial_hold(
        mode=mode, is_new=is_new, links=links, max_links_for_new=2, suspect_words=suspect
    )
    assert hold.reasons == reasons
    assert hold.held is bool(reasons)


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("لا روابط هنا", 0),
        ("انظر https://a.example و http://b.example", 2),
        ("[هنا](https://a.example) و www.b.example و HTTPS://C.EXAMPLE", 3),
        ("بريد name@example.org ليس رابطًا", 0),
    ],
)
def test_links_are_counted(text, links):
    assert policy.count_links(text) == links


@pytest.mark.parametrize(
    ("hrefs", "outside", "links"),
    [
        ((), "لا روابط", 0),
        (("//a.example", "http://b.example"), "", 2),
        (("https://a.example",), "و www.b.example و ftp://c.example", 3),
    ],
)
def test_shown_links_are_the_link_elements_and_the_addresses_in_the_text(hrefs, outside, links):
    assert policy.count_shown_links(hrefs=hrefs, text_outside_links=outside) == links


NOW = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("age", "verified", "role", "established"),
    [
        (dt.timedelta(minutes=1), False, False, False),
        (dt.timedelta(days=30), False, False, False),
        (dt.timedelta(days=3) - dt.timedelta(seconds=1), True, False, False),
        (dt.timedelta(days=3), True, False, True),
        (dt.timedelta(days=400), True, False, True),
        (dt.timedelta(minutes=1), False, True, True),
    ],
)
def test_a_reader_is_established_when_three_days_old_with_a_verified_address(
    age, verified, role, established
):
    assert (
        policy.is_established(
            joined_at=NOW - age, now=NOW, has_verified_email=verified, staff_or_moderator=role
        )
        is established
    )


@pytest.mark.parametrize(("visible", "new"), [(0, True), (1, True), (2, False), (10, False)])
def test_a_reader_is_new_until_two_comments_were_shown(visible, new):
    assert policy.is_new_reader(visible_comments=visible, required=2) is new


# --- the quick filter in front of the word lists ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from minbar.search.arabic.normalise import find_words, fold_for_matching  # noqa: E402


def key(text: str) -> str:
    return policy.letters_key(fold_for_matching(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ك.لللب", "كلب"),
        ("يا ك ل ب، اسكت", "ياكلباسكت"),
        ("غـــبي", "غبي"),
        ("You IDIOT!!", "youidiot"),
        ("١٢٣ abc", "123abc"),
    ],
)
def test_letters_key_keeps_only_squeezed_letters_and_digits(text, expected):
    assert key(text) == expected


LETTERS = "كلبغيحمقاأإآىةهو"
NOISE = " .،؛؟-_\u0640\u064e\u200b"


@settings(max_examples=300, deadline=None)
@given(
    entry=st.text(alphabet=LETTERS, min_size=2, max_size=5),
    text=st.text(alphabet=LETTERS + NOISE, max_size=40),
)
def test_the_quick_filter_never_drops_a_real_match(entry, text):
    if find_words(text, words=[entry]):
        assert key(entry) in key(text)


@pytest.mark.parametrize(
    "text",
    ["والكلب", "كلللللب", "ك - ل - ب", "بالكلب؟", "ﻛﻠﺐ", "کلب", "ك\u200bلب", "يا ابن   كلب"],
)
def test_the_quick_filter_passes_every_disguise(text):
    assert find_words(text, words=["كلب"]) == ["كلب"]
    assert key("كلب") in key(text)
