"""Public newsroom pages: parse, access, read, respond."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from minbar.core.http import paginate, redirect_to_canonical
from minbar.discussion import policy as discussion_policy
from minbar.news import selectors
from minbar.news.access import access_article_for_reading, access_tag_for_reading
from minbar.news.models import Author, Section
from minbar.news.seo import article_metadata
from minbar.serving.discussions import render_discussion
from minbar.serving.middleware import private_page, public_page

PER_PAGE = settings.MINBAR_ARTICLES_PER_PAGE


@public_page
def home(request):
    if redirect := redirect_to_canonical(request):
        return redirect
    page = paginate(request, selectors.list_published_articles(), per_page=PER_PAGE)
    blocks = selectors.list_section_blocks() if page.number == 1 else []
    return render(request, "news/home.html", {"page": page, "blocks": blocks})


@public_page
def section_detail(request, slug):
    if redirect := redirect_to_canonical(request):
        return redirect
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, selectors.list_articles_in_section(section), per_page=PER_PAGE)
    return render(request, "news/section_detail.html", {"section": section, "page": page})


@public_page
def tag_detail(request, slug):
    if redirect := redirect_to_canonical(request):
        return redirect
    tag = access_tag_for_reading(slug=slug)
    page = paginate(request, selectors.list_articles_with_tag(tag), per_page=PER_PAGE)
    return render(request, "news/tag_detail.html", {"tag": tag, "page": page})


@public_page
def author_detail(request, slug):
    if redirect := redirect_to_canonical(request):
        return redirect
    author = get_object_or_404(Author, slug=slug)
    page = paginate(request, selectors.list_articles_by_author(author), per_page=PER_PAGE)
    return render(request, "news/author_detail.html", {"author": author, "page": page})


@public_page
def article_detail(request, slug):
    if redirect := redirect_to_canonical(
        request, orders=discussion_policy.ORDERS, default_order=discussion_policy.DEFAULT_ORDER
    ):
        return redirect
    article = access_article_for_reading(request.user, slug=slug)
    response = render_article(request, article)
    # A newsroom preview of an article that is not live is the editor's alone.
    return response if article.is_live() else private_page(response)


def render_article(request, article, *, status: int = 200):
    """The article page with its discussion, the same for every reader."""
    context = {
        "article": article,
        "is_preview": not article.is_live(),
        "meta": article_metadata(request, article),
        "discussion": render_discussion(request, article=article),
    }
    return render(request, "news/article_detail.html", context, status=status)


@public_page
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


@public_page
def news_sitemap(request):
    from minbar.news.sitemaps import news_sitemap_articles

    context = {"articles": news_sitemap_articles()}
    return render(request, "news/news_sitemap.xml", context, content_type="application/xml")
