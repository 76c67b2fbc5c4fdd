"""`import_archive --comments-only`: a migration attaches comments to the articles the
newsroom already has and leaves every article exactly as it is (issue 15: a converter's
placeholders used to replace title, body, standfirst, tags and section)."""

from __future__ import annotations

import pytest

from minbar.discussion.models import Comment
from minbar.news.models import Article, ArticleRevision
from tests.archive.helpers import document, run_import
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def placeholder_file(**article_changes) -> dict:
    doc = document()
    entry = doc["articles"][0]
    entry.update(
        title="Placeholder", standfirst="", body="placeholder", section="Imported", tags=[],
        authors=[], **article_changes,
    )  # fmt: skip
    doc["articles"] = [entry]
    return doc


def snapshot(article: Article) -> tuple:
    article.refresh_from_db()
    return (
        Article.objects.filter(pk=article.pk).values().get() | {"comment_count": None},
        sorted(article.tags.values_list("name", flat=True)),
        sorted(article.authors.values_list("name", flat=True)),
        ArticleRevision.objects.filter(article=article).count(),
    )


@pytest.fixture
def existing():
    article = make_article(slug="kashmir-talks", title="العنوان الحقيقي", body="النص الحقيقي")
    article.tags.set([])
    return article


def test_without_the_flag_the_article_is_overwritten(tmp_path, existing):
    # The behaviour the flag exists for: a full import is the site's own round trip.
    assert run_import(placeholder_file(), tmp_path=tmp_path).ok
    existing.refresh_from_db()
    assert existing.title == "Placeholder"


def test_comments_only_adds_comments_and_leaves_the_article_alone(tmp_path, existing):
    before = snapshot(existing)
    outcome = run_import(placeholder_file(), "--comments-only", tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert "Articles: 0 new, 0 updated, 1 unchanged." in outcome.stdout
    assert snapshot(existing) == before
    assert Comment.objects.filter(article=existing).count() == 4
    existing.refresh_from_db()
    assert existing.comment_count == 3  # c4 is pending
    # A second run changes nothing either; a corrected comment is updated.
    doc = placeholder_file()
    doc["articles"][0]["comments"][0]["text"] = "نص مصحح"
    again = run_import(doc, "--comments-only", tmp_path=tmp_path)
    assert "Comments: 0 new, 1 updated, 3 unchanged." in again.stdout
    assert snapshot(existing) == before


def test_comments_only_finds_a_renamed_article_by_its_address(tmp_path, existing):
    before = snapshot(existing)
    doc = placeholder_file(slug="old-slug", url="https://old.example.com/articles/kashmir-talks")
    outcome = run_import(doc, "--comments-only", tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert not Article.objects.filter(slug="old-slug").exists()
    assert Comment.objects.filter(article=existing, import_id="c1").exists()
    assert snapshot(existing) == before


def test_comments_only_still_creates_an_article_that_is_not_here(tmp_path):
    outcome = run_import(placeholder_file(), "--comments-only", tmp_path=tmp_path)
    assert outcome.ok, outcome.stderr
    assert Article.objects.get(slug="kashmir-talks").title == "Placeholder"
