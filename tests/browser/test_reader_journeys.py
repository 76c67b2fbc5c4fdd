"""Each main reader journey, in a real browser, right-to-left. Screenshots go to
artifacts/screenshots/ (ignored by git) so a person can look at them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from minbar.discussion.models import Comment
from tests.factories import make_article, make_comment, make_section, make_user, verify_email

User = get_user_model()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mailed_link(*, to: str, containing: str) -> str:
    """The link in the last mail to `to` (the live server shares this process's outbox)."""
    import re

    from django.core import mail

    body = next(m.body for m in reversed(mail.outbox) if to in m.to)
    return next(u for u in re.findall(r"https?://[^\s\"'<>]+", body) if containing in u)


def test_reader_sees_home_and_article_right_to_left(live_server, page, shot):
    section = make_section("سياسة")
    article = make_article(
        title="محادثات المياه تعود إلى الطاولة",
        body="فقرة أولى من المقال.\n\nفقرة ثانية فيها **تأكيد**.",
        section=section,
        source_name="صحيفة الغد",
        source_url="https://example.com/a",
    )
    make_comment(article, text="تعليق أول")
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    shot(page, "home")
    page.click("text=محادثات المياه تعود إلى الطاولة")
    page.wait_for_selector("h1.article__title")
    title = page.locator("h1.article__title").bounding_box()
    width = page.viewport_size["width"]
    # Right-to-left: the title starts at the right edge of the page.
    assert title["x"] + title["width"] > width * 0.8
    assert page.locator("#comments").inner_text() == "تعليق واحد"
    assert "المصدر:" in page.locator(".article__source").inner_text()
    shot(page, "article")


def test_anonymous_reader_sees_the_information_box_and_no_form(live_server, page, shot):
    article = make_article(title="مقال للقراءة فقط")
    make_comment(article, text="تعليق قارئ")
    page.goto(live_server.url + article.get_absolute_url())
    box = page.locator(".info-box")
    assert box.is_visible()
    assert "يجب عليك تسجيل الدخول" in box.inner_text()
    assert page.locator("#comment-form").count() == 0
    assert page.locator(".vote-form").count() == 0
    shot(page, "anonymous-discussion")


def test_reader_signs_up_posts_replies_votes_and_changes_the_order(live_server, page, shot):
    article = make_article(title="نقاش حول الميزانية")
    other = make_user("samir_h")
    theirs = make_comment(article, author=other, text="رأي سمير في الميزانية")
    page.goto(live_server.url + article.get_absolute_url())
    page.click(".info-box >> text=إنشاء حساب")
    page.fill("input[name=username]", "ريم_القحطاني")
    page.fill("input[name=email]", "reem@example.org")
    page.fill("input[name=password1]", "a-long-and-fine-passphrase")
    page.fill("input[name=password2]", "a-long-and-fine-passphrase")
    shot(page, "signup")
    page.click("form.account-form button[type=submit]")
    # The address is confirmed from the mail (ACCOUNT_EMAIL_VERIFICATION is mandatory).
    page.wait_for_url("**/accounts/confirm-email/")
    page.goto(mailed_link(to="reem@example.org", containing="/confirm-email/"))
    page.click("form.account-form button[type=submit]")
    # Back on the article, signed in: the form instead of the information box.
    page.wait_for_selector("#comment-form")
    assert article.slug in page.url or "%D9" in page.url
    assert page.locator(".info-box").count() == 0

    page.fill("#id_text", "تعليقي **الأول** على المقال")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("text=تعليقي")
    assert page.locator("#comments").inner_text() == "تعليقان"
    mine = Comment.objects.get(author__username="ريم_القحطاني")

    page.click(f"#comment-{theirs.pk} .comment__reply")
    page.fill("#id_text", "أوافقك يا سمير")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("text=أوافقك يا سمير")
    reply = Comment.objects.get(body="أوافقك يا سمير")
    assert reply.parent_id == theirs.pk
    assert "depth-1" in page.locator(f"#comment-{reply.pk}").get_attribute("class")

    score = page.locator(f"#comment-{theirs.pk} [data-score] .score")
    assert score.inner_text() == "0"
    url_before = page.url
    # A minutes-old account's vote is kept but does not move the score (decision 0008).
    page.click(f"#comment-{theirs.pk} .vote--up")
    expect(page.locator(f"#comment-{theirs.pk} .vote-note")).to_contain_text("سُجّل صوتك")
    assert page.locator(f"#comment-{theirs.pk} .vote--up").get_attribute("aria-pressed") == "true"
    assert score.inner_text() == "0"
    # Three days later, with the address verified, the same reader's votes count.
    reem = User.objects.get(username="ريم_القحطاني")
    User.objects.filter(pk=reem.pk).update(date_joined=reem.date_joined - dt.timedelta(days=3))
    verify_email(reem)
    page.click(f"#comment-{theirs.pk} .vote--down")
    expect(score).to_have_text("\u22121")
    expect(page.locator(f"#comment-{theirs.pk} .vote-note")).to_have_count(0)
    assert page.url == url_before  # updated in place, no reload
    page.click(f"#comment-{theirs.pk} .vote--up")
    expect(score).to_have_text("+1")
    assert page.locator(f"#comment-{mine.pk} .vote-form").count() == 0  # not on one's own
    shot(page, "signed-in-discussion")

    page.click("nav.discussion__order >> text=الأحدث")
    page.wait_for_url("**order=newest**")
    ids = page.eval_on_selector_all(
        "ol.comments > li.depth-0", "items => items.map(li => Number(li.dataset.comment))"
    )
    assert ids == [mine.pk, theirs.pk]
    shot(page, "newest-first")
