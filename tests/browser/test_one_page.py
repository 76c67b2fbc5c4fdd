"""One page for every reader, in a real browser: the page is the same for all, and the reader's
state (/me/state/) turns it into theirs with JavaScript; without JavaScript, the pages it links
to do the same work. Anonymous, signed-in and moderator; 390 and 1280 pixels wide."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from minbar.discussion.models import Comment, CommentVote
from tests.factories import make_article, make_comment, make_established_reader, make_user
from tests.moderation.conftest import make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def open_page(user=None, *, javascript: bool = True, width: int = 390):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="ar", java_script_enabled=javascript
        )
        contexts.append(context)
        if user is not None:
            # The session, and the cookie that tells minbar.js someone is signed in (set by
            # the server on signing in; tests/serving/test_public_pages.py).
            context.add_cookies(
                [
                    {"name": "sessionid", "value": _session_for(user), "url": live_server.url},
                    {"name": "minbar_reader", "value": "1", "url": live_server.url},
                ]
            )
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _discussion(live_server):
    article = make_article(title="نقاش حول النقل العام")
    other = make_user("nour_a", display_name="نور")
    theirs = make_comment(article, author=other, text="رأي نور في الحافلات")
    return article, theirs


def test_anonymous_reader_sees_the_same_page_with_and_without_javascript(
    live_server, open_as, shot
):
    article, _theirs = _discussion(live_server)
    for javascript in (True, False):
        page = open_as(javascript=javascript)
        page.goto(live_server.url + article.get_absolute_url())
        expect(page.locator(".info-box")).to_be_visible()
        assert page.locator("#comment-form").count() == 0
        assert page.locator(".vote-form").count() == 0
        assert page.locator(".account-nav__name").count() == 0
        expect(page.locator("#account-links")).to_contain_text("تسجيل الدخول")
    shot(page, "one-page-anonymous-390")


def test_signed_in_reader_with_javascript_posts_replies_votes_and_edits(live_server, open_as, shot):
    article, theirs = _discussion(live_server)
    reader = make_established_reader("huda_m", display_name="هدى")
    page = open_as(reader)
    page.goto(live_server.url + article.get_absolute_url())
    # The reader's state: their name in the header, the form where the box was.
    expect(page.locator(".account-nav__name")).to_have_text("هدى")
    expect(page.locator("#comment-form")).to_be_visible()
    assert page.locator(".info-box").count() == 0

    page.fill("#id_text", "تعليقي من المتصفح")
    page.click("#comment-form button[type=submit]")
    mine = Comment.objects.get(body="تعليقي من المتصفح")
    page.wait_for_url(f"**#comment-{mine.pk}")
    expect(page.locator(f"#comment-{mine.pk}")).to_contain_text("تعليقي من المتصفح")
    # One's own comment: edit (with the time left) and delete, no vote buttons, no report.
    own = page.locator(f"#comment-{mine.pk}")
    expect(own.locator(".comment__edit")).to_be_visible()
    expect(own.locator(".comment__delete")).to_be_visible()
    assert own.locator(".vote-form").count() == 0
    assert own.locator(".comment__report").count() == 0

    score = page.locator(f"#comment-{theirs.pk} [data-score] .score")
    page.click(f"#comment-{theirs.pk} .vote--up")
    expect(score).to_have_text("+1")
    expect(page.locator(f"#comment-{theirs.pk} .vote--up")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert CommentVote.objects.get(comment=theirs, voter=reader).value == 1
    # Reloaded, the page is everyone's again and the state presses the button again.
    page.reload()
    expect(page.locator(f"#comment-{theirs.pk} .vote--up")).to_have_attribute(
        "aria-pressed", "true"
    )
    shot(page, "one-page-signed-in-390")

    page.click(f"#comment-{theirs.pk} .comment__reply")
    page.fill("#id_text", "ردّي على نور")
    page.click("#comment-form button[type=submit]")
    reply = Comment.objects.get(body="ردّي على نور")
    page.wait_for_url(f"**#comment-{reply.pk}")
    assert reply.parent_id == theirs.pk

    page.click(f"#comment-{mine.pk} .comment__edit")
    page.fill("#id_text", "تعليقي بعد التعديل")
    page.click("form.comment-form button[type=submit]")
    page.wait_for_url(f"**#comment-{mine.pk}")
    expect(page.locator(f"#comment-{mine.pk}")).to_contain_text("تعليقي بعد التعديل")


def test_signed_in_reader_without_javascript_posts_replies_votes_and_edits(
    live_server, open_as, shot
):
    article, theirs = _discussion(live_server)
    reader = make_established_reader("salma_r")
    page = open_as(reader, javascript=False)
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator(".info-box")).to_be_visible()
    page.click(".info-box__write")
    page.fill("#id_text", "تعليق بلا جافاسكربت")
    shot(page, "one-page-write-no-js-390")
    page.click("#comment-form button[type=submit]")
    mine = Comment.objects.get(body="تعليق بلا جافاسكربت")
    page.wait_for_url(f"**#comment-{mine.pk}")
    expect(page.locator(f"#comment-{mine.pk}")).to_contain_text("تعليق بلا جافاسكربت")

    page.click(f"#comment-{theirs.pk} .comment__more")
    page.click(".vote--up")
    page.wait_for_url(f"**#comment-{theirs.pk}")
    assert CommentVote.objects.get(comment=theirs, voter=reader).value == 1
    expect(page.locator(f"#comment-{theirs.pk} [data-score] .score")).to_have_text("+1")

    page.click(f"#comment-{theirs.pk} .comment__reply")
    page.fill("#id_text", "ردّ بلا جافاسكربت")
    page.click("#comment-form button[type=submit]")
    reply = Comment.objects.get(body="ردّ بلا جافاسكربت")
    page.wait_for_url(f"**#comment-{reply.pk}")

    page.click(f"#comment-{mine.pk} .comment__more")
    expect(page.locator(".comment__edit-left")).to_contain_text("دقائق")
    page.click(".comment__edit")
    page.fill("#id_text", "عدّلته بلا جافاسكربت")
    page.click("form.comment-form button[type=submit]")
    page.wait_for_url(f"**#comment-{mine.pk}")
    expect(page.locator(f"#comment-{mine.pk}")).to_contain_text("عدّلته بلا جافاسكربت")
    page.click(f"#comment-{mine.pk} .comment__more")
    page.click(".comment__delete")
    page.click("form button.button--danger")
    page.wait_for_load_state()
    assert Comment.objects.get(pk=mine.pk).status == "deleted"


def test_moderator_gets_their_links_on_the_same_page(live_server, open_as, shot):
    article, _theirs = _discussion(live_server)
    page = open_as(make_moderator("mod_browser"), width=1280)
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("#account-links")).to_contain_text("الإشراف")
    expect(page.locator(".discussion__staff")).to_be_visible()
    expect(page.locator("#comment-form")).to_be_visible()
    shot(page, "one-page-moderator-1280")
    anonymous = open_as(width=1280)
    anonymous.goto(live_server.url + article.get_absolute_url())
    expect(anonymous.locator(".info-box")).to_be_visible()
    shot(anonymous, "one-page-anonymous-1280")
