"""One of each page type, with content, for the validity and accessibility checks."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

from minbar.news import actions as news
from tests.factories import make_article, make_comment, make_established_reader, make_section


def build_site() -> dict:
    from tests.moderation.conftest import make_moderator

    section = make_section("سياسة")
    tag = news.do_get_or_create_tag(name="مياه")
    author = news.do_get_or_create_author(name="ليلى حداد")
    from tests.news.test_lead_images import with_image

    article = with_image(
        title="محادثات المياه تعود إلى الطاولة",
        standfirst="جولة جديدة في عمّان.",
        section=section,
        tags=[tag],
        authors=[author],
    )
    make_article(title="خبر ثانٍ في القسم", section=section, tags=[tag])
    make_article(title="A report in English", body="Plain text.", language="en", section=section)
    reader = make_established_reader("reem_reader")
    first = make_comment(article, author=reader, text="تعليق أول **مهم**.")
    make_comment(article, text="رد على التعليق.", parent=first)
    moderator = make_moderator("mod_checker")
    # The signed-in checks run as the moderator: a reply to their comment gives their
    # notifications page an entry, and their bell a count.
    theirs = make_comment(article, author=moderator, text="رأي المشرف في المحادثات.")
    make_comment(article, author=reader, text="أوافقك يا @mod_checker.", parent=theirs)
    return {
        "article": article,
        "section": section,
        "tag": tag,
        "author": author,
        "comment": first,
        "reader": reader,
        "moderator": moderator,
    }


def public_paths(site: dict) -> dict[str, str]:
    return {
        "home": reverse("news:home"),
        "article": site["article"].get_absolute_url(),
        "section": site["section"].get_absolute_url(),
        "tag": site["tag"].get_absolute_url(),
        "author": site["author"].get_absolute_url(),
        "search": reverse("search:results") + "?q=" + quote("المياه"),
        "profile": reverse("accounts:profile", args=[site["reader"].username]),
        "not-found": "/no-such-page/",
    }


def anonymous_paths(site: dict) -> dict[str, str]:
    return {**public_paths(site), "login": "/accounts/login/", "signup": "/accounts/signup/"}


def signed_in_paths(site: dict) -> dict[str, str]:
    return {
        **public_paths(site),
        "reply": reverse("discussion:reply", args=[site["comment"].pk]),
        "moderation-queue": reverse("moderation:queue", args=["pending"]),
        "moderation-words": reverse("moderation:words"),
        "notifications": reverse("notify:inbox"),
        "notification-settings": reverse("notify:preferences"),
        "follow": reverse("notify:follow", args=[site["article"].slug]),
    }
