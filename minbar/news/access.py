"""What a reader may reach. Drafts and articles not yet live look exactly like missing pages,
except to the newsroom, who see them with a preview banner."""

from __future__ import annotations

from django.http import Http404

from minbar.news.models import Article


def can_preview(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_staff and user.has_perm("news.view_article")
    )


def access_article_for_reading(user, *, slug: str, for_page: bool = True) -> Article:
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
    if can_preview(user):
        return article
    raise Http404
