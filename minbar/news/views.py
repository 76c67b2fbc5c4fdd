"""Public newsroom pages: parse, access, read, respond."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse

from minbar.core.http import paginate, redirect_to_canonical
from minbar.discussion import policy as discussion_policy
from minbar.discussion.selectors import list_most_discussed_articles
from minbar.news import selectors, seo
from minbar.news.access import (
    access_article_for_reading,
    access_author_for_reading,
    access_section_for_reading,
    access_tag_for_reading,
)
from minbar.news.models import Article
from minbar.news.sitemaps import SITEMAPS, news_sitemap_articles
from minbar.serving.discussions import render_discussion
from minbar.serving.middleware import private_page, public_page

PER_PAGE = settings.MINBAR_ARTICLES_PER_PAGE


@public_page
def home(request: HttpRequest) -> HttpResponse:
    if redirect := redirect_to_canonical(request):
        return redirect
    page = paginate(request, selectors.list_published_articles(), per_page=PER_PAGE)
    front = most_discussed = None
    if page.number == 1:
        front = selectors.get_front_page(list(page.object_list))
        most_discussed = list_most_discussed_articles()
    context = {
        "page": page,
        "front": front,
        "most_discussed": most_discussed,
        "structured_data": seo.website_metadata(request),
    }
    return render(request, "news/home.html", context)


@public_page
def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if redirect := redirect_to_canonical(request):
        return redirect
    section = access_section_for_reading(slug=slug)
    page = paginate(request, selectors.list_articles_in_section(section), per_page=PER_PAGE)
    context = {
        "section": section,
        "page": page,
        "structured_data": seo.section_metadata(request, section),
    }
    return render(request, "news/section_detail.html", context)


@public_page
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if redirect := redirect_to_canonical(request):
        return redirect
    tag = access_tag_for_reading(slug=slug)
    page = paginate(request, selectors.list_articles_with_tag(tag), per_page=PER_PAGE)
    return render(request, "news/tag_detail.html", {"tag": tag, "page": page})


@public_page
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if redirect := redirect_to_canonical(request):
        return redirect
    author = access_author_for_reading(slug=slug)
    page = paginate(request, selectors.list_articles_by_author(author), per_page=PER_PAGE)
    return render(request, "news/author_detail.html", {"author": author, "page": page})


@public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if redirect := redirect_to_canonical(
        request, orders=discussion_policy.ORDERS, default_order=discussion_policy.DEFAULT_ORDER
    ):
        return redirect
    article = access_article_for_reading(request.user, slug=slug)
    response = render_article(request, article)
    # A newsroom preview of an article that is not live is the editor's alone.
    return response if article.is_live() else private_page(response)


def render_article(request: HttpRequest, article: Article, *, status: int = 200) -> HttpResponse:
    """The article page with its discussion, the same for every reader."""
    context = {
        "article": article,
        "is_preview": not article.is_live(),
        "meta": seo.article_metadata(
            request, article, image=article.lead_image.large if article.lead_image else None
        ),
        "discussion": render_discussion(request, article=article),
    }
    return render(request, "news/article_detail.html", context, status=status)


@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


@public_page
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """The sitemaps, with the news sitemap only while it has articles (an empty `urlset` is
    invalid under the sitemap schema)."""
    from django.contrib.sitemaps import views as sitemap_views

    response = sitemap_views.index(
        request, SITEMAPS, sitemap_url_name="django.contrib.sitemaps.views.sitemap"
    )
    recent = news_sitemap_articles()
    if recent:
        location = request.build_absolute_uri(reverse("news-sitemap"))
        lastmod = max(t for a in recent if (t := a.updated_at or a.published_at) is not None)
        # index() always renders its page from a context.
        assert response.context_data is not None
        # django-stubs types the item's `last_mod` as a bool; Django stores the datetime.
        item = sitemap_views.SitemapIndexItem(location, lastmod)  # type: ignore[arg-type]
        response.context_data["sitemaps"].append(item)
    return response


@public_page
def news_sitemap(request: HttpRequest) -> HttpResponse:
    articles = news_sitemap_articles()
    if not articles:
        raise Http404("No article in the last two days.")
    context = {"articles": articles}
    return render(request, "news/news_sitemap.xml", context, content_type="application/xml")
