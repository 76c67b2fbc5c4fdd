"""Every change to the newsroom's content. The admin, the commands, the importer and the tests
all publish through these functions, so "publish" means one thing everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from minbar.accounts.models import User
from minbar.core.announce import announce, announce_each
from minbar.core.signals import article_changed, lists_changed
from minbar.core.text import render_article_markdown
from minbar.news import images
from minbar.news.errors import NewsError
from minbar.news.models import SLUG_MAX, TITLE_MAX, Article, ArticleRevision, Author, Section, Tag

CONTENT_FIELDS = (
    "title", "standfirst", "body", "language", "section_id", "source_name", "source_url",
    "source_language", "comments_open",
)  # fmt: skip


def slug_from(text: str, *, max_length: int = SLUG_MAX) -> str:
    """A slug that keeps Arabic letters (`قمة-المناخ`); never empty."""
    slug = slugify(text, allow_unicode=True)[:max_length].strip("-")
    return slug or "article"


def unique_slug(
    text: str,
    *,
    model: type[Article | Section | Tag | Author] = Article,
    exclude_pk: int | None = None,
) -> str:
    """`slug_from(text)`, with `-2`, `-3` … added when another row already has it."""
    base = slug_from(text, max_length=SLUG_MAX - 8)
    rows = model.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    taken = set(rows.values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def snapshot(article: Article) -> dict[str, Any]:
    """The full content of an article, as stored in a revision."""
    return {
        **{field: getattr(article, field) for field in CONTENT_FIELDS},
        "slug": article.slug,
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "tags": sorted(article.tags.values_list("pk", flat=True)),
        "authors": sorted(article.authors.values_list("pk", flat=True)),
    }


def _record(article: Article, *, editor: User | None, summary: str) -> ArticleRevision:
    revision = ArticleRevision.objects.create(
        article=article, editor=editor, summary=summary, content=snapshot(article)
    )
    announce(article_changed, sender=Article, article_id=article.pk)
    return revision


def do_record_revision(
    article: Article, *, editor: User | None = None, summary: str = ""
) -> ArticleRevision:
    """Record the article as it stands (used after the admin saved content and relations)."""
    return _record(article, editor=editor, summary=summary)


def _validate(article: Article) -> None:
    if not article.title.strip():
        raise NewsError("title_missing", _("An article needs a title."), field="title")
    if len(article.title) > TITLE_MAX:
        raise NewsError("title_too_long", _("The title is too long."), field="title")
    if not article.body.strip():
        raise NewsError("body_missing", _("An article needs a body."), field="body")


@transaction.atomic
def do_create_article(
    *,
    title: str,
    body: str,
    section: Section,
    editor: User | None = None,
    slug: str = "",
    standfirst: str = "",
    language: str = "ar",
    tags: Iterable[Tag] = (),
    authors: Iterable[Author] = (),
    source_name: str = "",
    source_url: str = "",
    source_language: str = "",
    comments_open: bool = True,
    instance: Article | None = None,
) -> Article:
    """Create a draft and record its first revision (with its tags and authors). `instance`
    is an unsaved Article to fill in (the admin's form gives one); its status is set to draft:
    publishing is `do_publish_article`'s."""
    article = instance if instance is not None else Article()
    article.title = title.strip()
    article.slug = slug or unique_slug(title)
    article.standfirst = standfirst.strip()
    article.body = body
    article.body_html = render_article_markdown(body)
    article.language = language
    article.section = section
    article.source_name = source_name
    article.source_url = source_url
    article.source_language = source_language
    article.comments_open = comments_open
    article.created_by = editor
    article.status = Article.Status.DRAFT
    article.published_at = None
    _validate(article)
    article.save()
    article.tags.set(tags)
    article.authors.set(authors)
    _record(article, editor=editor, summary=_("Created"))
    return article


@transaction.atomic
def do_update_article(
    article: Article,
    *,
    editor: User | None = None,
    tags: Iterable[Tag] | None = None,
    authors: Iterable[Author] | None = None,
    **fields: Any,
) -> Article:
    """Change an article's content (any of CONTENT_FIELDS, `slug`, `section`) and record it."""
    for name, value in fields.items():
        if name not in {*CONTENT_FIELDS, "slug", "section"}:
            raise TypeError(f"do_update_article() cannot set {name!r}")
        setattr(article, name, value)
    article.body_html = render_article_markdown(article.body)
    article.updated_at = timezone.now()
    _validate(article)
    article.save()
    if tags is not None:
        article.tags.set(tags)
    if authors is not None:
        article.authors.set(authors)
    _record(article, editor=editor, summary=_("Edited"))
    return article


def check_set_lead_image(
    article: Article,
    *,
    upload: File,
    alt: str,
    caption: str = "",
    credit: str = "",
    editor: User | None = None,
    touch: bool = True,
) -> Article:
    """Validate an uploaded lead image and its description, then set it."""
    try:
        images.validate_upload(upload)
    except ValidationError as error:
        raise NewsError(error.code or "image_invalid", error.messages[0], field="image") from error
    if not alt.strip():
        raise NewsError(
            "image_alt_missing",
            _("Describe the image for readers who cannot see it."),
            field="image_alt",
        )
    return do_set_lead_image(
        article, upload=upload, alt=alt, caption=caption, credit=credit, editor=editor, touch=touch
    )


def do_set_lead_image(
    article: Article,
    *,
    upload: File,
    alt: str,
    caption: str = "",
    credit: str = "",
    editor: User | None = None,
    touch: bool = True,
) -> Article:
    """Store the image through Django's storage, make its renditions, record the change.

    The caller has validated `upload` (check_set_lead_image, or the admin's form). `touch=False`
    keeps `updated_at`: the image belongs to content whose time is another's (the demo's)."""
    name = getattr(upload, "name", "") or "image"
    article.image.save(name.rsplit("/", 1)[-1], upload, save=False)
    article.image_alt, article.image_caption, article.image_credit = (
        alt.strip(),
        caption.strip(),
        credit.strip(),
    )
    if touch:
        article.updated_at = timezone.now()
    article.save()
    do_make_image_renditions(article)
    _record(article, editor=editor, summary=_("Lead image changed"))
    return article


def do_make_image_renditions(article: Article) -> list[str]:
    """Make the lead image's missing renditions (each size once; nothing when all exist)."""
    if not article.image or not article.image.name:
        return []
    return images.make_renditions(article.image.name)


def check_can_publish(editor: User | None) -> None:
    """Only editors (and superusers) publish, schedule and unpublish."""
    if editor is not None and not editor.has_perm("news.publish_article"):
        raise NewsError(
            "publish_forbidden",
            _("Only editors can publish, schedule or unpublish articles."),
            status=403,
            field="status",
        )


@transaction.atomic
def do_publish_article(
    article: Article, *, editor: User | None = None, at: dt.datetime | None = None
) -> Article:
    """Publish now, or at `at`: a time in the future schedules the article instead.

    A published article keeps its first publication time when published again.
    """
    now = timezone.now()
    when = at or article.published_at or now
    if at is None and article.status == Article.Status.SCHEDULED:
        when = now
    if when > now:
        return do_schedule_article(article, editor=editor, at=when)
    article.status = Article.Status.PUBLISHED
    article.published_at = when
    article.updated_at = when
    article.save(update_fields=["status", "published_at", "updated_at"])
    _record(article, editor=editor, summary=_("Published"))
    return article


@transaction.atomic
def do_schedule_article(
    article: Article, *, editor: User | None = None, at: dt.datetime
) -> Article:
    """Set the article to go live at `at`; readers see it from then on, with no job to run."""
    if timezone.is_naive(at):
        raise NewsError(
            "published_at_naive", _("The time needs a time zone."), field="published_at"
        )
    article.status = Article.Status.SCHEDULED
    article.published_at = at
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    _record(article, editor=editor, summary=_("Scheduled"))
    return article


@transaction.atomic
def do_unpublish_article(article: Article, *, editor: User | None = None) -> Article:
    """Back to draft: the article disappears from every public page, feed and sitemap."""
    article.status = Article.Status.DRAFT
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "updated_at"])
    _record(article, editor=editor, summary=_("Unpublished"))
    return article


