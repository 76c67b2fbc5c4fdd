"""What a reader may reach. Drafts and articles not yet live look exactly like missing pages,
except to those in the newsroom who may edit them, who see them with a preview banner."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from minbar.accounts.models import AnyUser
from minbar.news.models import Article, ArticleRevision, Author, Section, Tag


def _is_editor(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("news.publish_article"))


def _is_newsroom(user: AnyUser) -> bool:
    return bool(
        user and user.is_authenticated and user.is_staff and user.has_perm("news.change_article")
    )


def may_edit_article(user: AnyUser, article: Article) -> bool:
    """Whether `user` works on `article`: editors on every article, an author on the articles
    they created (the same set the admin lists for them). Only they may read it before it is
    live, or read its revisions."""
    if not _is_newsroom(user):
        return False
    if _is_editor(user):
        return True
    return article.created_by_id == user.pk


def articles_editable_by(user: AnyUser, articles: QuerySet[Article]) -> QuerySet[Article]:
    """`articles` narrowed to those `user` works on (see `may_edit_article`)."""
    if not _is_newsroom(user):
        return articles.none()
    if _is_editor(user):
        return articles
    return articles.filter(created_by=user.pk)


def revisions_readable_by(
    user: AnyUser, revisions: QuerySet[ArticleRevision]
) -> QuerySet[ArticleRevision]:
    """`revisions` narrowed to those of articles `user` works on: a revision carries the whole
    text of a draft, so it is as private as the draft."""
    return revisions.filter(article__in=articles_editable_by(user, Article.objects.all()))


def access_article_for_reading(user: AnyUser, *, slug: str, for_page: bool = True) -> Article:
    """The article at `slug` if this user may read it; 404 otherwise. `for_page=False` (a
    comment being posted) skips what only its page shows: the text, tags and authors (read
    later, should the page be shown again with a refusal)."""
    found = Article.objects.select_related("section")
    if for_page:
        found = found.prefetch_related("tags", "authors")
    else:
        found = found.defer("body", "body_html", "standfirst")
    article = found.filter(slug=slug).first()
    if article is None:
        raise Http404
    if article.is_live():
        return article
    if may_edit_article(user, article):
        return article
    raise Http404


def access_tag_for_reading(*, slug: str) -> Tag:
    """The tag at `slug` if a published article carries it; 404 otherwise. A tag that only
    drafts (or nothing) carry would show an empty page and tell readers what is coming."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404
    if not Article.objects.published().filter(tags=tag).exists():
        raise Http404
    return tag


def access_section_for_reading(*, slug: str) -> Section:
    """The section at `slug`: every section is public, even one with no article yet."""
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        raise Http404
    return section


def access_author_for_reading(*, slug: str) -> Author:
    """The author at `slug`: every author's page is public."""
    author = Author.objects.filter(slug=slug).first()
    if author is None:
        raise Http404
    return author
