"""Build the bench database: a 200-comment article, a 10,000-comment one, an article to post
to, and signed-in readers with sessions and CSRF secrets. Writes what run.py needs as JSON.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python bench/build.py OUT.json
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from minbar.accounts.actions import do_create_reader  # noqa: E402
from minbar.accounts.models import User  # noqa: E402
from minbar.archive.actions import do_import_archive  # noqa: E402
from minbar.archive.validate import validate_archive  # noqa: E402
from minbar.discussion import actions as discussion  # noqa: E402
from minbar.discussion.models import Comment  # noqa: E402
from minbar.news import actions as news  # noqa: E402
from minbar.news.models import Article, Section  # noqa: E402

# Distinct signed-in readers: the 2,000-reader run of run.py needs that many sessions.
READERS = 2000
SENTENCES = [
    "هذا تحليل منصف، لكنه يغفل أثر القرار على الأسر محدودة الدخل في المدن الصغيرة.",
    "أتفق مع الكاتب في **الخلاصة**، وأختلف معه في تقدير كلفة التنفيذ خلال السنوات المقبلة.",
    "> الأرقام المذكورة في الفقرة الثالثة تحتاج إلى مصدر.\nأين يمكن قراءة التقرير الأصلي؟",
    "تجربة بلادنا مع مشاريع مشابهة لم تكن مشجعة، والسبب غياب المتابعة لا قلة التمويل.",
    "سؤال للمحرر: هل ستنشرون ردّ الوزارة عندما يصدر؟ القرّاء يستحقون الصورة كاملة.",
    "I read the English summary too; the translation keeps the meaning, which is rare.",
    "لا أرى في الخبر جديدًا، فقد نُشر الأسبوع الماضي بتفاصيل أكثر في صحف أخرى.",
    "شكرًا على التغطية المتوازنة، وأرجو متابعة القضية بعد اجتماع المجلس القادم.",
]


def text(i: int) -> str:
    rnd = random.Random(i)
    return "\n\n".join(rnd.choice(SENTENCES) for _ in range(rnd.randint(2, 4)))


@transaction.atomic
def make_readers() -> list:
    """The signed-in readers, made by the sign-up's own action; their accounts are then dated a
    month back (as tests/factories.py does), so that the ordinary limits apply to them."""
    existing = {u.username for u in User.objects.filter(username__startswith="bench-reader-")}
    for n in range(READERS):
        if f"bench-reader-{n}" not in existing:
            do_create_reader(
                username=f"bench-reader-{n}",
                email=f"bench-reader-{n}@example.org",
                password="bench-password",
            )
    readers = User.objects.filter(username__startswith="bench-reader-")
    readers.update(date_joined=timezone.now() - dt.timedelta(days=30))
    return list(readers.order_by("pk"))


def article(title: str, section, editor) -> Article:
    created = news.do_create_article(
        title=title,
        body="\n\n".join(SENTENCES[:4]) * 3,
        section=section,
        editor=editor,
        standfirst="خبر للاختبار: صفحة عليها نقاش طويل.",
    )
    return news.do_publish_article(
        created, editor=editor, at=timezone.now() - dt.timedelta(hours=2)
    )


def with_actions(target: Article, readers: list, *, count: int) -> None:
    """Through the real actions, as readers would: threads, replies, votes."""
    roots: list[Comment] = []
    start = timezone.now() - dt.timedelta(hours=1)
    for i in range(count):
        parent = roots[-1] if roots and i % 4 == 3 else None
        comment = discussion.do_post_comment(
            article=target,
            author=readers[i % len(readers)],
            text=text(i),
            parent=parent,
            created_at=start + dt.timedelta(seconds=i),
        )
        if parent is None:
            roots.append(comment)
    for i, comment in enumerate(roots[:60]):
        for voter in readers[i + 1 : i + 1 + (i % 5)]:
            if voter.pk != comment.author_id:
                discussion.do_cast_vote(comment, voter=voter, value=1 if i % 3 else -1)


def in_bulk(title: str, section: Section, editor: User, readers: list, *, count: int) -> Article:
    """An article with 10,000 comments, through the archive importer: the one path that writes
    comments in batches, setting their roots, depths and the article's counters as it goes
    (the actions, one comment at a time, would take minutes). Every fourth comment is a reply
    to the top-level comment before it."""
    start = timezone.now() - dt.timedelta(hours=5)
    comments = []
    last_root = None
    for i in range(count):
        parent = last_root if i % 4 == 3 else None
        if parent is None:
            last_root = f"c{i}"
        comments.append(
            {
                "id": f"c{i}",
                "parent": parent,
                "author": readers[i % len(readers)].username,
                "created_at": (start + dt.timedelta(seconds=i)).isoformat(),
                "text": text(i % 64),
                "status": "visible",
            }
        )
    slug = "bench-10k"
    document = {
        "format": "minbar-archive",
        "version": 1,
        "site": {"name": "bench", "time_zone": "UTC"},
        "articles": [
            {
                "slug": slug,
                "title": title,
                "standfirst": "خبر للاختبار: صفحة عليها نقاش طويل.",
                "body": "\n\n".join(SENTENCES[:4]) * 3,
                "section": section.name,
                "status": "published",
                "published_at": (start - dt.timedelta(hours=1)).isoformat(),
                "comments": comments,
            }
        ],
    }
    do_import_archive(validate_archive(document), editor=editor)
    return Article.objects.get(slug=slug)


def sessions(readers: list) -> list[dict]:
    out = []
    for reader in readers:
        store = SessionStore()
        store[SESSION_KEY] = str(reader.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = reader.get_session_auth_hash()
        store.set_expiry(60 * 60 * 24)
        store.save()
        out.append({"sessionid": store.session_key, "csrf": get_random_string(32)})
    return out


def main(out: str) -> None:
    began = time.time()
    call_command("migrate", verbosity=0, interactive=False)
    editor = get_user_model().objects.create_superuser("bench-editor", "e@example.org", "x")
    section = news.do_get_or_create_section(name="الأخبار")
    readers = make_readers()
    a200 = article("مقال عليه مئتا تعليق", section, editor)
    with_actions(a200, readers, count=200)
    a10k = in_bulk("مقال عليه عشرة آلاف تعليق", section, editor, readers, count=10_000)
    posting = article("مقال للتعليق المتواصل", section, editor)
    data = {
        "a200": a200.get_absolute_url(),
        "a10k": a10k.get_absolute_url(),
        "a200_slug": a200.slug,
        "a200_id": a200.pk,
        "a10k_id": a10k.pk,
        "posting": posting.get_absolute_url(),
        "posting_id": posting.pk,
        "sessions": sessions(readers),
        "build_seconds": round(time.time() - began, 1),
    }
    Path(out).write_text(json.dumps(data, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
