"""The moderation area through HTTP: queues with each comment in context and the reader's
history, one-click decisions that keep the article's counters exact, featuring, closing, the
audit log, and reads in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from minbar.core import formatting
from minbar.discussion.models import Comment
from minbar.moderation.actions import do_feature_comment, do_update_site_settings
from minbar.moderation.models import AuditEntry
from tests.factories import make_article, make_comment, make_editor
from tests.moderation.conftest import (
    Tree,
    heading_and_counter,
    old_reader,
    page,
    post_comment,
)
from tests.state import shows_form

pytestmark = pytest.mark.django_db

PENDING = Comment.Status.PENDING


def card(tree: Tree, comment) -> dict:
    found = tree.find("article", data_comment_id=str(comment.pk))
    assert found, f"comment {comment.pk} is not in the queue"
    return found[0]


def inner(tree: Tree, outer: dict, tag: str, **attrs) -> list[dict]:
    """Elements of `tag` inside `outer` (by position in the document)."""
    start = tree.elements.index(outer)
    depth = len(outer["parents"])
    found = []
    for element in tree.elements[start + 1 :]:
        if len(element["parents"]) <= depth:
            break
        if element["tag"] == tag and all(
            dict(element["attrs"]).get(k) == v for k, v in attrs.items()
        ):
            found.append(element)
    return found


def assert_counts_agree(client, article) -> None:
    """The stored count, the heading and the counter all say how many comments are visible."""
    article.refresh_from_db()
    visible = Comment.objects.visible().filter(article=article).count()
    assert article.comment_count == visible
    client.logout()
    with translation.override("ar"):
        expected_heading = formatting.comments_heading(visible)
    assert heading_and_counter(client, article) == (expected_heading, str(visible))


def test_pending_queue_shows_each_comment_in_context_with_history_and_actions(
    client, article, moderator, reader
):
    parent = make_comment(article, author=old_reader("first_speaker"), text="النص الأصلي للنقاش")
    make_comment(article, author=reader, text="قديم ظاهر")
    reply = make_comment(article, author=reader, parent=parent, text="رد ينتظر", status=PENDING)
    client.force_login(moderator)
    tree = page(client.get(reverse("moderation:queue", args=["pending"])))
    item = card(tree, reply)
    text = Tree.text_of(item)
    assert "رد ينتظر" in text and "النص الأصلي للنقاش" in text
    links = {dict(a["attrs"]).get("href") for a in inner(tree, item, "a")}
    assert article.get_absolute_url() in links
    assert reverse("moderation:reader", args=[reader.pk]) in links
    history = inner(tree, item, "span")
    counts = {dict(e["attrs"]).get("data-history"): Tree.text_of(e) for e in history}
    assert counts["visible"] == "1" and counts["pending"] == "1"
    actions = {dict(f["attrs"])["action"] for f in inner(tree, item, "form")}
    assert actions == {
        reverse("moderation:approve", args=[reply.pk]),
        reverse("moderation:reject", args=[reply.pk]),
        reverse("moderation:ban-author", args=[reply.pk]),
    }


def test_moderator_approves_and_rejects_and_the_counters_follow(client, article, moderator):
    waiting = [make_comment(article, text=f"ينتظر {n}", status=PENDING) for n in range(3)]
    make_comment(article, text="ظاهر")
    client.force_login(moderator)
    queue = reverse("moderation:queue", args=["pending"])
    response = client.post(reverse("moderation:approve", args=[waiting[0].pk]), {"next": queue})
    assert response.status_code == 302 and response["Location"] == queue
    assert_counts_agree(client, article)
    client.force_login(moderator)
    client.post(reverse("moderation:reject", args=[waiting[1].pk]), {"reason": "خارج الموضوع"})
    assert_counts_agree(client, article)
    client.force_login(moderator)
    # Rejecting a visible comment takes it off the page and out of the count.
    client.post(reverse("moderation:reject", args=[waiting[0].pk]), {"reason": "إساءة"})
    assert_counts_agree(client, article)
    client.force_login(moderator)
    # And approving from the rejected queue brings it back.
    client.post(reverse("moderation:approve", args=[waiting[1].pk]))
    assert_counts_agree(client, article)
    article.refresh_from_db()
    assert article.comment_count == 2
    actions = list(
        AuditEntry.objects.order_by("created_at", "pk").values_list("action", "comment_id")
    )
    assert actions == [
        ("approve", waiting[0].pk),
        ("reject", waiting[1].pk),
        ("reject", waiting[0].pk),
        ("approve", waiting[1].pk),
    ]


def test_a_rejection_needs_a_reason(client, article, moderator):
    comment = make_comment(article, status=PENDING)
    client.force_login(moderator)
    response = client.post(reverse("moderation:reject", args=[comment.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert "اذكر السبب" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == PENDING


def test_rejected_queue_shows_the_reason_and_who_decided(client, article, moderator):
    comment = make_comment(article, text="إعلان عن منتج")
    client.force_login(moderator)
    client.post(reverse("moderation:reject", args=[comment.pk]), {"reason": "إعلان تجاري"})
    tree = page(client.get(reverse("moderation:queue", args=["rejected"])))
    text = Tree.text_of(card(tree, comment))
    assert "إعلان تجاري" in text and moderator.username in text


def test_featured_comments_are_shown_first_in_a_strip(client, article, moderator):
    first = make_comment(article, text="تعليق أول عادي")
    best = make_comment(article, text="تعليق يستحق التمييز")
    client.force_login(moderator)
    response = client.post(reverse("moderation:feature", args=[best.pk]), {"featured": "1"})
    assert response.status_code == 302
    client.logout()
    tree = page(client.get(article.get_absolute_url()))
    strip = tree.find("section", cls="featured-comments")
    assert len(strip) == 1
    featured_items = tree.find("li", cls="featured-comment")
    assert [dict(e["attrs"])["data-featured"] for e in featured_items] == [str(best.pk)]
    assert "تعليق يستحق التمييز" in Tree.text_of(strip[0])
    # The strip comes before the list, and the list still numbers every comment in its place.
    comments = tree.find("li", cls="comment")
    assert tree.elements.index(strip[0]) < tree.elements.index(comments[0])
    assert [dict(e["attrs"])["data-comment"] for e in comments] == [str(first.pk), str(best.pk)]
    assert "comment--featured" in comments[1]["classes"]
    client.force_login(moderator)
    client.post(reverse("moderation:feature", args=[best.pk]), {"featured": "0"})
    client.logout()
    assert not page(client.get(article.get_absolute_url())).find("section", cls="featured-comments")
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "feature",
        "unfeature",
    ]


def test_only_a_visible_comment_can_be_featured(client, article, moderator):
    comment = make_comment(article, status=PENDING)
    client.force_login(moderator)
    response = client.post(reverse("moderation:feature", args=[comment.pk]), {"featured": "1"})
    assert response.status_code == 409
    comment.refresh_from_db()
    assert not comment.is_featured


def test_rejecting_a_featured_comment_takes_it_out_of_the_strip(client, article, moderator):
    comment = make_comment(article, text="مميز ثم مرفوض")
    do_feature_comment(comment, moderator=moderator, featured=True)
    client.force_login(moderator)
    client.post(reverse("moderation:reject", args=[comment.pk]), {"reason": "خطأ في التمييز"})
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "featured-comments" not in html and "مميز ثم مرفوض" not in html


def test_moderator_can_close_and_reopen_comments_on_an_article(client, article, moderator, reader):
    url = reverse("moderation:article", args=[article.pk])
    client.force_login(moderator)
    response = client.post(url, {"premoderation": "", "reason": "نقاش خرج عن السيطرة"})
    assert response.status_code == 302
    client.force_login(reader)
    tree = page(client.get(article.get_absolute_url()))
    assert not shows_form(client, article)
    assert "التعليقات مغلقة" in Tree.text_of(tree.find("p", cls="notice--closed")[0])
    refused = post_comment(client, article, "هل من مجال؟")
    assert refused.status_code == 403
    # The form is gone, but what the reader typed is given back to copy.
    kept = page(refused).find("textarea", cls="typed-text")
    assert "".join(kept[0]["text"]) == "هل من مجال؟"
    client.force_login(moderator)
    client.post(url, {"comments_open": "on", "premoderation": ""})
    client.force_login(reader)
    assert post_comment(client, article, "عادت التعليقات").status_code == 302
    entries = AuditEntry.objects.order_by("pk")
    assert [(e.action, e.reason) for e in entries] == [
        ("close", "نقاش خرج عن السيطرة"),
        ("open", ""),
    ]


def test_comments_close_automatically_n_days_after_publication(client, staff, reader):
    old = make_article(title="مقال قديم", published_at=timezone.now() - dt.timedelta(days=4))
    fresh = make_article(title="مقال جديد", published_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(staff)
    response = client.post(
        reverse("moderation:settings"),
        {
            "premoderation": "off",
            "new_reader_comments": 2,
            "new_reader_max_links": 2,
            "report_threshold": 3,
            "auto_close_days": 3,
        },
    )
    assert response.status_code == 302
    client.force_login(reader)
    tree = page(client.get(old.get_absolute_url()))
    assert not shows_form(client, old)
    assert "تلقائيًا" in Tree.text_of(tree.find("p", cls="notice--closed")[0])
    assert post_comment(client, old, "متأخر").status_code == 403
    assert shows_form(client, fresh)
    assert post_comment(client, fresh, "في الوقت").status_code == 302


def test_staff_read_the_audit_log_with_who_what_when_and_why(client, article, moderator, staff):
    comment = make_comment(article, text="نص")
    client.force_login(moderator)
    client.post(reverse("moderation:reject", args=[comment.pk]), {"reason": "سبب واضح للرفض"})
    assert client.get(reverse("moderation:log")).status_code == 403
    client.force_login(staff)
    tree = page(client.get(reverse("moderation:log")))
    entries = tree.find("li", cls="mod-log__entry")
    assert len(entries) == 1
    text = Tree.text_of(entries[0])
    assert dict(entries[0]["attrs"])["data-action"] == "reject"
    assert moderator.username in text and "سبب واضح للرفض" in text and "رفض تعليقًا" in text
    assert inner(tree, entries[0], "time")


def test_site_settings_are_for_staff_only(client, moderator, staff):
    editor = make_editor("editor_x")
    for user in (moderator, editor):
        client.force_login(user)
        assert client.get(reverse("moderation:settings")).status_code == 403
    client.force_login(staff)
    assert client.get(reverse("moderation:settings")).status_code == 200


def test_bad_settings_are_refused_and_nothing_changes(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("moderation:settings"),
        {"premoderation": "sometimes", "new_reader_comments": -1, "report_threshold": 0},
    )
    assert response.status_code == 400
    assert not AuditEntry.objects.exists()


def test_the_area_is_in_arabic_and_english(client, moderator):
    client.force_login(moderator)
    arabic = client.get(reverse("moderation:queue", args=["pending"])).content.decode()
    assert 'lang="ar"' in arabic and "تعليقات بانتظار الموافقة" in arabic
    english = client.get("/en/moderation/queue/pending/").content.decode()
    assert 'lang="en"' in english and "Comments waiting for approval" in english


# --- reads in a fixed number of queries -------------------------------------------------------


def count_queries(client, url) -> int:
    client.get(url)  # settings and word lists are cached after the first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("queue", ["pending", "reported", "rejected"])
def test_queue_pages_read_in_a_fixed_number_of_queries(client, article, moderator, queue):
    from minbar.moderation.actions import do_reject_comment, do_report_comment

    def add(n):
        for i in range(n):
            author = old_reader()
            comment = make_comment(article, author=author, text=f"{queue} {i}", status=PENDING)
            if queue == "reported":
                comment.status = Comment.Status.VISIBLE
                Comment.objects.filter(pk=comment.pk).update(status="visible")
                do_report_comment(comment, reporter=old_reader(), reason="spam")
            if queue == "rejected":
                do_reject_comment(comment, moderator=moderator, reason="سبب")

    client.force_login(moderator)
    url = reverse("moderation:queue", args=[queue])
    add(2)
    few = count_queries(client, url)
    add(8)
    many = count_queries(client, url)
    assert many == few


def test_featured_strip_adds_one_query_whatever_its_size(client, article, moderator):
    url = article.get_absolute_url()
    for n in range(2):
        do_feature_comment(make_comment(article, text=f"م{n}"), moderator=moderator, featured=True)
    few = count_queries(client, url)
    for n in range(6):
        do_feature_comment(make_comment(article, text=f"ن{n}"), moderator=moderator, featured=True)
    assert count_queries(client, url) == few
    assert len(page(client.get(url)).find("li", cls="featured-comment")) == 5


def test_site_settings_changed_in_the_area_apply_at_once(client, staff, article, reader):
    do_update_site_settings(staff=staff, premoderation="off")
    client.force_login(reader)
    post_comment(client, article, "أول")
    client.force_login(staff)
    client.post(
        reverse("moderation:settings"),
        {"premoderation": "all", "new_reader_comments": 2, "new_reader_max_links": 2,
         "report_threshold": 3, "auto_close_days": ""},
    )  # fmt: skip
    client.force_login(reader)
    post_comment(client, article, "ثان")
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == [
        "visible",
        "pending",
    ]


def test_the_moderators_group_holds_moderation_rights_and_not_staff_ones(db):
    from django.contrib.auth.models import Group

    perms = set(
        Group.objects.get(name="moderators").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    for wanted in ("moderate_comments", "sanction_readers", "change_wordlistentry"):
        assert ("moderation", wanted) in perms
    for staff_only in ("change_sitesettings", "view_auditentry"):
        assert ("moderation", staff_only) not in perms


def test_the_demo_moderator_can_work_in_the_area(client, db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    demo = type(old_reader("placeholder")).objects.get(username="moderator")
    client.force_login(demo)
    assert client.get(reverse("moderation:queue", args=["pending"])).status_code == 200
    assert client.get(reverse("moderation:settings")).status_code == 403
