"""The live discussion (decision 0019): `/live/<article>/?since=V` says what changed since the
version a page shows, the same bytes for every reader, public and short-lived; the new comments
are rendered by `/live/<article>/comments/?ids=…&v=W`. Nothing hidden is ever in either."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import caches
from django.test import Client

from minbar.discussion.models import Comment
from minbar.moderation.actions import do_reject_comment, do_set_article_discussion
from minbar.news import actions as news
from tests.factories import make_article, make_comment, make_established_reader, make_user
from tests.moderation.conftest import make_moderator, make_staff

# The article, the comments with their authors and parents, who of them works for the site
# (whether comments are open comes from moderation's cached settings).
QUERIES_FOR_NEW = 3

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("live", "commits")]


@pytest.fixture
def live(settings):
    settings.MINBAR_LIVE_DISCUSSION = True
    settings.MINBAR_PAGE_CACHE = True
    settings.MINBAR_FRAGMENT_CACHE = True
    caches["pages"].clear()
    caches["page-bodies"].clear()
    yield
    caches["pages"].clear()
    caches["page-bodies"].clear()


def _signed_in(user=None) -> Client:
    client = Client()
    client.force_login(user or make_established_reader())
    return client


def _page_version(article) -> tuple[str, int]:
    """The live feed's address and the version the article page shows."""
    html = Client().get(article.get_absolute_url()).content.decode()
    url = re.search(r'data-live="([^"]+)"', html).group(1)
    return url, int(re.search(r'data-live-version="([0-9]+)"', html).group(1))


def _changes(client, url: str, version: int) -> dict:
    response = client.get(url, {"since": version})
    assert response.status_code == 200
    return json.loads(response.content)


