"""Turns the demo document into a site through the archive importer (the one path for demo
content and real imports), then casts a few votes as demo readers through the discussion's own
action, so the demo shows both imported scores and votes cast here."""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model

from minbar.accounts.models import User
from minbar.archive.actions import do_import_archive
from minbar.archive.validate import validate_archive
from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment
from minbar.news import actions as news
from minbar.news.demo.pictures import abstract_picture
from minbar.news.models import Article

SECTION_ORDER = ["سياسة", "اقتصاد", "رياضة", "ثقافة", "علوم وتقنية"]
VOTERS = 8


def _voter(username: str) -> User:
    """A reader who only votes in the demo: no sign-in of its own (hashing passwords for eight
    accounts nobody uses would double the time `make run` takes to start)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@example.org")
        user.set_unusable_password()
        user.save()
    return user


def _cast_demo_votes(article_ids: list[int]) -> int:
    """A few votes on visible comments, the same ones on every run (so a second run changes
    nothing): mostly agreeing with the score the comment brought with it."""
    rng = random.Random(2026)
    voters = [_voter(f"voter{n}") for n in range(1, VOTERS + 1)]
    comments = Comment.objects.filter(
        article_id__in=article_ids, status=Comment.Status.VISIBLE
    ).order_by("article_id", "created_at", "pk")
    votes = 0
    for comment in comments:
        if rng.random() >= 0.35:
            continue
        value = -1 if comment.imported_score < 0 else 1
        eligible = [voter for voter in voters if voter.pk != comment.author_id]
        for voter in rng.sample(eligible, k=rng.randint(1, 3)):
            discussion.do_cast_vote(comment, voter=voter, value=value)
            votes += 1
    return votes


def _add_demo_pictures(article_ids: list[int], *, editor: User | None) -> int:
    """A generated lead image for each demo article that has none yet."""
    added = 0
    for article in Article.objects.filter(pk__in=article_ids, image="").order_by("pk"):
        news.check_set_lead_image(
            article,
            upload=abstract_picture(article.slug),
            alt=DEMO_ALT,
            credit=DEMO_CREDIT,
            editor=editor,
            touch=False,  # the archive's time stays, so loading again changes nothing
        )
        added += 1
    return added


DEMO_ALT = "رسم تجريدي: تدرّج لوني تعلوه دوائر شفافة وأشرطة أفقية"
DEMO_CREDIT = "رسم توضيحي من منبر"


def load_demo_document(data: dict[str, Any], *, editor: User | None) -> str:
    # Sections first, so that the navigation lists them in this order.
    for position, name in enumerate(SECTION_ORDER):
        news.do_get_or_create_section(name=name, position=position)
    report = do_import_archive(validate_archive(data), editor=editor)
    votes = _cast_demo_votes(report.article_ids)
    pictures = _add_demo_pictures(report.article_ids, editor=editor)
    return (
        f"Demo loaded: {len(report.article_ids)} articles "
        f"({report.articles_created} new), {report.comments_created} new comments, "
        f"{report.accounts_created} imported reader accounts, {votes} votes, "
        f"{pictures} lead images."
    )
