"""Public newsroom pages: parse, access, read, respond."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from minbar.core.http import paginate, redirect_to_canonical
from minbar.discussion import policy as discussion_policy
from minbar.discussion.selectors import list_most_discussed_articles
from minbar.news import selectors, seo
from minbar.news.access import access_article_for_reading, access_tag_for_reading
from minbar.news.models import Author, Section
from minbar.serving.fragments import find_article, keep_article
from minbar.serving.pagecache import share_page

PER_PAGE = settings.MINBAR_ARTICLES_PER_PAGE


def home(request):
    if redirect := redirect_to_canonical(request):
        return redirect
    page = paginate(request, selectors.list_published_articles(), per_page=PER_PAGE)
    front = most_discussed = None
    shown = list(page.object_list)
    if page.number == 1:
        front = selectors.get_front_page(shown)
        most_discussed = list_most_discussed_articles()
        shown = [*front.shown, *most_discussed]
    share_page(request, lists=True, counters_of=[a.pk for a in shown])
    context = {
        "page": page,
        "front": front,
        "most_discussed": most_discussed,
        "structured_data": seo.website_metadata(request),
    }
    return render(request, "news/home.html", context)


def section_detail(request, slug):
    if redirect := redirect_to_canonical(request):
        return redirect
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, selectors.list_articles_in_section(section), per_page=PER_PAGE)
    share_page(request, lists=True, counters_of=[a.pk for a in page.object_list])
    context = {
        "section": section,
        "page": page,
        "structured_data": seo.section_metadata(request, section),
    }
    return render(request, "news/section_detail.html", context)


def tag_detail(request, slug):
    if redirect := redirect_to_canonical(request):
        return redirect
    tag = access_tag_for_reading(slug=slug)
    page = paginate(request, selectors.list_articles_with_tag(tag), per_page=PER_PAGE)
    share_page(request, lists=True, counters_of=[a.pk for a in page.object_list])
    return render(request, "news/tag_detail.html", {"tag": tag, "page": page})


def author_detail(request, slug):
    if redirect := redirect_to_canonical(request):
        return redirect
    author = get_object_or_404(Author, slug=slug)
    page = paginate(request, selectors.list_articles_by_author(author), per_page=PER_PAGE)
    share_page(request, lists=True, counters_of=[a.pk for a in page.object_list])
    return render(request, "news/author_detail.html", {"author": author, "page": page})


def article_detail(request, slug):
    if redirect := redirect_to_canonical(
        request, orders=discussion_policy.ORDERS, default_order=discussion_policy.DEFAULT_ORDER
    ):
        return redirect
    # A live article read moments ago and unchanged since (minbar/serving) skips the reading.
    article = find_article(request, slug=slug)
    if article is None:
        article = access_article_for_reading(request.user, slug=slug)
        keep_article(request, article)
    if article.is_live():
        share_page(request, article_id=article.pk)
    return render_article(request, article)


def render_article(request, article, *, form=None, status: int = 200):
    """The article page with its discussion; `form` carries a refused comment back."""
    from minbar.discussion.forms import CommentForm
    from minbar.discussion.selectors import get_discussion

    context = {
        "article": article,
        "is_preview": not article.is_live(),
        "meta": seo.article_metadata(
            request, article, image=article.lead_image.large if article.lead_image else None
        ),
        "discussion": get_discussion(request, article=article),
        "comment_form": form or CommentForm(),
    }
    return render(request, "news/article_detail.html", context, status=status)


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


def sitemap_index(request):
    """The sitemaps, with the news sitemap only while it has articles (an empty `urlset` is
    invalid under the sitemap schema)."""
    from django.contrib.sitemaps import views as sitemap_views

    from minbar.news.sitemaps import SITEMAPS, news_sitemap_articles

    response = sitemap_views.index(
        request, SITEMAPS, sitemap_url_name="django.contrib.sitemaps.views.sitemap"
    )
    recent = news_sitemap_articles()
    if recent:
        location = request.build_absolute_uri(reverse("news-sitemap"))
        lastmod = max(a.updated_at or a.published_at for a in recent)
        response.context_data["sitemaps"].append(sitemap_views.SitemapIndexItem(location, lastmod))
    return response


def news_sitemap(request):
    from minbar.news.sitemaps import news_sitemap_articles

    articles = news_sitemap_articles()
    if not articles:
        raise Http404("No article in the last two days.")
    context = {"articles": articles}
    return render(request, "news/news_sitemap.xml", context, content_type="application/xml")
