"""The newsroom's workflow: actions, roles and the admin, in Arabic and right-to-left."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from minbar.news import actions
from minbar.news.errors import NewsError
from minbar.news.models import Article
from tests.factories import make_article, make_author_user, make_editor, make_section

pytestmark = pytest.mark.django_db


def admin_form(article: Article | None = None, **overrides) -> dict:
    section = article.section if article else make_section("سياسة")
    data = {
        "title": article.title if article else "خبر جديد من غرفة الأخبار",
        "slug": article.slug if article else "",
        "standfirst": "",
        "body": article.body if article else "نص الخبر.",
        "section": section.pk,
        "language": "ar",
        "status": article.status if article else "draft",
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
        "source_name": "",
        "source_url": "",
        "source_language": "",
    }
    data.update(overrides)
    return data


def test_colliding_titles_get_distinct_slugs_that_keep_arabic_letters():
    first = make_article(title="قمة المناخ", published=False)
    second = make_article(title="قمة المناخ", published=False)
    assert first.slug == "قمة-المناخ"
    assert second.slug == "قمة-المناخ-2"


def test_every_save_records_a_revision_and_an_editor_can_restore_one():
    editor = make_editor()
    article = make_article(title="العنوان الأول", editor=editor, published=False)
    actions.do_update_article(article, editor=editor, title="العنوان الثاني", body="نص جديد")
    actions.do_publish_article(article, editor=editor)
    summaries = list(
        article.revisions.order_by("created_at", "pk").values_list("summary", flat=True)
    )
    assert len(summaries) == 3
    first = article.revisions.order_by("created_at", "pk").first()
    actions.do_restore_revision(first, editor=editor)
    article.refresh_from_db()
    assert article.title == "العنوان الأول"
    assert article.status == Article.Status.PUBLISHED  # restoring content keeps publication
    assert article.revisions.count() == 4


def test_only_editors_publish_through_the_actions():
    author = make_author_user()
    with pytest.raises(NewsError) as refused:
        actions.check_can_publish(author)
    assert (refused.value.code, refused.value.status) == ("publish_forbidden", 403)
    actions.check_can_publish(make_editor())


def test_admin_is_arabic_and_right_to_left(client):
    client.force_login(make_editor())
    html = client.get(reverse("admin:news_article_add")).content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "منبر — غرفة الأخبار" in html


def test_author_can_write_a_draft_but_not_publish_it(client):
    author = make_author_user()
    client.force_login(author)
    response = client.post(reverse("admin:news_article_add"), admin_form(status="published"))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="خبر جديد من غرفة الأخبار")
    assert article.status == Article.Status.DRAFT  # the status field is read-only for authors
    assert article.created_by == author
    assert article.revisions.count() == 1


def test_author_cannot_edit_someone_elses_or_a_published_article(client):
    author = make_author_user()
    other = make_article(published=False, editor=make_author_user())
    own_published = make_article(editor=author)
    client.force_login(author)
    assert client.get(reverse("admin:news_article_change", args=[other.pk])).status_code in {
        302,
        403,
        404,
    }
    response = client.post(
        reverse("admin:news_article_change", args=[own_published.pk]),
        admin_form(own_published, title="تغيير غير مسموح"),
    )
    assert response.status_code in {302, 403}
    own_published.refresh_from_db()
    assert own_published.title != "تغيير غير مسموح"


def test_editor_publishes_schedules_and_unpublishes_in_the_admin(client):
    editor = make_editor()
    client.force_login(editor)
    article = make_article(published=False, editor=editor)
    url = reverse("admin:news_article_change", args=[article.pk])

    client.post(url, admin_form(article, status="published"))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at is not None
    assert client.get(article.get_absolute_url()).status_code == 200

    later = timezone.localtime(timezone.now() + dt.timedelta(days=2))
    client.post(
        url,
        admin_form(
            article,
            status="scheduled",
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404

    client.force_login(editor)
    client.post(url, admin_form(article, status="draft"))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    summaries = set(article.revisions.values_list("summary", flat=True))
    assert {"منشور", "مجدول", "أُلغي نشره"} <= summaries


def test_editor_forms_keep_what_was_typed_when_they_show_an_error(client):
    editor = make_editor()
    client.force_login(editor)
    long_title = "عنوان " * 60
    response = client.post(
        reverse("admin:news_article_add"),
        admin_form(title=long_title, body="نص كتبته المحررة بعناية"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "errornote" in html
    assert "نص كتبته المحررة بعناية" in html
    assert not Article.objects.exists()


def test_editor_cannot_save_what_the_actions_refuse_and_keeps_what_was_typed(client, monkeypatch):
    # The form's own limit is the model's; the actions' rule is the last word. Lowering the
    # actions' limit makes a title the form lets through one that do_create_article refuses.
    monkeypatch.setattr(actions, "TITLE_MAX", 10)
    client.force_login(make_editor())
    response = client.post(
        reverse("admin:news_article_add"),
        admin_form(title="عنوان أطول من الحد", body="نص كتبته المحررة بعناية"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "العنوان طويل جدًا." in html
    assert "عنوان أطول من الحد" in html and "نص كتبته المحررة بعناية" in html
    assert not Article.objects.exists()


def test_editor_cannot_keep_the_content_of_a_save_whose_publishing_is_refused(client, monkeypatch):
    # The content is saved before the publishing action runs; a refusal there (here, as if the
    # editor had lost the right meanwhile) undoes both, and the form comes back as typed.
    editor = make_editor()
    article = make_article(title="خبر في المسودة", editor=editor, published=False)

    def refuse(editor):
        raise NewsError("publish_forbidden", "ليس لك أن تنشر.", status=403, field="status")

    monkeypatch.setattr(actions, "check_can_publish", refuse)
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[article.pk])
    response = client.post(url, admin_form(article, title="عنوان جديد", status="published"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "ليس لك أن تنشر." in html and "عنوان جديد" in html
    article.refresh_from_db()
    assert (article.title, article.status) == ("خبر في المسودة", Article.Status.DRAFT)


def test_editor_sees_a_refused_bulk_publish_as_an_admin_error(client, monkeypatch):
    editor = make_editor()
    article = make_article(title="خبر في المسودة", editor=editor, published=False)

    def refuse(editor):
        raise NewsError("publish_forbidden", "ليس لك أن تنشر.", status=403, field="status")

    monkeypatch.setattr(actions, "check_can_publish", refuse)
    client.force_login(editor)
    response = client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "ليس لك أن تنشر." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_colliding_slug_is_a_form_error_in_arabic(client):
    editor = make_editor()
    existing = make_article(title="خبر قديم", editor=editor)
    client.force_login(editor)
    response = client.post(
        reverse("admin:news_article_add"), admin_form(title="خبر آخر", slug=existing.slug)
    )
    assert response.status_code == 200
    assert "موجود" in response.content.decode()
    assert Article.objects.count() == 1


def test_scheduling_in_the_past_is_refused_in_the_admin(client):
    editor = make_editor()
    client.force_login(editor)
    past = timezone.localtime(timezone.now() - dt.timedelta(days=1))
    response = client.post(
        reverse("admin:news_article_add"),
        admin_form(
            status="scheduled",
            published_at_0=past.strftime("%Y-%m-%d"),
            published_at_1=past.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 200
    assert "المستقبل" in response.content.decode()


def test_editor_sees_the_history_and_restores_a_revision_in_the_admin(client):
    editor = make_editor()
    article = make_article(title="الصيغة الأولى", editor=editor)
    actions.do_update_article(article, editor=editor, title="الصيغة الثانية")
    client.force_login(editor)
    history = client.get(reverse("admin:news_article_revisions", args=[article.pk]))
    assert history.status_code == 200
    assert "الصيغة الأولى" in history.content.decode()
    first = article.revisions.order_by("created_at", "pk").first()
    response = client.post(reverse("admin:news_article_restore", args=[article.pk, first.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "الصيغة الأولى"


def test_readers_cannot_reach_the_newsroom(client):
    from tests.factories import make_user

    client.force_login(make_user())
    response = client.get(reverse("admin:news_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_writes_articles_through_the_same_actions_as_everyone_else(client, monkeypatch):
    # One path per write: the admin creates and edits through do_create_article and
    # do_update_article (which render the body, stamp the time and record the revision), not
    # by saving the model itself.
    calls = []
    for name in ("do_create_article", "do_update_article"):
        real = getattr(actions, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(actions, name, spy)
    editor = make_editor()
    client.force_login(editor)
    tag = actions.do_get_or_create_tag(name="المناخ")
    response = client.post(
        reverse("admin:news_article_add"), admin_form(body="**نص**", tags=[tag.pk])
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert calls == ["do_create_article"]
    assert article.body_html == "<p><strong>نص</strong></p>\n"
    first = article.revisions.get()
    assert first.content["tags"] == [tag.pk]  # the first revision is complete
    assert article.created_by == editor

    url = reverse("admin:news_article_change", args=[article.pk])
    client.post(url, admin_form(article, body="نص *جديد*", status="published"))
    article.refresh_from_db()
    assert calls == ["do_create_article", "do_update_article"]
    assert "<em>جديد</em>" in article.body_html and article.status == Article.Status.PUBLISHED
    assert article.tags.count() == 0  # the form sent no tags this time
