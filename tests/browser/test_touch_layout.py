"""On a phone (touch, 390 px): controls big enough for a finger, replies on a thread line, the
search filters stacked label-above-field, and "back" arrows pointing the way the page reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.test_accessibility import signed_in_cookies
from tests.factories import make_article, make_comment, make_established_reader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="ar", has_touch=True, is_mobile=True
    )
    yield context
    context.close()


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_reader_on_a_phone_gets_finger_sized_controls_and_a_thread_line(live_server, phone):
    article = make_article(title="نقاش على الهاتف")
    first = make_comment(article, text="تعليق أول")
    reply = make_comment(article, text="ردّ عليه", parent=first)
    reader = make_established_reader("phone_reader")
    phone.add_cookies(signed_in_cookies(reader, live_server.url))
    page = phone.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    for selector in (".vote--up", ".vote--down", ".comment__reply", ".comment__report"):
        size = box(page, selector)
        assert size["width"] >= 44 and size["height"] >= 44, (selector, size)
    # Right to left: ▲, the score, ▼ — the score between the buttons that change it.
    up, down = box(page, ".vote--up"), box(page, ".vote--down")
    score = box(page, ".vote-form .comment__score")
    assert up["x"] > score["x"] > down["x"]
    line = page.evaluate(
        "id => getComputedStyle(document.getElementById(id)).borderRightWidth",
        f"comment-{reply.pk}",
    )
    assert line == "2px"  # right-to-left: the thread line is on the right, where replies hang
    page.goto(live_server.url + reverse("discussion:reply", args=[first.pk]))
    arrow = page.evaluate(
        "getComputedStyle(document.querySelector('.back-link'), '::before').content"
    )
    assert "→" in arrow


def test_search_filters_stack_label_above_field_on_a_phone(live_server, phone):
    make_article()
    page = phone.new_page()
    page.goto(live_server.url + reverse("search:results") + "?q=test")
    for field in ("search-section", "search-from", "search-to", "search-sort"):
        label = box(page, f"label[for={field}]")
        control = box(page, f"#{field}")
        assert label["y"] + label["height"] <= control["y"] + 1, field  # the label is above
        assert control["width"] > 300, field  # the field takes the row