def test_anonymous_and_signed_in_readers_get_the_same_public_bytes_and_a_304():
    article = make_article()
    make_comment(article, text="أول تعليق")
    url, version = _page_version(article)
    answers = [
        Client().get(url, {"since": version}),
        _signed_in().get(url, {"since": version}),
        _signed_in(make_moderator()).get(url, {"since": version}),
    ]
    assert {a.content for a in answers} == {answers[0].content}
    assert json.loads(answers[0].content) == {"version": version}
    first = answers[0]
    control = first["Cache-Control"]
    assert "public" in control and "s-maxage=1" in control and "max-age=0" in control
    assert not first.cookies and "Cookie" not in first.get("Vary", "")
    again = Client().get(url, {"since": version}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_reader_sees_a_comment_posted_by_another_as_new_with_its_rendering():
    article = make_article()
    url, version = _page_version(article)
    writer = _signed_in()
    writer.post(f"{article.get_absolute_url()}comments/", {"text": "تعليق جديد للتو"})
    posted = Comment.objects.get(article=article)
    changes = _changes(Client(), url, version)
    assert changes["version"] == version + 1
    assert changes["new"] == [posted.pk] and changes["removed"] == []
    assert changes["count"] == 1 and changes["heading"]
    # Every page at the old version asks the same address and gets the same bytes.
    assert (
        Client().get(url, {"since": version}).content
        == _signed_in().get(url, {"since": version}).content
    )
    # Nothing more once the page has moved on.
    assert _changes(Client(), url, changes["version"]) == {"version": version + 1}
    rendered = Client().get(url + "comments/", {"ids": str(posted.pk), "v": changes["version"]})
    assert rendered.status_code == 200 and "public" in rendered["Cache-Control"]
    [shown] = json.loads(rendered.content)["comments"]
    assert shown["id"] == posted.pk and shown["parent"] is None
    assert "تعليق جديد للتو" in shown["html"] and f'id="comment-{posted.pk}"' in shown["html"]


def test_reader_sees_edits_votes_and_deletions_in_place():
    article = make_article()
    author = make_established_reader()
    mine = make_comment(article, author=author, text="نص أول")
    kept = make_comment(article, text="تعليق باقٍ")
    url, version = _page_version(article)
    _signed_in(author).post(f"/comments/{mine.pk}/edit/", {"text": "نص معدّل"})
    _signed_in().post(f"/comments/{kept.pk}/vote/", {"value": "1"})
    changes = _changes(Client(), url, version)
    assert changes["new"] == []
    updated = {u["id"]: u for u in changes["updated"]}
    assert "نص معدّل" in updated[mine.pk]["html"] and updated[mine.pk]["edited"] is True
    assert updated[kept.pk]["score"] in {"+1", "+١"}
    version = changes["version"]
    _signed_in(author).post(f"/comments/{mine.pk}/delete/")
    changes = _changes(Client(), url, version)
    assert changes["removed"] == [{"id": mine.pk, "deleted": True}]
    assert changes["updated"] == [] and changes["count"] == 1


def test_hidden_comments_never_reach_the_feed():
    article = make_article()
    shown = make_comment(article, text="تعليق ظاهر")
    url, version = _page_version(article)
    do_reject_comment(shown, moderator=make_moderator(), reason="خارج الموضوع")
    changes = _changes(Client(), url, version)
    assert changes["removed"] == [{"id": shown.pk, "deleted": False}]
    assert "تعليق ظاهر" not in json.dumps(changes, ensure_ascii=False)
    # A comment held for review is not mentioned at all, not even by its number.
    do_set_article_discussion(
        article, moderator=make_staff(), comments_open=True, premoderation="all", reason=""
    )
    version = _changes(Client(), url, changes["version"])["version"]
    _signed_in().post(f"{article.get_absolute_url()}comments/", {"text": "تعليق ينتظر المراجعة"})
    held = Comment.objects.get(article=article, status="pending")
    changes = _changes(Client(), url, version)
    assert changes["new"] == [] and changes["updated"] == [] and changes["removed"] == []
    assert str(held.pk) not in json.dumps(changes["new"] + changes["updated"])
    rendered = Client().get(url + "comments/", {"ids": str(held.pk), "v": changes["version"]})
    assert json.loads(rendered.content) == {"comments": []}


def test_reader_far_behind_is_told_to_reload():
    article = make_article()
    url, version = _page_version(article)
    make_comment(article)
    make_comment(article)
    caches["pages"].delete(f"discussion-log:{article.pk}:{version + 1}")  # expired
    assert _changes(Client(), url, version) == {"version": version + 2, "reset": True}
    assert _changes(Client(), url, version + 500)["reset"] is True


def test_visitor_cannot_get_a_500_from_bad_input():
    article = make_article()
    url, version = _page_version(article)
    for since in ("", "abc", "-1", "1.5", "9" * 19, "1,2"):
        response = Client().get(url, {"since": since} if since else {})
        assert response.status_code == 400, since
        assert "private" in response["Cache-Control"]
        assert json.loads(response.content)["error"]
    for ids in ("", "a", "1,,2", ",".join(["1"] * 101)):
        assert Client().get(url + "comments/", {"ids": ids, "v": "1"}).status_code == 400
    assert Client().get(url + "comments/", {"ids": "1"}).status_code == 400
    draft = make_article(published=False)
    assert Client().get(f"/live/{draft.pk}/", {"since": "1"}).status_code == 404
    assert Client().get("/live/999999/", {"since": "1"}).status_code == 404
    assert Client().get("/live/" + "9" * 30 + "/", {"since": "1"}).status_code == 404
    assert Client().post(url, {"since": version}).status_code == 405


def test_article_page_changes_version_after_its_article_changes(settings):
    article = make_article()
    _url, version = _page_version(article)
    news.do_update_article(article, title="عنوان آخر")
    caches["page-bodies"].clear()
    assert _page_version(article)[1] == version + 1
    settings.MINBAR_LIVE_DISCUSSION = False
    settings.MINBAR_FRAGMENT_CACHE = False
    caches["page-bodies"].clear()
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "data-live" not in html and "live.js" not in html
    assert Client().get(f"/live/{article.pk}/", {"since": "1"}).status_code == 404


def test_the_feed_and_the_new_comments_cost_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    article = make_article()
    make_comment(article)
    url, version = _page_version(article)
    with django_assert_num_queries(1):  # the article; the version and entries are in the cache
        _changes(Client(), url, version)
    posted = [make_comment(article, author=make_user()) for _ in range(5)]
    with django_assert_num_queries(3):  # the article, the comments named, the count
        changes = _changes(Client(), url, version)
    assert changes["new"] == [c.pk for c in posted]
    ids = ",".join(str(c.pk) for c in posted)
    with django_assert_num_queries(QUERIES_FOR_NEW):
        answer = Client().get(url + "comments/", {"ids": ids, "v": changes["version"]})
    assert [c["id"] for c in json.loads(answer.content)["comments"]] == changes["new"]


def test_reader_gets_the_new_comments_label_in_every_plural_form_of_their_language():
    import html as html_module

    article = make_article()
    page = Client().get(article.get_absolute_url()).content.decode()
    labels = json.loads(html_module.unescape(re.search(r'data-live-labels="([^"]+)"', page)[1]))
    assert labels["new"]["two"] == "تعليقان جديدان: اعرضهما"
    assert labels["new"]["many"] == "%(count)s تعليقًا جديدًا: اعرضها"
    assert len(set(labels["new"].values())) == 6 and "تغيّر" in labels["reset"]
    english = Client().get("/en" + article.get_absolute_url()).content.decode()
    assert 'data-live="/en/live/' in english
    labels = json.loads(html_module.unescape(re.search(r'data-live-labels="([^"]+)"', english)[1]))
    assert labels["new"]["one"] == "%(count)s new comment: show it"
    assert labels["new"]["few"] == "%(count)s new comments: show them"
