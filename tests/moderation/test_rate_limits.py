"""Rate limits through HTTP: exactly N allowed, N + 1 refused with 429, Retry-After, an Arabic
message and the typed text kept. The limiter's clock is moved by hand; nothing sleeps."""

from __future__ import annotations

import datetime as dt
import html
import json
import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from minbar.discussion.models import Comment, CommentVote
from minbar.moderation import ratelimit
from minbar.moderation.models import CommentReport
from tests.accounts.helpers import verified
from tests.factories import make_comment, make_user
from tests.moderation.conftest import old_reader, page, post_comment

pytestmark = pytest.mark.django_db

DAY = 86400


def textarea(response, element_id="id_text") -> str:
    found = page(response).find("textarea", id=element_id)
    assert found, "the form is not on the page"
    return "".join(found[0]["text"])


def assert_refused(response, *, typed: str | None, retry_after: int | None = None):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    if retry_after is not None:
        assert abs(int(response["Retry-After"]) - retry_after) <= 1
    body = response.content.decode()
    assert "حاول مرة أخرى بعد" in body or "حاول مجددًا بعد" in body
    if typed is not None:
        assert textarea(response) == typed


def start_of_day(clock, *, offset: float = 600.0) -> None:
    """Put the clock a little after a UTC midnight, so that day windows do not turn mid-test."""
    clock.now = (clock.now // DAY + 1) * DAY + offset


# --- posting ---------------------------------------------------------------------------------


def test_reader_can_post_once_every_5_seconds(client, limits, clock, article, reader):
    client.force_login(reader)
    assert post_comment(client, article, "التعليق الأول").status_code == 302
    clock.advance(4.2)
    refused = post_comment(client, article, "التعليق الثاني مبكرًا")
    assert_refused(refused, typed="التعليق الثاني مبكرًا", retry_after=1)
    clock.advance(0.8)
    assert post_comment(client, article, "التعليق الثاني في وقته").status_code == 302
    assert Comment.objects.filter(author=reader).count() == 2


def test_a_refused_comment_does_not_use_up_the_readers_turn(client, limits, clock, article, reader):
    from minbar.moderation.actions import do_add_word

    do_add_word(moderator=None, word="ممنوع", folded="ممنوع", kind="banned")
    client.force_login(reader)
    assert post_comment(client, article, "كلام ممنوع").status_code == 403
    assert post_comment(client, article, "كلام مسموح").status_code == 302


def test_new_account_posts_once_every_30_seconds(client, limits, clock, article):
    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    assert post_comment(client, article, "أول تعليق لي").status_code == 302
    clock.advance(29)
    assert_refused(post_comment(client, article, "ثاني تعليق"), typed="ثاني تعليق", retry_after=1)
    clock.advance(1)
    assert post_comment(client, article, "ثاني تعليق").status_code == 302


def test_new_account_posts_at_most_10_comments_on_its_first_day(client, limits, clock, article):
    newcomer = make_user("newcomer")
    joined = timezone.now() - dt.timedelta(hours=2)
    type(newcomer).objects.filter(pk=newcomer.pk).update(date_joined=joined)
    clock.now = joined.timestamp() + 2 * 3600
    client.force_login(newcomer)
    for n in range(10):
        assert post_comment(client, article, f"تعليق رقم {n}").status_code == 302, n
        clock.advance(31)
    refused = post_comment(client, article, "الحادي عشر")
    # The first day ends 24 hours after the account was made, not at midnight.
    expected = int(joined.timestamp() + DAY - clock.now) + 1
    assert_refused(refused, typed="الحادي عشر", retry_after=expected)
    assert "ساعة" in refused.content.decode() or "ساعات" in refused.content.decode()
    assert Comment.objects.filter(author=newcomer).count() == 10


def test_reader_past_the_first_day_is_not_held_to_the_daily_ten(
    client, limits, clock, article, reader
):
    client.force_login(reader)
    for n in range(12):
        assert post_comment(client, article, f"تعليق {n}").status_code == 302
        clock.advance(5)


# --- votes -----------------------------------------------------------------------------------


def vote(client, comment, value: int, *, as_json: bool = True):
    headers = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    return client.post(reverse("discussion:vote", args=[comment.pk]), {"value": value}, **headers)


def test_reader_can_vote_twice_a_second(client, limits, clock, article, reader):
    start_of_day(clock)
    comments = [make_comment(article, text=f"تعليق {n}") for n in range(3)]
    client.force_login(reader)
    assert vote(client, comments[0], 1).status_code == 200
    assert vote(client, comments[1], 1).status_code == 200
    refused = vote(client, comments[2], -1)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    data = json.loads(refused.content)
    assert data["ok"] is False and data["error"] == "rate-limited"
    assert "حاول مرة أخرى بعد" in data["message"]
    assert not CommentVote.objects.filter(comment=comments[2]).exists()
    clock.advance(1)
    assert vote(client, comments[2], -1).status_code == 200


def test_a_refused_vote_without_javascript_gets_a_page_with_retry_after(
    client, limits, clock, article, reader
):
    start_of_day(clock)
    comment = make_comment(article)
    client.force_login(reader)
    vote(client, comment, 1, as_json=False)
    vote(client, comment, 0, as_json=False)
    refused = vote(client, comment, 1, as_json=False)
    assert refused.status_code == 429 and refused["Retry-After"] == "1"
    assert "حاول مرة أخرى بعد" in refused.content.decode()


def test_reader_can_vote_200_times_a_day(client, limits, clock, article, reader):
    start_of_day(clock)
    comment = make_comment(article)
    client.force_login(reader)
    # 198 votes counted the way a vote is counted, quickly; the last two and the refusal by HTTP.
    for _n in range(198):
        ratelimit.hit("vote", ident=str(reader.pk))
        clock.advance(0.5)
    assert vote(client, comment, 1).status_code == 200
    clock.advance(0.5)
    assert vote(client, comment, 0).status_code == 200
    clock.advance(0.5)
    refused = vote(client, comment, 1)
    assert refused.status_code == 429
    seconds_to_midnight = int(DAY - clock.now % DAY) + 1
    assert abs(int(refused["Retry-After"]) - seconds_to_midnight) <= 1
    assert "اليوم" in json.loads(refused.content)["message"]
    assert not CommentVote.objects.filter(comment=comment).exists()
    clock.now = (clock.now // DAY + 1) * DAY + 1
    assert vote(client, comment, 1).status_code == 200


# --- reports ---------------------------------------------------------------------------------


def report(client, comment, text="نص الإبلاغ", reason="spam"):
    return client.post(
        reverse("moderation:report", args=[comment.pk]), {"reason": reason, "text": text}
    )


def test_reader_can_report_20_comments_a_day(client, limits, clock, article, reader, settings):
    start_of_day(clock)
    author = old_reader("prolific")
    comments = [make_comment(article, author=author, text=f"تعليق {n}") for n in range(21)]
    client.force_login(reader)
    for comment in comments[:20]:
        assert report(client, comment).status_code == 302
        clock.advance(10)
    refused = report(client, comments[20], text="سبام واضح")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "اليوم" in refused.content.decode()
    assert textarea(refused, "id_report_text") == "سبام واضح"
    assert CommentReport.objects.filter(reporter=reader).count() == 20


# --- sign-ups and sign-ins (allauth's limits, tuned in settings) ------------------------------


def signup(client, n: int, **meta):
    return client.post(
        "/accounts/signup/",
        {
            "username": f"newreader{n}",
            "email": f"new{n}@example.org",
            "password1": "a-long-pass-phrase-7",
            "password2": "a-long-pass-phrase-7",
        },
        **meta,
    )


def test_an_address_can_sign_up_10_times_in_10_minutes(client):
    for n in range(10):
        client.logout()
        assert signup(client, n, REMOTE_ADDR="203.0.113.5").status_code == 302, n
    client.logout()
    refused = signup(client, 10, REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 600
    assert "حاول مرة أخرى بعد" in refused.content.decode()
    client.logout()
    assert signup(client, 11, REMOTE_ADDR="203.0.113.6").status_code == 302


def test_forwarded_for_counts_the_reader_behind_a_trusted_proxy(client, settings):
    settings.MINBAR_TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(10):
        client.logout()
        response = signup(client, n, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
        assert response.status_code == 302
    client.logout()
    assert (
        signup(client, 10, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        == 429
    )
    # Another reader behind the same proxy is counted apart.
    client.logout()
    assert (
        signup(client, 11, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
        == 302
    )


def test_forwarded_for_from_an_untrusted_address_is_ignored(client, settings):
    settings.MINBAR_TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(10):
        client.logout()
        forged = f"198.51.100.{n + 1}"
        response = signup(client, n, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=forged)
        assert response.status_code == 302
    client.logout()
    refused = signup(client, 10, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert refused.status_code == 429


def login(client, username, password, ip="203.0.113.20"):
    return client.post(
        "/accounts/login/", {"login": username, "password": password}, REMOTE_ADDR=ip
    )


class Stopped:
    """`time.time` stands still but for the moves the test makes, so that an exact wait can be
    asserted however slowly the requests run."""

    def __init__(self, monkeypatch):
        self.offset = 0.0
        start = time.time()
        monkeypatch.setattr(time, "time", lambda: start + self.offset)


def sign_in_refused(response) -> bool:
    return response.status_code == 429 and "_auth_user_id" not in response.wsgi_request.session


def test_ten_failed_sign_ins_slow_an_account_down_but_never_lock_it(client, monkeypatch):
    victim = verified(old_reader("target_reader"))
    later = Stopped(monkeypatch)
    # Ten wrong guesses, from ten addresses so that only the account's limit is at play.
    for n in range(10):
        response = login(client, "target_reader", "wrong-guess", ip=f"198.51.100.{n + 1}")
        assert response.status_code == 400
    slowed = login(client, "target_reader", "correct-horse-battery-staple", ip="198.51.100.99")
    assert sign_in_refused(slowed)
    assert 599 <= int(slowed["Retry-After"]) <= 600
    with translation.override("ar"):
        message = translation.gettext("Too many failed login attempts. Try again later.")
    assert message != "Too many failed login attempts. Try again later."
    body = html.unescape(slowed.content.decode())
    assert message in body and "حاول مرة أخرى بعد" in body
    later.offset = 10 * 60 + 1
    allowed = login(client, "target_reader", "correct-horse-battery-staple", ip="198.51.100.99")
    assert allowed.status_code == 302
    assert int(client.session["_auth_user_id"]) == victim.pk


def test_a_refused_sign_in_says_the_real_wait(client, monkeypatch):
    verified(old_reader("target_reader"))
    later = Stopped(monkeypatch)
    for n in range(10):
        login(client, "target_reader", "wrong-guess", ip=f"198.51.100.{n + 1}")
    later.offset = 4 * 60 + 7
    refused = login(client, "target_reader", "another-guess", ip="198.51.100.50")
    assert sign_in_refused(refused)
    # The ten failures fill the window until the oldest is ten minutes old: 353 s from now.
    assert abs(int(refused["Retry-After"]) - (600 - 247)) <= 1
    assert "حاول مرة أخرى بعد ٦ دقائق" in html.unescape(refused.content.decode()) or (
        "حاول مرة أخرى بعد 6 دقائق" in html.unescape(refused.content.decode())
    )


def test_failures_by_username_and_by_email_spend_one_budget(client):
    verified(old_reader("target_reader", email="target@example.org"))
    tries = ["target_reader", "TARGET@example.org", "Target_Reader", "target@example.org"]
    for n in range(10):
        response = login(client, tries[n % 4], "wrong-guess", ip=f"198.51.100.{n + 1}")
        assert response.status_code == 400, n
    # The eleventh guess is refused whichever name it uses.
    by_email = login(client, "target@example.org", "correct-horse-battery-staple", ip="192.0.2.1")
    by_name = login(client, "target_reader", "correct-horse-battery-staple", ip="192.0.2.2")
    assert sign_in_refused(by_email) and sign_in_refused(by_name)


def test_failures_for_an_unknown_name_spend_one_budget_in_any_letter_case(client):
    for n in range(10):
        typed = "Nobody_Here" if n % 2 else "nobody_here"
        assert login(client, typed, "guess", ip=f"198.51.100.{n + 1}").status_code == 400
    assert login(client, "NOBODY_HERE", "guess", ip="192.0.2.1").status_code == 429


def test_thirty_failed_sign_ins_slow_an_address_down(client):
    for n in range(10):
        old_reader(f"someone{n}")
    for n in range(30):
        assert login(client, f"someone{n % 10}", f"guess-{n}").status_code == 400
    verified(make_user("innocent"))
    refused = login(client, "innocent", "correct-horse-battery-staple")
    # Refused by the failure limit (429, with the form) or by the 30 sign-ins a minute (429).
    assert sign_in_refused(refused)
    assert 1 <= int(refused["Retry-After"]) <= 600
    other_address = login(client, "innocent", "correct-horse-battery-staple", ip="203.0.113.21")
    assert other_address.status_code == 302


def test_a_refused_sign_up_says_the_real_wait(client, monkeypatch):
    later = Stopped(monkeypatch)
    for n in range(10):
        client.logout()
        assert signup(client, n, REMOTE_ADDR="203.0.113.5").status_code == 302
        later.offset += 30
    # Ten sign-ups at 0, 30, … 270 s; now 300 s: the first leaves the window in 300 s.
    refused = signup(client, 10, REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert abs(int(refused["Retry-After"]) - 300) <= 1
    assert "حاول مرة أخرى بعد" in refused.content.decode()
    later.offset += 299
    assert signup(client, 11, REMOTE_ADDR="203.0.113.5").status_code == 429
    later.offset += 2
    assert signup(client, 12, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_readers_behind_the_local_proxy_are_counted_apart_by_default(client):
    """The shipped deployment (nginx on the same machine) needs no setting: loopback is trusted."""
    for n in range(10):
        client.logout()
        response = signup(client, n, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
        assert response.status_code == 302
    client.logout()
    refused = signup(client, 10, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert refused.status_code == 429
    client.logout()
    other = signup(client, 11, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302


def test_forwarded_for_from_a_reader_is_not_believed_by_default(client):
    for n in range(10):
        client.logout()
        forged = f"198.51.100.{n + 1}"
        response = signup(client, n, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=forged)
        assert response.status_code == 302
    client.logout()
    refused = signup(client, 10, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert refused.status_code == 429


# --- Redis down: the limits count in each worker ----------------------------------------------


# The default cache as config/settings/base.py builds it when REDIS_URL is set (checked by
# test_production_counts_the_limits_in_the_cache_that_falls_back), at a port nobody listens on.
REDIS_DOWN = {
    "BACKEND": "minbar.core.cache.RedisWithLocalLimits",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {**settings.CACHES, "default": REDIS_DOWN}
    forget_that_redis_was_down()
    yield
    forget_that_redis_was_down()


def forget_that_redis_was_down() -> None:
    """Each test starts with Redis "never failed" and an empty stand-in store."""
    import contextlib

    from django.core.cache.backends.locmem import LocMemCache, _caches

    with contextlib.suppress(ImportError):
        from minbar.core import cache as minbar_cache

        minbar_cache._down_until.clear()
    for name in [name for name in _caches if name.startswith("minbar-limits:")]:
        LocMemCache(name, {}).clear()


def test_production_counts_the_limits_in_the_cache_that_falls_back():
    import os
    import secrets
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "EMAIL_URL": "console://",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    found = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert found.stdout.strip() == REDIS_DOWN["BACKEND"]


def test_only_the_limits_are_kept_in_the_worker_while_redis_is_down(redis_down):
    from django.core.cache import cache

    cache.set("rl:probe", 1, timeout=60)
    cache.set("allauth:rl:probe", [1.0], timeout=60)
    cache.set("session-like", "stale would be wrong", timeout=60)
    assert cache.get("rl:probe") == 1 and cache.get("allauth:rl:probe") == [1.0]
    assert cache.incr("rl:probe") == 2
    assert cache.add("allauth:rl:probe:lock", True) is True
    # Everything else stays a miss, as django-redis makes it with IGNORE_EXCEPTIONS.
    assert cache.get("session-like") is None


def test_sign_in_and_sign_up_keep_working_while_redis_is_down(client, redis_down):
    verified(old_reader("steady_reader"))
    assert login(client, "steady_reader", "correct-horse-battery-staple").status_code == 302
    client.logout()
    assert signup(client, 1, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_limits_still_hold_in_the_worker_while_redis_is_down(client, redis_down):
    for n in range(10):
        client.logout()
        assert signup(client, n, REMOTE_ADDR="203.0.113.5").status_code == 302, n
    client.logout()
    refused = signup(client, 10, REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert 590 <= int(refused["Retry-After"]) <= 600
    verified(old_reader("target_reader"))
    for n in range(10):
        login(client, "target_reader", "wrong-guess", ip=f"198.51.100.{n + 1}")
    assert sign_in_refused(login(client, "target_reader", "wrong", ip="192.0.2.1"))
    # Reader limits too (minbar.moderation.ratelimit), counted in the same stand-in store.
    settings_rates = {"vote": "2/1s"}
    with override_settings(MINBAR_RATE_LIMITS=settings_rates):
        ratelimit.hit("vote", ident="7")
        ratelimit.hit("vote", ident="7")
        with pytest.raises(ratelimit.RateLimited):
            ratelimit.hit("vote", ident="7")


# --- the counters live in Redis when REDIS_URL is set ------------------------------------------


@pytest.mark.redis
def test_limits_are_counted_in_redis_across_app_servers(settings, redis_url, clock):
    import redis

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"minbar-test-moderation-{time.time_ns()}",
        }
    }
    settings.MINBAR_RATE_LIMITS = {"vote": "2/1s"}
    start_of_day(clock)
    ratelimit.hit("vote", ident="42")
    # A second app server shares nothing with this process but Redis.
    raw = redis.Redis.from_url(redis_url)
    keys = raw.keys(f"{settings.CACHES['default']['KEY_PREFIX']}*rl:vote*")
    assert len(keys) == 1 and int(raw.get(keys[0])) == 1
    raw.incr(keys[0])  # the other server's vote
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("vote", ident="42")
    assert refused.value.retry_after == 1
    raw.delete(*raw.keys(f"{settings.CACHES['default']['KEY_PREFIX']}*"))


# --- edits -----------------------------------------------------------------------------------


def edit(client, comment, text: str):
    return client.post(reverse("discussion:edit", args=[comment.pk]), {"text": text})


def test_thirty_edits_in_a_second_are_refused_after_the_first(
    client, limits, clock, article, reader
):
    start_of_day(clock)
    client.force_login(reader)
    post_comment(client, article, "النص الأول")
    comment = Comment.objects.get(author=reader)
    statuses = []
    for n in range(30):
        response = edit(client, comment, f"تعديل رقم {n}")
        statuses.append(response.status_code)
        if n:
            assert_refused(response, typed=f"تعديل رقم {n}", retry_after=5)
        clock.advance(0.03)
    assert statuses == [302] + [429] * 29
    comment.refresh_from_db()
    assert comment.body == "تعديل رقم 0"
    clock.advance(5)
    assert edit(client, comment, "تعديل في وقته").status_code == 302


def test_reader_can_edit_at_most_30_times_an_hour(client, limits, clock, article, reader):
    clock.now = (clock.now // 3600 + 1) * 3600 + 1  # the start of an hour
    client.force_login(reader)
    post_comment(client, article, "النص الأول")
    comment = Comment.objects.get(author=reader)
    for n in range(30):
        assert edit(client, comment, f"تعديل {n}").status_code == 302, n
        clock.advance(6)
    refused = edit(client, comment, "تعديل زائد")
    assert_refused(refused, typed="تعديل زائد", retry_after=3600 - 30 * 6)


def test_a_refused_edit_does_not_use_up_the_readers_turn(
    client, limits, clock, article, reader, moderator
):
    from minbar.moderation.actions import check_add_word

    check_add_word(moderator=moderator, word="غبي", kind="banned")
    client.force_login(reader)
    post_comment(client, article, "النص الأول")
    comment = Comment.objects.get(author=reader)
    assert edit(client, comment, "أنت غبي").status_code == 403
    assert edit(client, comment, "أنت مخطئ").status_code == 302
