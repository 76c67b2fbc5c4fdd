"""The permission matrix: every URL of the project, POSTed to by an anonymous visitor, a reader,
a moderator, staff (a superuser) and an editor (staff without moderation rights).

The URLs are read from the URLconf, so a new endpoint fails this test until it is classified
below. For each (URL, actor) the whole database is compared before and after: whoever may not
change something must leave every row as it was, and whoever may must have changed something
(so a payload that silently fails cannot make the matrix pass). The admin is left to Django's
own permission checks.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.translation import override

from minbar.discussion.models import Comment
from minbar.moderation.actions import do_add_word
from minbar.moderation.models import Sanction
from minbar.news import actions as news
from tests.factories import PASSWORD, make_comment, make_editor
from tests.moderation.conftest import make_moderator, make_staff, old_reader

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "reader", "moderator", "staff", "editor")
SIGNED_IN = frozenset(ACTORS) - {"anonymous"}
MODERATORS = frozenset({"moderator", "staff"})
STAFF = frozenset({"staff"})
NOBODY = frozenset()
# Account pages: whoever uses them changes only their own account (anonymous: a new one).
SELF = "self"

# Pages that only read: POSTed to by the least and the most privileged actor, to show that a
# POST there changes nothing either.
READING = "reading"

MAY_CHANGE: dict[str, frozenset | str] = {
    # Reading only.
    "healthz": READING,
    "web-manifest": READING,
    "favicon": READING,
    "media": READING,
    "admin-login": READING,  # a redirect to the readers' sign-in page
    "robots": READING,
    "django.contrib.sitemaps.views.sitemap": READING,
    "news-sitemap": READING,
    "sitemap-index": READING,
    "search:results": READING,
    "discussion:permalink": READING,
    "discussion:reply": NOBODY,  # the reply form; posting goes to discussion:post
    "discussion:write": NOBODY,  # the comment form without JavaScript; likewise
    "discussion:actions": READING,  # a comment's controls without JavaScript
    "serving:state": READING,  # the reader's state for a public page
    "serving:live": READING,  # what changed in a discussion since a version (decision 0019)
    "serving:live-comments": READING,  # new comments rendered for the live discussion
    "accounts:profile": READING,
    "moderation:home": READING,
    "moderation:queue": READING,
    "moderation:comment": READING,
    "moderation:reader": READING,
    "moderation:articles": READING,
    "moderation:log": READING,
    # The discussion, on another reader's comment.
    "discussion:post": SIGNED_IN,
    "discussion:vote": SIGNED_IN,
    "moderation:report": SIGNED_IN,
    "discussion:edit": NOBODY,  # only the author, tested in tests/discussion
    "discussion:delete": NOBODY,
    # Moderation.
    "moderation:approve": MODERATORS,
    "moderation:reject": MODERATORS,
    "moderation:feature": MODERATORS,
    "moderation:ban-author": MODERATORS,
    "moderation:suspend": MODERATORS,
    "moderation:ban": MODERATORS,
    "moderation:lift": MODERATORS,
    "moderation:words": MODERATORS,
    "moderation:word-delete": MODERATORS,
    "moderation:article": MODERATORS,
    "moderation:settings": STAFF,
    # Notifications (minbar/notify): the reader's own list, choices and follows.
    "notify:inbox": READING,
    "notify:read": SELF,
    "notify:read-all": SELF,
    "notify:preferences": SELF,
    "notify:follow": SELF,
    "notify:unsubscribe": NOBODY,  # only with a link signed for the reader (tests/notify)
}
# Every page of the newsroom only reads.
NEWS_PREFIX = "news:"
# allauth's pages and Minbar's wrappers of them: the actor's own account at most.
ACCOUNT_PREFIXES = ("account_", "accounts:")


def classify(name: str):
    if name in MAY_CHANGE:
        return MAY_CHANGE[name]
    if name.startswith(NEWS_PREFIX):
        return READING
    if name.startswith(ACCOUNT_PREFIXES):
        return SELF
    return None


def project_urls() -> list[tuple[str, URLPattern]]:
    """(name, pattern) of every URL but the admin's, namespaces included."""
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin" or p.namespace == "admin":
                    continue
                ns = ":".join(filter(None, [namespace, p.namespace])) or None
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                name = p.name or str(p.pattern)
                found.append((f"{namespace}:{name}" if namespace else name, p))

    walk(get_resolver().url_patterns, None)
    return found


