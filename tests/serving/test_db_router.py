"""The primary/replica router: reads from the replica, writes and a writer's next reads from the
primary. "replica" is a second alias on the test database (TEST MIRROR), as in production it
would be a second server following the first."""

from __future__ import annotations

import contextvars

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from config.db_router import PIN_COOKIE, PrimaryReplicaRouter
from tests.factories import make_article, make_comment, make_user


def _add_replica_alias() -> None:
    # At collection time, before the test databases are set up, like a settings entry would be.
    if "replica" not in connections.settings:
        connections.settings["replica"] = {
            **connections["default"].settings_dict,
            "TEST": {**connections["default"].settings_dict.get("TEST", {}), "MIRROR": "default"},
        }


_add_replica_alias()
both = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replicated(settings):
    settings.DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "config.db_router.PinToPrimaryMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    yield
    connections["replica"].close()


def _queries(alias: str):
    return CaptureQueriesContext(connections[alias])


@both
def test_anonymous_reader_can_read_pages_from_the_replica(client, replicated):
    article = make_article()
    make_comment(article, text="من النسخة")
    with _queries("default") as primary, _queries("replica") as replica:
        page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and "من النسخة" in page.content.decode()
    assert len(replica) > 0
    assert len(primary) == 0
    assert PIN_COOKIE not in page.cookies


@both
def test_reader_who_just_wrote_can_read_from_the_primary(client, replicated):
    article = make_article()
    client.force_login(make_user())
    with _queries("default") as primary:
        posted = client.post(f"{article.get_absolute_url()}comments/", {"text": "كتبتُ للتو"})
    assert posted.status_code == 302
    assert len(primary) > 0
    assert PIN_COOKIE in posted.cookies
    with _queries("default") as primary, _queries("replica") as replica:
        page = client.get(article.get_absolute_url())
    assert "كتبتُ للتو" in page.content.decode()
    assert len(primary) > 0 and len(replica) == 0


@both
def test_reader_whose_pin_has_run_out_cannot_stay_on_the_primary(client, replicated):
    article = make_article()
    client.cookies[PIN_COOKIE] = "1"  # a time long past
    with _queries("default") as primary, _queries("replica") as replica:
        client.get(article.get_absolute_url())
    assert len(primary) == 0 and len(replica) > 0


def test_router_can_send_writes_and_migrations_only_to_the_primary():
    routing = PrimaryReplicaRouter()

    def read_write_read():
        return routing.db_for_read(None), routing.db_for_write(None), routing.db_for_read(None)

    # In a context of its own: a write pins the rest of that context (one request) only.
    assert contextvars.Context().run(read_write_read) == ("replica", "default", "default")
    assert contextvars.Context().run(routing.db_for_read, None) == "replica"
    assert routing.allow_migrate("default", "news") is True
    assert routing.allow_migrate("replica", "news") is False
