"""Test data made through the real actions, so tests see what the site would have made."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from minbar.discussion import actions as discussion
from minbar.news import actions as news

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(username: str | None = None, *, groups=(), is_staff=False, **fields):
    User = get_user_model()
    n = next(_seq)
    user = User(
        username=username or f"reader{n}",
        email=fields.pop("email", f"user{n}@example.org"),
        is_staff=is_staff,
        **fields,
    )
    user.set_password(PASSWORD)
    user.save()
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def verify_email(user) -> None:
    """Mark the reader's address verified, as following the link in allauth's mail does."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def make_established_reader(username: str | None = None, **fields):
    """A reader whose reports and votes count in full (decision 0008): an account a month old
    with a verified email address."""
    user = make_user(username, **fields)
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
    user.refresh_from_db()
    verify_email(user)
    return user


def make_editor(username: str | None = None):
    return make_user(username or f"editor{next(_seq)}", groups=["editors"], is_staff=True)


def make_author_user(username: str | None = None):
    return make_user(username or f"author{next(_seq)}", groups=["authors"], is_staff=True)


def make_section(name: str | None = None, *, position: int = 0):
    return news.do_get_or_create_section(name=name or f"قسم {next(_seq)}", position=position)


def make_article(
    *,
    title: str | None = None,
    body: str = "نص المقال الأول.\n\nفقرة ثانية.",
    section=None,
    published: bool = True,
    published_at: dt.datetime | None = None,
    editor=None,
    **fields,
):
    article = news.do_create_article(
        title=title or f"مقال تجريبي رقم {next(_seq)}",
        body=body,
        section=section or make_section("أخبار"),
        editor=editor,
        **fields,
    )
    if published:
        news.do_publish_article(
            article, editor=editor, at=published_at or timezone.now() - dt.timedelta(hours=1)
        )
    return article


def make_comment(article, *, author=None, text: str = "تعليق مفيد.", parent=None, **fields):
    return discussion.do_post_comment(
        article=article, author=author or make_user(), text=text, parent=parent, **fields
    )
