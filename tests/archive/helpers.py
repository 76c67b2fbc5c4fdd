"""Archive documents to start from, the two commands as a test calls them, and the whole site's
state as rows, to compare before and after."""

from __future__ import annotations

import copy
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from minbar.discussion.models import Comment, CommentVote
from minbar.news.models import Article, ArticleRevision, Author, Section, Tag

BASE: dict[str, Any] = {
    "format": "minbar-archive",
    "version": 1,
    "site": {"name": "منبر", "time_zone": "Asia/Riyadh"},
    "articles": [
        {
            "slug": "kashmir-talks",
            "title": "محادثات كشمير تستأنف في جنيف",
            "standfirst": "جولة جديدة بعد توقف طويل.",
            "body": "نص **المقال** الأول.\n\nفقرة ثانية.",
            "language": "ar",
            "section": "سياسة",
            "tags": ["كشمير", "مفاوضات"],
            "authors": ["سلمى الحداد"],
            "status": "published",
            "published_at": "2022-07-15T09:00:00+03:00",
            "updated_at": "2022-07-15T09:30:00+03:00",
            "comments_open": True,
            "source": {"name": "The Ledger", "url": "https://example.com/a", "language": "en"},
            "comments": [
                {
                    "id": "c1",
                    "parent": None,
                    "author": "samir_h",
                    "created_at": "2022-07-15T10:29:00+03:00",
                    "text": "تعليق **أول**.",
                    "score": 5,
                    "status": "visible",
                },
                {
                    "id": "c2",
                    "parent": "c1",
                    "author": "dana-m",
                    "created_at": "2022-07-15T10:40:00+03:00",
                    "text": "رد على التعليق الأول.",
                    "score": -1,
                },
                {
                    "id": "c3",
                    "parent": "c2",
                    "author": "أبو_خالد",
                    "created_at": "2022-07-15T11:00:00+03:00",
                    "text": "رد على الرد.",
                },
                {
                    "id": "c4",
                    "author": "dana-m",
                    "created_at": "2022-07-15T12:00:00+03:00",
                    "text": "ينتظر المراجعة.",
                    "status": "pending",
                },
            ],
        },
        {
            "title": "معرض الرياض للكتاب",
            "body": "نص المقال الثاني.",
            "section": "ثقافة",
            "published_at": "2022-08-01T10:00:00+03:00",
            "comments": [
                {
                    "id": "x1",
                    "author": "samir_h",
                    "created_at": "2022-08-01T11:00:00+03:00",
                    "text": "تعليق على المعرض.",
                    "score": 3,
                }
            ],
        },
    ],
}


def document(**changes: Any) -> dict[str, Any]:
    """A fresh copy of BASE, top-level keys replaced by `changes`."""
    doc = copy.deepcopy(BASE)
    doc.update(changes)
    return doc


@dataclass
class Outcome:
    ok: bool
    stdout: str
    stderr: str

    def pointers(self) -> list[str]:
        """The JSON pointers of the printed errors, in order."""
        return [line.split(": ", 1)[0] for line in self.stderr.splitlines() if ": " in line]


def run_import(content: dict | str | bytes, *args: str, tmp_path: Path) -> Outcome:
    path = tmp_path / "archive.json"
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):  # the assertions read the English messages
            call_command("import_archive", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        return Outcome(False, out.getvalue(), err.getvalue())
    return Outcome(True, out.getvalue(), err.getvalue())


def run_export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_archive", "-", *args, stdout=out)
    return out.getvalue()


def site_state() -> dict[str, list]:
    """Every row an import could touch."""
    User = get_user_model()
    return {
        "articles": list(Article.objects.order_by("pk").values()),
        "comments": list(Comment.objects.order_by("pk").values()),
        "votes": list(CommentVote.objects.order_by("pk").values()),
        "users": list(
            User.objects.order_by("pk").values_list("pk", "username", "is_active", "password")
        ),
        "sections": list(Section.objects.order_by("pk").values()),
        "tags": list(Tag.objects.order_by("pk").values()),
        "authors": list(Author.objects.order_by("pk").values()),
        "article_tags": list(Article.tags.through.objects.order_by("pk").values()),
        "article_authors": list(Article.authors.through.objects.order_by("pk").values()),
        "revisions": list(ArticleRevision.objects.order_by("pk").values_list("pk", "summary")),
    }


def shown_score(html: str, comment_id: int) -> str:
    """The score printed in a comment's head on the article page (e.g. `+7`, `−2`)."""
    match = re.search(
        rf'id="comment-{comment_id}".*?data-score>(.*?)</span>', html, flags=re.DOTALL
    )
    assert match, f"comment {comment_id} has no score on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()