@transaction.atomic
def do_restore_revision(revision: ArticleRevision, *, editor: User | None = None) -> Article:
    """Put back a revision's content (not its publication state or slug) as a new revision."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    content = revision.content
    for field in CONTENT_FIELDS:
        if field in content:
            setattr(article, field, content[field])
    article.body_html = render_article_markdown(article.body)
    article.updated_at = timezone.now()
    article.save()
    article.tags.set(Tag.objects.filter(pk__in=content.get("tags", [])))
    article.authors.set(Author.objects.filter(pk__in=content.get("authors", [])))
    when = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
    _record(article, editor=editor, summary=_("Restored the revision of %(when)s") % {"when": when})
    return article


def do_get_or_create_section(*, name: str, position: int = 0) -> Section:
    section = Section.objects.filter(name=name).first()
    if section:
        return section
    return Section.objects.create(
        name=name, slug=unique_slug(name, model=Section), position=position
    )


def do_get_or_create_tag(*, name: str) -> Tag:
    tag = Tag.objects.filter(name=name).first()
    return tag or Tag.objects.create(name=name, slug=unique_slug(name, model=Tag))


def do_get_or_create_author(*, name: str, bio: str = "", user: User | None = None) -> Author:
    author = Author.objects.filter(name=name).first()
    if author:
        return author
    return Author.objects.create(
        name=name, slug=unique_slug(name, model=Author), bio=bio, user=user
    )


# --- labels: sections, tags and authors as articles show them -----------------------------------


def _articles_showing(label: Section | Tag | Author) -> QuerySet[Article]:
    if isinstance(label, Section):
        return Article.objects.filter(section=label)
    return Article.objects.filter(**{"tags" if isinstance(label, Tag) else "authors": label})


def _announce_articles(article_ids: list[int]) -> None:
    """Every article page (and list) showing a label changes with it: the page cache and the
    search index follow `article_changed`, sent after commit for each article."""

    announce_each(
        article_changed,
        sender=Article,
        payloads=[{"article_id": article_id} for article_id in article_ids],
    )


@transaction.atomic
def do_save_label(label: Section | Tag | Author) -> Section | Tag | Author:
    """Save a section, tag or author (the admin's forms). A new name or slug is shown on every
    article carrying it: those articles are announced, so cached pages and the search index
    (tags are indexed) follow. Any other change (position, description, biography) shows only
    on list pages, which are announced instead."""
    before = type(label).objects.filter(pk=label.pk).first() if label.pk else None
    label.save()
    if before is None:  # new: no article shows it yet
        return label
    if (before.name, before.slug) != (label.name, label.slug):
        _announce_articles(list(_articles_showing(label).values_list("pk", flat=True)))
    else:
        announce(lists_changed, sender=type(label))
    return label


@transaction.atomic
def do_delete_labels(labels: Iterable[Section | Tag | Author]) -> int:
    """Delete sections, tags or authors (a section is protected while articles use it); the
    articles that showed them are announced."""
    article_ids: set[int] = set()
    deleted = 0
    for label in labels:
        article_ids.update(_articles_showing(label).values_list("pk", flat=True))
        label.delete()
        deleted += 1
    _announce_articles(sorted(article_ids))
    return deleted
