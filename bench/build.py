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
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from minbar.accounts.policy import username_key  # noqa: E402
from minbar.core.text import render_comment_markdown  # noqa: E402
from minbar.discussion import actions as discussion  # noqa: E402
from minbar.discussion.models import Comment  # noqa: E402
from minbar.news import actions as news  # noqa: E402
from minbar.news.models import Article  # noqa: E402

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


def make_readers() -> list:
    User = get_user_model()
    password = make_password("bench-password")
    existing = {u.username for u in User.objects.filter(username__startswith="bench-reader-")}
    User.objects.bulk_create(
        [
            User(
                username=f"bench-reader-{n}",
                username_key=username_key(f"bench-reader-{n}"),
                email=f"bench-reader-{n}@example.org",
                password=password,
                date_joined=timezone.now() - dt.timedelta(days=30),
            )
            for n in range(READERS)
            if f"bench-reader-{n}" not in existing
        ]
    )
    return list(User.objects.filter(username__startswith="bench-reader-").order_by("pk"))


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


@transaction.atomic
def in_bulk(target: Article, readers: list, *, count: int) -> None:
    """10,000 comments in bulk (the actions would take minutes), counted as the actions would."""
    start = timezone.now() - dt.timedelta(hours=5)
    rendered = {}
    rows = []
    for i in range(count):
        body = text(i % 64)
        if body not in rendered:
            rendered[body] = render_comment_markdown(body)
        rows.append(
            Comment(
                article=target,
                author=readers[i % len(readers)],
                body=body,
                body_html=rendered[body],
                created_at=start + dt.timedelta(seconds=i),
            )
        )
    Comment.objects.bulk_create(rows, batch_size=1000)
    # Every fourth comment becomes a reply to the top-level comment before it.
    created = list(
        Comment.objects.filter(article=target).order_by("pk").values_list("pk", flat=True)
    )
    last_root = None
    for i, pk in enumerate(created):
        if i % 4 == 3 and last_root is not None:
            Comment.objects.filter(pk=pk).update(parent_id=last_root, root_id=last_root, depth=1)
        else:
            last_root = pk
    Article.objects.filter(pk=target.pk).update(
        comment_count=Comment.objects.filter(article=target, status="visible").count()
    )


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
    a10k = article("مقال عليه عشرة آلاف تعليق", section, editor)
    in_bulk(a10k, readers, count=10_000)
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
