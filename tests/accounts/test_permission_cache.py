"""Permission sets come from the cache (accounts/permissions.py), and a change of role shows on
the reader's very next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minbar.moderation.roles import MODERATORS
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


def permission_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "auth_permission" in q["sql"]]


def moderation_status(client) -> int:
    """403 for readers; moderators are sent on to the first queue (302)."""
    return client.get(reverse("moderation:home")).status_code


def test_signed_in_pages_do_not_ask_the_database_for_permissions_again(client):
    article = make_article()
    make_comment(article, text="تعليق تظهر معه أدوات الإشراف لمن يملكها")
    client.force_login(make_user())
    state = reverse("serving:state") + f"?article={article.pk}"
    with CaptureQueriesContext(connection) as first:
        assert client.get(state).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(state).status_code == 200
    assert permission_queries(first)  # the reader's state does ask who may moderate
    assert permission_queries(second) == []
    assert len(second) < len(first)


def test_reader_made_moderator_moderates_on_the_next_request_and_stops_when_removed(client):
    reader = make_user()
    client.force_login(reader)
    assert moderation_status(client) == 403
    assert moderation_status(client) == 403  # now answered from the cache
    moderators = Group.objects.get(name=MODERATORS)
    moderators.user_set.add(reader)
    assert moderation_status(client) == 302
    reader.groups.remove(moderators)
    assert moderation_status(client) == 403


def test_moderators_lose_the_area_when_their_group_loses_the_permission(client):
    moderator = make_user(groups=[MODERATORS])
    client.force_login(moderator)
    assert moderation_status(client) == 302
    moderators = Group.objects.get(name=MODERATORS)
    moderate = Permission.objects.get(codename="moderate_comments")
    moderators.permissions.remove(moderate)
    assert moderation_status(client) == 403
    moderator.user_permissions.add(moderate)
    assert moderation_status(client) == 302


def test_superuser_flag_and_deactivation_apply_at_once(client):
    reader = make_user()
    client.force_login(reader)
    assert moderation_status(client) == 403
    type(reader).objects.filter(pk=reader.pk).update(is_superuser=True)
    assert moderation_status(client) == 302
    type(reader).objects.filter(pk=reader.pk).update(is_active=False)
    response = client.get(reverse("moderation:home"))  # signed out: sent to sign in
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
