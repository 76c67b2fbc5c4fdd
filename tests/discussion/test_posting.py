"""Readers post, reply, edit and delete through the pages; every refusal keeps their text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minbar.discussion import policy
from minbar.discussion.models import Comment
from minbar.news import actions as news
from tests.factories import make_article, make_comment, make_user
from tests.news.test_pages import Page
from tests.state import shows_form

pytestmark = pytest.mark.django_db


def outside_templates(html: str) -> str:
    """The page as the browser shows it: <template> content is inert until a script uses it."""
    return re.sub(r"<template\b.*?</template>", "", html, flags=re.S)


def post_url(article) -> str:
    return reverse("discussion:post", args=[article.slug])


def heading_and_counter(client, article) -> tuple[str, str]:
    page = Page(client.get(article.get_absolute_url()).content.decode())
    return page.find("h2", id="comments")[0][1], page.find("a", class_="comment-counter")[0][1]


def test_anonymous_reader_sees_the_information_box_and_no_form(client):
    article = make_article()
    make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    page = Page(html)
    box = page.find("aside", class_="info-box")[0][1]
    assert "عزيزي القارئ، لترك تعليقات على المنشور، يجب عليك تسجيل الدخول." in box
    links = {
        text: a["href"] for a, text in page.find("a") if text in {"تسجيل الدخول", "إنشاء حساب"}
    }
    assert links["تسجيل الدخول"].startswith("/accounts/login/?next=")
    assert article.get_absolute_url() in links["إنشاء حساب"]
    assert 'id="comment-form"' not in outside_templates(html)
    assert "vote-form" not in html


def test_anonymous_reader_cannot_post(client):
    article = make_article()
    response = client.post(post_url(article), {"text": "مرحبا"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_reader_can_post_and_the_counters_agree(client):
    article = make_article()
    reader = make_user("reem_k")
    client.force_login(reader)
    # The page is the information box for everyone; the reader's state brings the form.
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="comment-form"' not in outside_templates(html) and 'id="info-box"' in html
    assert shows_form(client, article)
    response = client.post(post_url(article), {"text": "تعليق **مهم** جدًا"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.body == "تعليق **مهم** جدًا"
    assert "<strong>مهم</strong>" in comment.body_html
    heading, counter = heading_and_counter(client, article)
    assert heading == "تعليق واحد" and "1" in counter
    page = Page(client.get(article.get_absolute_url()).content.decode())
    assert page.find("bdi", class_="comment__author")[0][1] == "reem_k"
    assert page.find("span", class_="comment__number")[0][1] == "1."


def test_reader_can_reply_and_replies_nest_three_levels_then_flatten(client):
    article = make_article()
    reader = make_user()
    client.force_login(reader)
    parent = None
    chain = []
    for depth in range(6):
        data = {"text": f"مستوى {depth}"}
        if parent:
            data["parent"] = parent.pk
        assert client.post(post_url(article), data).status_code == 302
        parent = Comment.objects.latest("pk")
        chain.append(parent)
    assert [c.depth for c in chain] == [0, 1, 2, 3, 4, 5]
    html = client.get(article.get_absolute_url()).content.decode()
    page = Page(html)
    classes = {
        a["id"]: a["class"] for a, _ in page.find("li") if a.get("id", "").startswith("comment-")
    }
    assert classes[f"comment-{chain[3].pk}"].split()[1] == "depth-3"
    assert classes[f"comment-{chain[5].pk}"].split()[1] == "depth-3"
    reply_links = [a["href"] for a, _ in page.find("a", class_="comment__reply-to")]
    assert f"#comment-{chain[3].pk}" in reply_links and f"#comment-{chain[4].pk}" in reply_links
    # Only the top-level comment is numbered.
    assert [text for _, text in page.find("span", class_="comment__number")] == ["1."]


def test_the_reply_page_works_without_javascript(client):
    article = make_article()
    comment = make_comment(article, text="التعليق الأصلي")
    client.force_login(make_user())
    page = client.get(reverse("discussion:reply", args=[comment.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "التعليق الأصلي" in html and f'name="parent" value="{comment.pk}"' in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "اكتب شيئًا قبل النشر."),
        ("   \n\t  ", "اكتب شيئًا قبل النشر."),
        ("\u202e\u202d", "اكتب شيئًا قبل النشر."),
        ("ب" * 5001, "لا يجوز أن يتجاوز التعليق 5000 حرف."),
    ],
)
def test_reader_cannot_post_empty_or_overlong_comments_and_keeps_the_text(client, text, message):
    article = make_article()
    client.force_login(make_user())
    response = client.post(post_url(article), {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if text.strip():
        assert text[:100] in html
    assert not Comment.objects.exists()


def test_reader_cannot_reply_to_a_comment_of_another_article_or_a_missing_or_deleted_one(client):
    article = make_article()
    other = make_article()
    foreign = make_comment(other)
    gone = make_comment(article)
    from minbar.discussion.actions import do_delete_comment

    do_delete_comment(gone)
    client.force_login(make_user())
    for parent_id in (foreign.pk, gone.pk, 999999):
        response = client.post(post_url(article), {"text": "ردّي المكتوب", "parent": parent_id})
        assert response.status_code == 400
        html = response.content.decode()
        assert "ردّي المكتوب" in html
        assert "التعليق الذي تردّ عليه" in html
    assert Comment.objects.filter(body="ردّي المكتوب").count() == 0


def test_reader_cannot_post_where_comments_are_closed(client):
    article = make_article(comments_open=False)
    client.force_login(make_user())
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="comment-form"' not in html and "التعليقات مغلقة على هذا المقال." in html
    assert not shows_form(client, article)
    response = client.post(post_url(article), {"text": "نص محفوظ"})
    assert response.status_code == 403
    assert "نص محفوظ" in response.content.decode()
    assert not Comment.objects.exists()


def test_reader_cannot_post_on_a_draft(client):
    article = make_article(published=False)
    client.force_login(make_user())
    assert client.post(post_url(article), {"text": "نص"}).status_code == 404
    assert not Comment.objects.exists()


def test_a_stale_or_forged_csrf_token_is_refused_in_arabic_with_the_text_given_back():
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    response = client.post(
        post_url(article), {"text": "نصّي الطويل", "csrfmiddlewaretoken": "forged" * 6}
    )
    assert response.status_code == 403
    html = response.content.decode()
    page = Page(html)
    assert page.find("textarea", class_="typed-text")[0][1] == "نصّي الطويل"
    assert "انتهت صلاحية النموذج" in page.find("h1")[0][1]
    assert not Comment.objects.exists()


def test_html_script_and_control_characters_in_comments_are_inert(client):
    article = make_article()
    client.force_login(make_user())
    text = (
        "مرحبا <script>alert(1)</script> <img src=x onerror=alert(2)> "
        "[رابط](javascript:alert(3)) \x07\x1b \u202eمعكوس\u202c [موقع](https://example.org)"
    )
    assert client.post(post_url(article), {"text": text}).status_code == 302
    comment = Comment.objects.get()
    assert "\x07" not in comment.body and "\u202e" not in comment.body
    html = client.get(article.get_absolute_url()).content.decode()
    body = re.split(r'class="comment__body"[^>]*>', html, maxsplit=1)[1].split("</div>", 1)[0]
    parsed = Page(body)
    assert {t for t, _, _ in parsed.elements} <= {"p", "a", "strong", "em"}
    links = [a for t, a, _ in parsed.elements if t == "a"]
    assert [a["href"] for a in links] == ["https://example.org"]
    assert links[0]["rel"] == "nofollow ugc noopener"


def test_author_can_edit_within_ten_minutes_and_an_edited_mark_shows(client):
    article = make_article()
    reader = make_user()
    comment = make_comment(article, author=reader, text="قبل")
    client.force_login(reader)
    url = reverse("discussion:edit", args=[comment.pk])
    assert "قبل" in client.get(url).content.decode()
    assert client.post(url, {"text": "بعد"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "بعد" and comment.edited_at is not None
    assert "(معدَّل)" in client.get(article.get_absolute_url()).content.decode()


def test_author_cannot_edit_after_ten_minutes_or_once_replied(client):
    article = make_article()
    reader = make_user()
    old = make_comment(
        article, author=reader, text="قديم", created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    replied = make_comment(article, author=reader, text="عليه رد")
    make_comment(article, parent=replied)
    client.force_login(reader)
    response = client.post(reverse("discussion:edit", args=[old.pk]), {"text": "تعديل متأخر"})
    assert response.status_code == 403
    assert "تعديل متأخر" in response.content.decode()
    response = client.post(reverse("discussion:edit", args=[replied.pk]), {"text": "تعديل"})
    assert response.status_code == 403
    old.refresh_from_db()
    replied.refresh_from_db()
    assert old.body == "قديم" and replied.body == "عليه رد"


def test_reader_cannot_edit_or_delete_someone_elses_comment(client):
    article = make_article()
    comment = make_comment(article, text="ليس لك")
    client.force_login(make_user())
    assert (
        client.post(reverse("discussion:edit", args=[comment.pk]), {"text": "x"}).status_code == 404
    )
    assert client.post(reverse("discussion:delete", args=[comment.pk])).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "ليس لك" and comment.status == Comment.Status.VISIBLE


def test_author_can_delete_and_a_placeholder_keeps_a_thread_with_replies(client):
    article = make_article()
    reader = make_user()
    lonely = make_comment(article, author=reader, text="وحيد")
    parent = make_comment(article, author=reader, text="له ردود")
    make_comment(article, parent=parent, text="ردّ باقٍ")
    client.force_login(reader)
    assert heading_and_counter(client, article)[0] == "3 تعليقات"
    for comment in (lonely, parent):
        assert client.post(reverse("discussion:delete", args=[comment.pk])).status_code == 302
    html = client.get(article.get_absolute_url()).content.decode()
    assert "وحيد" not in html and "له ردود" not in html
    assert html.count("حُذف هذا التعليق.") == 1
    assert "ردّ باقٍ" in html
    heading, counter = heading_and_counter(client, article)
    assert heading == "تعليق واحد" and "1" in counter
    article.refresh_from_db()
    assert article.comment_count == 1


def test_order_can_be_switched_to_best_and_newest(client):
    article = make_article()
    base = timezone.now() - dt.timedelta(hours=1)
    first = make_comment(article, text="الأول", created_at=base)
    second = make_comment(article, text="الثاني", created_at=base + dt.timedelta(minutes=1))
    third = make_comment(article, text="الثالث", created_at=base + dt.timedelta(minutes=2))
    from minbar.discussion.actions import do_cast_vote

    for _ in range(3):
        do_cast_vote(second, voter=make_user(), value=1)
    do_cast_vote(third, voter=make_user(), value=-1)

    def order(query: str) -> list[int]:
        response = client.get(article.get_absolute_url() + query, follow=True)
        page = Page(response.content.decode())
        return [int(a["data-comment"]) for a, _ in page.find("li") if "data-comment" in a]

    assert order("") == [first.pk, second.pk, third.pk]
    assert order("?order=best") == [second.pk, first.pk, third.pk]
    assert order("?order=newest") == [third.pk, second.pk, first.pk]
    assert order("?order=nonsense") == [first.pk, second.pk, third.pk]


def test_long_threads_are_paginated_and_a_permalink_finds_its_page(client):
    article = make_article()
    author = make_user()
    base = timezone.now() - dt.timedelta(days=1)
    comments = [
        make_comment(
            article, author=author, text=f"رقم {n}", created_at=base + dt.timedelta(seconds=n)
        )
        for n in range(205)
    ]
    reply = make_comment(article, parent=comments[150], text="رد في الصفحة الثانية")
    page_two = Page(client.get(article.get_absolute_url() + "?page=2").content.decode())
    numbers = [text for _, text in page_two.find("span", class_="comment__number")]
    assert numbers[0] == "101." and numbers[-1] == "200." and len(numbers) == 100
    response = client.get(reverse("discussion:permalink", args=[reply.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?page=2#comment-{reply.pk}")
    assert (
        f'id="comment-{reply.pk}"'
        in client.get(response["Location"].split("#")[0]).content.decode()
    )
    newest = client.get(reverse("discussion:permalink", args=[comments[0].pk]) + "?order=newest")
    assert newest["Location"].endswith(f"?order=newest&page=3#comment-{comments[0].pk}")
    assert client.get(article.get_absolute_url() + "?page=4").status_code == 404


def test_a_new_thread_on_a_long_discussion_lands_on_the_last_page(client):
    article = make_article()
    writer = make_user()
    base = timezone.now() - dt.timedelta(days=1)
    for n in range(150):
        make_comment(
            article, author=writer, text=f"رقم {n}", created_at=base + dt.timedelta(seconds=n)
        )
    article.refresh_from_db()
    client.force_login(make_user())
    response = client.post(post_url(article), {"text": "خيط جديد في آخر النقاش"})
    new = Comment.objects.latest("pk")
    assert response["Location"] == f"{article.get_absolute_url()}?page=last#comment-{new.pk}"
    landing = client.get(response["Location"].split("#")[0])
    assert landing.status_code == 200
    page = Page(landing.content.decode())
    assert page.find("span", class_="comment__number")[-1][1] == "151."
    assert f'id="comment-{new.pk}"' in landing.content.decode()
    # On a short discussion "last" is page 1; a page that does not exist is still a 404.
    short = make_article()
    assert client.get(short.get_absolute_url() + "?page=last").status_code == 200
    assert client.get(short.get_absolute_url() + "?page=lastt").status_code == 404


def test_unpublishing_hides_comments_and_permalinks(client):
    article = make_article()
    comment = make_comment(article)
    news.do_unpublish_article(article)
    assert client.get(reverse("discussion:permalink", args=[comment.pk])).status_code == 404


def test_names_are_isolated_so_they_cannot_reorder_the_page(client):
    article = make_article()
    reader = make_user("nour88", display_name="<b>نور</b> \u2067x")
    make_comment(article, author=reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<bdi class="comment__author">&lt;b&gt;نور&lt;/b&gt;' in html


def test_comment_times_are_absolute_with_machine_readable_iso(client, settings):
    settings.TIME_ZONE = "Asia/Riyadh"
    article = make_article()
    when = dt.datetime(2022, 7, 15, 7, 29, tzinfo=dt.UTC)
    comment = make_comment(article, created_at=when)
    html = client.get(article.get_absolute_url()).content.decode()
    times = Page(html).find("time", datetime="2022-07-15T10:29:00+03:00")
    assert [text for _, text in times] == ["15 يوليو 2022 10:29"]
    assert f'href="/comments/{comment.pk}/"><time' in html


@pytest.mark.parametrize(
    ("minutes", "said"),
    [(10, "أول 10 دقائق"), (15, "أول 15 دقيقة"), (2, "الدقيقتين الأوليين")],
)
def test_author_is_told_the_edit_window_the_rule_applies(client, monkeypatch, minutes, said):
    # The message is written from policy.EDIT_WINDOW, so the window and the words agree.
    monkeypatch.setattr(policy, "EDIT_WINDOW", dt.timedelta(minutes=minutes))
    article = make_article()
    reader = make_user()
    late = make_comment(
        article,
        author=reader,
        text="قديم",
        created_at=timezone.now() - dt.timedelta(minutes=minutes + 1),
    )
    client.force_login(reader)
    response = client.post(reverse("discussion:edit", args=[late.pk]), {"text": "تعديل متأخر"})
    assert response.status_code == 403
    assert said in response.content.decode()
    english = client.post(f"/en{reverse('discussion:edit', args=[late.pk])}", {"text": "x"})
    assert f"in the first {minutes} minutes" in english.content.decode()