def test_every_url_of_the_project_is_classified():
    unclassified = [name for name, _ in project_urls() if classify(name) is None]
    assert unclassified == [], "classify these URLs in MAY_CHANGE"


# Tables nobody writes through a page: leaving them out keeps the matrix fast.
STATIC_TABLES = {"auth.Permission", "contenttypes.ContentType", "sessions.Session"}


def _tables():
    out = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in STATIC_TABLES or not model._meta.managed:
            continue
        out.append((model._meta.label, model._meta.db_table, model._meta.pk.column))
    return out


def snapshot() -> dict[tuple[str, object], tuple]:
    """Every row of every table that a page could write, keyed by (model, primary key)."""
    rows = {}
    with connection.cursor() as cursor:
        for label, table, pk in _tables():
            qn = connection.ops.quote_name
            cursor.execute(f"SELECT * FROM {qn(table)}")
            names = [column[0] for column in cursor.description]
            key = names.index(pk)
            for values in cursor.fetchall():
                rows[(label, values[key])] = tuple(zip(names, values, strict=True))
    return rows


def changes(before, after) -> list[tuple[str, object, str]]:
    out = []
    for key in before.keys() | after.keys():
        if before.get(key) != after.get(key):
            kind = "added" if key not in before else "removed" if key not in after else "changed"
            out.append((key[0], key[1], kind))
    return out


# The rows of a reader's own, besides the account: the column naming whose they are.
OWNER_COLUMNS = {
    "account.EmailAddress": "user_id",
    "notify.Follow": "reader_id",
    "notify.Preferences": "reader_id",
    "notify.Notification": "recipient_id",
}


def only_own(diff, *, actor_user, after, before) -> bool:
    """Account pages: an anonymous visitor may only add (a new account); a signed-in one may
    only touch rows that are theirs."""
    for label, pk, kind in diff:
        if actor_user is None:
            if kind != "added":
                return False
            continue
        if label == "accounts.User":
            if pk != actor_user.pk:
                return False
            continue
        row = dict(after.get((label, pk)) or before[(label, pk)])
        owner = OWNER_COLUMNS.get(label)
        if owner is None or row[owner] != actor_user.pk:
            return False
    return True


@pytest.fixture
def world(db):
    article = news.do_create_article(
        title="مقال المصفوفة", body="نص", section=news.do_get_or_create_section(name="أخبار")
    )
    news.do_publish_article(article)
    tag = news.do_get_or_create_tag(name="وسم")
    article.tags.add(tag)
    author = news.do_get_or_create_author(name="كاتب")
    victim = old_reader("victim")
    comment = make_comment(article, author=victim, text="تعليق الضحية")
    make_comment(article, author=victim, text="ينتظر", status=Comment.Status.PENDING)
    suspended = old_reader("suspended")
    Sanction.objects.create(
        reader=suspended,
        kind="suspension",
        reason="قبل الاختبار",
        ends_at=timezone.now() + dt.timedelta(days=1),
    )
    entry = do_add_word(moderator=None, word="ممنوعة", folded="ممنوعه", kind="banned")
    users = {
        "anonymous": None,
        "reader": old_reader("plain_reader"),
        "moderator": make_moderator("matrix_mod"),
        "staff": make_staff("matrix_staff"),
        "editor": make_editor("matrix_editor"),
    }
    values = {
        "slug": article.slug,
        "comment_id": comment.pk,
        "user_id": victim.pk,
        "entry_id": entry.pk,
        "article_id": article.pk,
        "name": "pending",
        "username": victim.username,
        "uidb36": "1",
        "key": "not-a-key",
        "section": "articles",  # the sitemap of articles
        "path": "articles/none.jpg",
        "notification_id": 1,
        "token": "not-a-token",
    }
    section_slug, tag_slug, author_slug = article.section.slug, tag.slug, author.slug
    return {
        "users": users,
        "values": values,
        # lift needs someone to lift a sanction from.
        "values_for": {"moderation:lift": {"user_id": suspended.pk}},
        "slugs": {"section": section_slug, "tag": tag_slug, "author": author_slug},
    }


