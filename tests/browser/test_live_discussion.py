"""The live discussion in a real browser (decision 0019): a reader with the article open sees
"N new comments: show them" when someone else posts, and the comment in its place when they
ask; scores change in place; a hidden tab and a page without JavaScript ask nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from minbar.discussion.models import Comment
from minbar.moderation.actions import do_reject_comment
from tests.factories import make_article, make_comment, make_established_reader, make_user
from tests.moderation.conftest import make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(settings):
    settings.MINBAR_LIVE_DISCUSSION = True
    settings.MINBAR_LIVE_POLL_SECONDS = 1


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_as(user=None, *, width: int = 390, javascript: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="ar", java_script_enabled=javascript
        )
        contexts.append(context)
        if user is not None:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.save()
            context.add_cookies(
                [
                    {"name": "sessionid", "value": session.session_key, "url": live_server.url},
                    {"name": "minbar_reader", "value": "1", "url": live_server.url},
                ]
            )
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _live_requests(page) -> list[str]:
    asked: list[str] = []
    page.on(
        "request", lambda request: asked.append(request.url) if "/live/" in request.url else None
    )
    return asked


def test_reader_sees_a_comment_another_reader_posts_appear_when_they_ask(
    live, live_server, open_page, shot
):
    article = make_article(title="نقاش مباشر حول الطاقة")
    theirs = make_comment(article, author=make_user("nour_l", display_name="نور"), text="رأي نور")
    address = live_server.url + article.get_absolute_url()
    # One reader not signed in, wide; one signed in, on a phone.
    watchers = {
        1280: open_page(width=1280),
        390: open_page(make_established_reader("salma_l", display_name="سلمى"), width=390),
    }
    for watcher in watchers.values():
        watcher.goto(address)
        expect(watcher.locator(f"#comment-{theirs.pk}")).to_be_visible()

    writer = open_page(make_established_reader("huda_l", display_name="هدى"))
    writer.goto(address)
    writer.fill("#id_text", "تعليق هدى الجديد")
    writer.click("#comment-form button[type=submit]")
    posted = Comment.objects.get(body="تعليق هدى الجديد")
    writer.wait_for_url(f"**#comment-{posted.pk}")

    for width, watcher in watchers.items():
        bar = watcher.locator(".live-bar__show")
        expect(bar).to_have_text("تعليق جديد واحد: اعرضه")
        # The page did not move: the comment waits until the reader asks for it.
        assert watcher.locator(f"#comment-{posted.pk}").count() == 0
        expect(watcher.locator("#comments")).to_have_text("تعليقان")
        expect(watcher.locator("[data-comment-count]")).to_have_text("2")
        shot(watcher, f"live-new-comment-bar-{width}")
        bar.click()
        expect(watcher.locator(f"#comment-{posted.pk}")).to_contain_text("تعليق هدى الجديد")
        expect(bar).to_be_hidden()
        # The signed-in reader may vote on it at once, as on the comments already there.
        votes = watcher.locator(f"#comment-{posted.pk} .vote-form")
        expect(votes).to_have_count(1 if width == 390 else 0)
        # In the page's order (oldest first): after the comment that was already there.
        ids = watcher.locator("li.comment").evaluate_all("items => items.map(i => i.id)")
        assert ids == [f"comment-{theirs.pk}", f"comment-{posted.pk}"]
        # Numbered as a fresh page numbers it: the second thread.
        expect(watcher.locator(f"#comment-{posted.pk} .comment__number")).to_have_text("2.")
        shot(watcher, f"live-new-comment-shown-{width}")

    # A vote changes the score on the other pages in place, without any bar.
    writer.click(f"#comment-{theirs.pk} .vote--up")
    for watcher in watchers.values():
        expect(watcher.locator(f"#comment-{theirs.pk} [data-score] .score")).to_have_text("+1")
        expect(watcher.locator(".live-bar__show")).to_be_hidden()


def test_hidden_tab_and_page_without_javascript_ask_nothing(live, live_server, open_page):
    article = make_article()
    address = live_server.url + article.get_absolute_url()
    page = open_page()
    asked = _live_requests(page)
    with page.expect_request(lambda request: "/live/" in request.url):
        page.goto(address)  # an open page asks what changed
    page.evaluate(
        "Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    page.wait_for_timeout(300)  # an answer already on its way
    before = len(asked)
    page.wait_for_timeout(2500)
    assert len(asked) == before
    with page.expect_request(lambda request: "/live/" in request.url, timeout=1000):
        # Back in view: it asks at once, well before its 1 s interval.
        page.evaluate(
            "Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
            "document.dispatchEvent(new Event('visibilitychange'))"
        )

    without = open_page(javascript=False)
    asked = _live_requests(without)
    without.goto(address)
    without.wait_for_timeout(1500)
    assert asked == []


def test_reader_sees_thread_numbers_follow_new_and_hidden_threads(live, live_server, open_page):
    article = make_article()
    older = make_comment(article, text="الأقدم")
    newer = make_comment(article, text="الأحدث")
    watcher = open_page()
    watcher.goto(live_server.url + article.get_absolute_url() + "?order=newest")
    numbers = watcher.locator("li.comment .comment__number")
    expect(numbers).to_have_text(["1.", "2."])

    posted = make_comment(article, text="الجديد")  # committed: the page's feed moves
    bar = watcher.locator(".live-bar__show")
    bar.click()
    expect(watcher.locator(f"#comment-{posted.pk} .comment__number")).to_have_text("1.")
    # Newest first, as a fresh page of "newest" numbers them.
    expect(numbers).to_have_text(["1.", "2.", "3."])
    assert watcher.locator(f"#comment-{older.pk} .comment__number").text_content() == "3."

    do_reject_comment(newer, moderator=make_moderator(), reason="خارج الموضوع")
    expect(watcher.locator(f"#comment-{newer.pk}")).to_have_count(0)
    expect(numbers).to_have_text(["1.", "2."])
    assert watcher.locator(f"#comment-{older.pk} .comment__number").text_content() == "2."
