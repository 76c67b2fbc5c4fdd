"""Turns the demo document into a site through the same actions the newsroom and readers use."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from minbar.discussion import actions as discussion
from minbar.discussion.models import Comment
from minbar.discussion.policy import best_rank
from minbar.news import actions as news
from minbar.news.models import Article

SECTION_ORDER = ["سياسة", "اقتصاد", "رياضة", "ثقافة", "علوم وتقنية"]


def _reader(username: str):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"reader{User.objects.count() + 1}@example.org")
        user.set_password("minbar-reader-2026")
        user.save()
    return user


def load_demo_document(data: dict, *, editor) -> str:
    rng = random.Random(2026)
    voters_pool = [_reader(f"voter{n}") for n in range(1, 9)]
    articles = comments = votes = 0
    for entry in data["articles"]:
        if Article.objects.filter(slug=entry["slug"]).exists():
            continue
        section = news.do_get_or_create_section(
            name=entry["section"],
            position=SECTION_ORDER.index(entry["section"])
            if entry["section"] in SECTION_ORDER
            else 99,
        )
        authors = [news.do_get_or_create_author(name=name) for name in entry.get("authors", [])]
        tags = [news.do_get_or_create_tag(name=name) for name in entry.get("tags", [])]
        source = entry.get("source") or {}
        article = news.do_create_article(
            title=entry["title"], slug=entry["slug"], body=entry["body"], section=section,
            standfirst=entry.get("standfirst", ""), tags=tags, authors=authors, editor=editor,
            source_name=source.get("name", ""), source_url=source.get("url", ""),
            source_language=source.get("language", ""),
            comments_open=True,
        )  # fmt: skip
        articles += 1
        status = entry.get("status", "published")
        if status in {"published", "scheduled"}:
            news.do_publish_article(
                article, editor=editor, at=dt.datetime.fromisoformat(entry["published_at"])
            )
        by_id: dict[str, Comment] = {}
        for item in entry.get("comments", []):
            parent = by_id.get(item.get("parent")) if item.get("parent") else None
            comment = discussion.do_post_comment(
                article=article, author=_reader(item["author"]), text=item["text"],
                parent=parent, created_at=dt.datetime.fromisoformat(item["created_at"]),
            )  # fmt: skip
            by_id[item["id"]] = comment
            comments += 1
            target = int(item.get("score", 0))
            # Part of the score as votes cast here, the rest as carried over from an old site.
            voters = [u for u in voters_pool if u.pk != comment.author_id]
            cast = 0
            for voter in rng.sample(voters, k=min(len(voters), abs(target) // 2)):
                discussion.do_cast_vote(comment, voter=voter, value=1 if target > 0 else -1)
                cast += 1 if target > 0 else -1
                votes += 1
            Comment.objects.filter(pk=comment.pk).update(
                imported_score=target - cast,
                best_rank=best_rank(
                    upvotes=max(cast, 0), downvotes=max(-cast, 0), imported_score=target - cast
                ),
            )
            if item.get("status", "visible") != "visible":
                discussion.do_change_comment_status(comment, status=item["status"])
        if not entry.get("comments_open", True):
            news.do_update_article(article, editor=editor, comments_open=False)
    return f"Demo loaded: {articles} articles, {comments} comments, {votes} votes."