PAYLOAD = {
    "text": "نص تجريبي من المصفوفة",
    "value": "1",
    "reason": "سبب الاختبار",
    "days": "1",
    "word": "كلمةجديدة",
    "kind": "banned",
    "featured": "1",
    "premoderation": "all",
    "new_reader_comments": "2",
    "new_reader_max_links": "2",
    "report_threshold": "5",
    "auto_close_days": "",
    "display_name": "اسم جديد",
    "login": "no_such_reader",
    "password": "wrong-password",
    "username": "matrix_newcomer",
    "email": "matrix_newcomer@example.org",
    "password1": "a-long-pass-phrase-7",
    "password2": "a-long-pass-phrase-7",
    "oldpassword": PASSWORD,
    "action_add": "1",
}
# Where one field means different things on different pages.
PAYLOAD_FOR = {"moderation:report": {"reason": "spam"}}


def url_for(name: str, pattern: URLPattern, world) -> str:
    keys = list(getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex)
    kwargs = {}
    for key in keys:
        if key == "slug" and name.startswith("news:"):
            kind = next((k for k in ("section", "tag", "author") if k in name), None)
            kwargs[key] = world["slugs"][kind] if kind else world["values"]["slug"]
        else:
            kwargs[key] = world["values_for"].get(name, {}).get(key, world["values"][key])
    with override("ar"):
        return reverse(name, kwargs=kwargs)


def test_nobody_changes_what_they_may_not_and_the_allowed_do(world, settings):
    clients = {}
    for actor in ACTORS:
        clients[actor] = Client()
        if world["users"][actor] is not None:
            clients[actor].force_login(world["users"][actor])
    sessions = {a: c.cookies.get(settings.SESSION_COOKIE_NAME) for a, c in clients.items()}
    violations = []
    for name, pattern in project_urls():
        rule = classify(name)
        url = url_for(name, pattern, world)
        data = {**PAYLOAD, **PAYLOAD_FOR.get(name, {})}
        actors = ("anonymous", "staff") if rule == READING else ACTORS
        for actor in actors:
            user, client = world["users"][actor], clients[actor]
            # Every request starts from the actor's own session (a sign-out is rolled back too).
            client.cookies.clear()
            if sessions[actor] is not None:
                client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor].value
            cache.clear()
            point = transaction.savepoint()
            before = snapshot()
            response = client.post(url, data, REMOTE_ADDR=f"198.51.100.{ACTORS.index(actor)}")
            after = snapshot()
            transaction.savepoint_rollback(point)
            diff = changes(before, after)
            if response.status_code >= 500:
                violations.append((name, actor, "server error", response.status_code))
            elif rule == READING:
                if diff:
                    violations.append((name, actor, "a reading page changed something", diff))
            elif rule == SELF:
                if not only_own(diff, actor_user=user, after=after, before=before):
                    violations.append((name, actor, "changed someone else's rows", diff))
            elif actor in rule and not diff:
                violations.append(
                    (name, actor, "allowed but changed nothing", response.status_code)
                )
            elif actor not in rule and diff:
                violations.append((name, actor, "unauthorised change", diff))
    assert violations == [], "\n".join(map(str, violations))
